from django.contrib import admin

from .models import Group, Invitation, JoinRequest, Membership


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "topic", "visibility", "join_policy", "is_archived")
    list_filter = ("visibility", "join_policy", "is_archived")
    search_fields = ("name", "topic")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "group", "role", "status", "joined_at")
    list_filter = ("role", "status", "group")
    raw_id_fields = ("user", "group")


admin.site.register(JoinRequest)
admin.site.register(Invitation)
