"""Admin: for looking. Stories, replies and their history change only through the services
and moderation (which re-render the Markdown, keep revisions and write the audit log), so the
admin never edits their text or moderation state."""

from django.contrib import admin
from django.http import HttpRequest

from .models import Follow, Reaction, Reply, Revision, Story, WarningPreference


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Story)
class StoryAdmin(ViewOnlyAdmin):
    list_display = (
        "title",
        "group",
        "author",
        "is_anonymous",
        "moderation_state",
        "is_deleted",
        "is_pinned",
        "reply_count",
        "created_at",
    )
    list_filter = ("moderation_state", "is_deleted", "is_pinned", "group")
    search_fields = ("title",)
    raw_id_fields = ("author", "group")
    readonly_fields = (
        "body_html",
        "reply_count",
        "reaction_count",
        "last_activity_at",
        "created_at",
        "edited_at",
    )


@admin.register(Reply)
class ReplyAdmin(ViewOnlyAdmin):
    list_display = (
        "pk",
        "story",
        "author",
        "is_anonymous",
        "moderation_state",
        "is_deleted",
        "created_at",
    )
    list_filter = ("moderation_state", "is_deleted")
    raw_id_fields = ("author", "story")
    readonly_fields = ("body_html", "reaction_count", "created_at", "edited_at")


@admin.register(Revision)
class RevisionAdmin(ViewOnlyAdmin):
    list_display = ("pk", "story", "reply", "edited_by", "created_at")
    raw_id_fields = ("story", "reply", "edited_by")


admin.site.register(
    Reaction,
    list_display=("kind", "user", "story", "reply", "created_at"),
    raw_id_fields=("user", "story", "reply"),
)
admin.site.register(Follow, raw_id_fields=("user", "story"))
admin.site.register(WarningPreference, list_display=("user", "theme", "choice"))
