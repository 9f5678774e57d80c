"""Admin: read-only views; every change goes through the moderation pages and services."""

from django.contrib import admin

from .models import (
    Appeal,
    AuditLogEntry,
    Case,
    HeldItem,
    MessageTemplate,
    ModeratorNote,
    Report,
    SiteBan,
    WatchedWord,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse only: changes would skip the services and their audit rows."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_repr", "action", "target_repr", "group_id")
    list_filter = ("action",)
    search_fields = ("actor_repr", "target_repr", "reason")
    date_hierarchy = "created_at"
    actions = None


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("pk", "content_title", "group", "status", "is_urgent", "opened_at")
    list_filter = ("status", "is_urgent", "source")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("pk", "reason", "case", "created_at")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("pk", "status", "created_at")


@admin.register(HeldItem)
class HeldItemAdmin(ReadOnlyAdmin):
    list_display = ("pk", "content_title", "group", "status", "created_at")


@admin.register(WatchedWord)
class WatchedWordAdmin(ReadOnlyAdmin):
    list_display = ("phrase", "group", "action")


@admin.register(ModeratorNote)
class ModeratorNoteAdmin(ReadOnlyAdmin):
    list_display = ("pk", "group", "created_at")


@admin.register(SiteBan)
class SiteBanAdmin(ReadOnlyAdmin):
    list_display = ("pk", "user", "created_at", "lifted_at")


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Administrators write and edit the message templates facilitators start from (not a
    moderation action: no audit row is needed)."""

    list_display = ("title", "is_supportive", "is_active")
    list_filter = ("is_supportive", "is_active")
    search_fields = ("title", "body")
