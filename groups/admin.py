"""Django admin for groups. Writes go through groups.services, like every other door;
memberships, requests and invitations are read-only here (the staff and facilitator pages
change them, so rules such as "never lose the last facilitator" hold)."""

from django.contrib import admin
from django.http import HttpRequest

from . import permissions, services
from .forms import GroupForm
from .models import Group, Invitation, JoinRequest, Membership


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    # The staff pages' form: the same field checks (reserved web addresses) at every door.
    form = GroupForm
    list_display = ("name", "topic", "visibility", "join_policy", "is_archived")
    list_filter = ("visibility", "join_policy", "is_archived")
    search_fields = ("name", "topic")
    prepopulated_fields = {"slug": ("name",)}
    fields = (
        "name",
        "slug",
        "topic",
        "description",
        "rules",
        "visibility",
        "join_policy",
        "is_archived",
    )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_site_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return False  # Archive instead: members' stories live in the group.

    def save_model(self, request: HttpRequest, obj: Group, form: object, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in services.GROUP_EDITABLE_FIELDS}
        if change:
            group = Group.objects.get(pk=obj.pk)
            changed = {name: value for name, value in data.items() if name in form.changed_data}
            group = (
                services.group_update(by=request.user, group=group, **changed) if changed else group
            )
        else:
            group = services.group_create(by=request.user, **data)
        if form.cleaned_data["is_archived"] != group.is_archived:
            group = services.group_archive(
                by=request.user, group=group, archived=form.cleaned_data["is_archived"]
            )
        obj.pk = group.pk
        obj.refresh_from_db()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "group", "role", "status", "joined_at")
    list_filter = ("role", "status", "group")
    list_select_related = ("user", "group")


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    list_display = ("user", "group", "status", "created_at", "decided_at")
    list_filter = ("status", "group")
    list_select_related = ("user", "group")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("group", "invitee", "use_count", "max_uses", "expires_at", "revoked_at")
    list_select_related = ("group", "invitee")
    exclude = ("token",)
