"""Django admin for chat: read-mostly. Messages are looked at, never edited here (removal,
hiding and redaction go through moderation so the room, the author and the audit log know);
room settings change through the chat service, so everyone in the room sees it live."""

from django.contrib import admin
from django.http import HttpRequest

from groups import permissions

from . import services
from .models import ChatMessage, ChatRoomSettings


class _SiteAdminOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_site_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return permissions.is_site_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ChatMessage)
class ChatMessageAdmin(_SiteAdminOnly):
    list_display = ("seq", "group", "author", "moderation_state", "created_at", "deleted_at")
    list_filter = ("moderation_state",)
    list_select_related = ("group", "author")
    fields = (
        "group",
        "seq",
        "author",
        "client_id",
        "body",
        "moderation_state",
        "created_at",
        "deleted_at",
        "deleted_by",
    )
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ChatRoomSettings)
class ChatRoomSettingsAdmin(_SiteAdminOnly):
    list_display = ("group", "slow_mode_seconds", "facilitator_only", "updated_at")
    list_select_related = ("group",)
    fields = ("group", "slow_mode_seconds", "facilitator_only", "last_seq", "updated_at")
    readonly_fields = ("group", "last_seq", "updated_at")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return permissions.is_site_admin(request.user)

    def save_model(
        self, request: HttpRequest, obj: ChatRoomSettings, form: object, change: bool
    ) -> None:
        room = services.chat_room_settings_update(
            group=obj.group,
            actor=request.user,
            slow_mode_seconds=form.cleaned_data["slow_mode_seconds"],
            facilitator_only=form.cleaned_data["facilitator_only"],
        )
        obj.refresh_from_db()
        obj.updated_at = room.updated_at
