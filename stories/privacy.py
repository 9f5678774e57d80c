"""The member's own stories, replies and reactions for their export (StoriesConfig.ready).

Anonymous posts are included: they are the member's. Other people's words are left out, except
the title of the story a reply or reaction belongs to.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peersupport.accounts.privacy.registry import register_export_section

from .models import Reaction, Reply, Story, WarningPreference


def _story_title(story: Story | None) -> str:
    if story is None or story.is_deleted:
        return gettext("(a story that has been removed)")
    return story.title


def collect_stories(user) -> list[dict]:  # noqa: ANN001 - the member
    stories = (
        Story.objects.filter(author=user, is_deleted=False)
        .select_related("group")
        .order_by("created_at", "pk")
    )
    return [
        {
            "group": s.group.name,
            "title": s.title,
            "body": s.body,
            "posted_as_anonymous": s.is_anonymous,
            "content_warnings": ", ".join(str(label) for label in s.warning_labels),
            "content_warning_note": s.warning_note,
            "moderation_state": s.moderation_state,
            "created_at": s.created_at,
            "edited_at": s.edited_at,
        }
        for s in stories
    ]


def collect_replies(user) -> list[dict]:  # noqa: ANN001
    replies = (
        Reply.objects.filter(author=user, is_deleted=False)
        .select_related("story", "story__group")
        .order_by("created_at", "pk")
    )
    return [
        {
            "group": r.story.group.name,
            "in_story": _story_title(r.story),
            "body": r.body,
            "posted_as_anonymous": r.is_anonymous,
            "moderation_state": r.moderation_state,
            "created_at": r.created_at,
            "edited_at": r.edited_at,
        }
        for r in replies
    ]


def collect_reactions(user) -> list[dict]:  # noqa: ANN001
    reactions = (
        Reaction.objects.filter(user=user)
        .select_related("story", "reply__story")
        .order_by("created_at", "pk")
    )
    return [
        {
            "reaction": r.get_kind_display(),
            "to": gettext("a story") if r.story_id else gettext("a reply"),
            "in_story": _story_title(r.story if r.story_id else r.reply.story),
            "created_at": r.created_at,
        }
        for r in reactions
    ]


def collect_warning_preferences(user) -> list[dict]:  # noqa: ANN001
    return [
        {"theme": p.get_theme_display(), "choice": p.get_choice_display()}
        for p in WarningPreference.objects.filter(user=user).order_by("theme")
    ]


def register() -> None:
    register_export_section("stories", _("Stories you shared"), collect_stories, order=20)
    register_export_section("replies", _("Your replies"), collect_replies, order=21)
    register_export_section("reactions", _("Your support reactions"), collect_reactions, order=22)
    register_export_section(
        "content_warning_preferences",
        _("Your content-warning choices"),
        collect_warning_preferences,
        order=23,
    )
