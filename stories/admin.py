"""Admin: read-mostly views; changes to content go through services and moderation."""

from django.contrib import admin

from .models import Follow, Reaction, Reply, Revision, Story, WarningPreference


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
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
class ReplyAdmin(admin.ModelAdmin):
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
class RevisionAdmin(admin.ModelAdmin):
    list_display = ("pk", "story", "reply", "edited_by", "created_at")
    raw_id_fields = ("story", "reply", "edited_by")


admin.site.register(
    Reaction,
    list_display=("kind", "user", "story", "reply", "created_at"),
    raw_id_fields=("user", "story", "reply"),
)
admin.site.register(Follow, raw_id_fields=("user", "story"))
admin.site.register(WarningPreference, list_display=("user", "theme", "choice"))
