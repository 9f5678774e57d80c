"""How moderation sees stories and replies (registry adapters), and the screening every story
and reply passes before and after it is saved.

Registered in StoriesConfig.ready(). Moderation never imports this module; stories calls
moderation's screening, held-post and hook functions from here so services.py stays small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups.models import Group
from groups.permissions import access_for
from moderation import hooks, registry
from moderation.models import Case, HeldItem
from moderation.screening import held_post_should_hold, screen_text, thread_slow_mode_minutes
from peersupport.accounts.models import User
from peersupport.markdown import render_markdown

from . import signals
from .models import ModerationState, Reply, Story, make_excerpt
from .thread_cache import thread_changed

# Held or waiting for a check: becoming visible from here is "published" (news to the group).
UNPUBLISHED = frozenset({ModerationState.PENDING, ModerationState.HELD})


class StoryModeration(registry.ModeratedContent):
    """A story: hidden, held and redacted through its moderation_state and body."""

    noun = "story"

    def group(self, obj: Story) -> Group:
        return obj.group

    def author(self, obj: Story) -> User | None:
        return obj.author

    def title(self, obj: Story) -> str:
        return obj.title

    def text(self, obj: Story) -> str:
        return obj.body

    def scan_text(self, obj: Story) -> str:
        return f"{obj.title}\n{obj.body}"

    def rendered_html(self, obj: Story) -> str:
        # Rendered and sanitised once on save (peersupport/markdown.py).
        return mark_safe(obj.body_html)  # noqa: S308

    def warnings(self, obj: Story) -> list[str]:
        return [*obj.warning_labels, *([obj.warning_note] if obj.warning_note else [])]

    def url(self, obj: Story) -> str:
        return obj.get_absolute_url()

    def is_visible(self, obj: Story) -> bool:
        return obj.moderation_state == ModerationState.VISIBLE and not obj.is_deleted

    def _set(self, obj: Story, state: str, reason: str = "") -> None:
        published = obj.moderation_state in UNPUBLISHED and state == ModerationState.VISIBLE
        obj.moderation_state = state
        obj.hidden_reason = reason
        fields = ["moderation_state", "hidden_reason"]
        if state != ModerationState.VISIBLE and obj.is_pinned:
            obj.is_pinned = False
            fields.append("is_pinned")
        obj.save(update_fields=fields)
        thread_changed(obj.pk)
        # A held post released is news to the group; a hidden one restored is not.
        if published and self.is_visible(obj):
            signals.send_on_commit(signals.story_published, story_id=obj.pk)

    def hide(self, obj: Story, *, pending: bool) -> None:
        self._set(obj, ModerationState.HIDDEN, "pending" if pending else "")

    def restore(self, obj: Story) -> None:
        self._set(obj, ModerationState.VISIBLE)

    def hold(self, obj: Story) -> None:
        if obj.moderation_state != ModerationState.HELD:
            self._set(obj, ModerationState.HELD)

    def release(self, obj: Story) -> None:
        self._set(obj, ModerationState.VISIBLE)

    def redact(self, obj: Story, *, new_text: str) -> None:
        changed = obj.body != new_text
        obj.body = new_text
        obj.body_html = render_markdown(new_text)
        obj.excerpt = make_excerpt(obj.body_html)
        obj.save(update_fields=["body", "body_html", "excerpt"])
        thread_changed(obj.pk)
        if changed and self.is_visible(obj):
            signals.send_on_commit(signals.story_edited, story_id=obj.pk)


class ReplyModeration(registry.ModeratedContent):
    """A reply; hiding or restoring one keeps its story's reply_count in step."""

    noun = "reply"

    def group(self, obj: Reply) -> Group:
        return obj.story.group

    def author(self, obj: Reply) -> User | None:
        return obj.author

    def title(self, obj: Reply) -> str:
        return _("A reply to “%(title)s”") % {"title": obj.story.title}

    def text(self, obj: Reply) -> str:
        return obj.body

    def rendered_html(self, obj: Reply) -> str:
        return mark_safe(obj.body_html)  # noqa: S308

    def url(self, obj: Reply) -> str:
        return f"{obj.story.get_absolute_url()}#reply-{obj.pk}"

    def is_visible(self, obj: Reply) -> bool:
        return obj.moderation_state == ModerationState.VISIBLE and not obj.is_deleted

    def _set(self, obj: Reply, state: str, reason: str = "") -> None:
        was_visible = self.is_visible(obj)
        published = obj.moderation_state in UNPUBLISHED and state == ModerationState.VISIBLE
        obj.moderation_state = state
        obj.hidden_reason = reason
        obj.save(update_fields=["moderation_state", "hidden_reason"])
        thread_changed(obj.story_id)
        now_visible = self.is_visible(obj)
        # The story's count is of replies members can see.
        if was_visible and not now_visible:
            Story.objects.filter(pk=obj.story_id, reply_count__gt=0).update(
                reply_count=F("reply_count") - 1
            )
        elif now_visible and not was_visible:
            Story.objects.filter(pk=obj.story_id).update(reply_count=F("reply_count") + 1)
        if published and now_visible:
            signals.send_on_commit(signals.reply_published, reply_id=obj.pk)

    def hide(self, obj: Reply, *, pending: bool) -> None:
        self._set(obj, ModerationState.HIDDEN, "pending" if pending else "")

    def restore(self, obj: Reply) -> None:
        self._set(obj, ModerationState.VISIBLE)

    def hold(self, obj: Reply) -> None:
        if obj.moderation_state != ModerationState.HELD:
            self._set(obj, ModerationState.HELD)

    def release(self, obj: Reply) -> None:
        self._set(obj, ModerationState.VISIBLE)
        Story.objects.filter(pk=obj.story_id).update(last_activity_at=timezone.now())

    def redact(self, obj: Reply, *, new_text: str) -> None:
        changed = obj.body != new_text
        obj.body = new_text
        obj.body_html = render_markdown(new_text)
        obj.save(update_fields=["body", "body_html"])
        thread_changed(obj.story_id)
        if changed and self.is_visible(obj):
            signals.send_on_commit(signals.reply_edited, reply_id=obj.pk)


def register() -> None:
    registry.register(Story, StoryModeration())
    registry.register(Reply, ReplyModeration())


# --- screening around the write services ----------------------------------------------------
@dataclass(frozen=True)
class Screening:
    """What happens to a text about to be saved: its state, why it is held, a phrase to flag."""

    state: str = ModerationState.VISIBLE
    hold_reason: str | None = None
    hold_detail: str = ""
    flag_phrase: str = ""


def screen(
    *,
    group: Group,
    author: User,
    text: str,
    field: str = "body",
    new_story: bool = False,
    new_reply: bool = False,
) -> Screening:
    """Watched words and held posts, before saving; a blocked text raises a field error."""
    result = screen_text(text=text, group=group)
    if result.blocked:
        raise ValidationError({field: result.message})
    reason: str | None = None
    detail = ""
    if new_story or new_reply:
        prior = None
        if new_story:
            prior = (
                Story.objects.filter(group=group, author=author, is_deleted=False)
                .exclude(moderation_state=ModerationState.HELD)
                .count()
            )
        reason = held_post_should_hold(group=group, author=author, prior_posts=prior)
        # Only pre-moderation holds replies; "first posts" means stories.
        if new_reply and reason != HeldItem.Reason.PREMODERATION:
            reason = None
    if result.hold and not access_for(author, group).can_moderate:
        reason, detail = HeldItem.Reason.WATCHED_WORD, result.phrase
    if reason is not None:
        return Screening(state=ModerationState.HELD, hold_reason=reason, hold_detail=detail)
    return Screening(flag_phrase=result.phrase if result.flag else "")


def after_save(obj: Story | Reply, screening: Screening, *, is_edit: bool) -> None:
    """Inside the write transaction: queue a held item, open a flag case, tell moderation."""
    from moderation import services as moderation_services

    if screening.hold_reason is not None and obj.moderation_state == ModerationState.HELD:
        moderation_services.held_item_create(
            content=obj, reason=screening.hold_reason, detail=screening.hold_detail
        )
    if screening.flag_phrase:
        moderation_services.case_open(
            content=obj, source=Case.Source.WATCHED_WORD, detail=screening.flag_phrase
        )
    hooks.content_posted(content=obj, is_edit=is_edit)


def slow_mode_minutes(story: Story) -> int:
    """The thread's slow mode: the story's own setting, else the group's default."""
    if story.reply_slow_mode_minutes is not None:
        return story.reply_slow_mode_minutes
    return thread_slow_mode_minutes(story.group)


def check_slow_mode(*, story: Story, author: User) -> None:
    """One reply per member per N minutes in a thread (facilitators are never slowed)."""
    minutes = slow_mode_minutes(story)
    if not minutes or access_for(author, story.group).can_moderate:
        return
    last = (
        Reply.objects.filter(
            story=story, author=author, created_at__gt=timezone.now() - timedelta(minutes=minutes)
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return
    again = timezone.localtime(last + timedelta(minutes=minutes))
    raise ValidationError(
        {
            "body": ngettext(
                "This thread is in slow mode: one reply every %(n)d minute, so everyone has room to be heard. "
                "You can reply again at %(time)s. Your words are still here.",
                "This thread is in slow mode: one reply every %(n)d minutes, so everyone has room to be heard. "
                "You can reply again at %(time)s. Your words are still here.",
                minutes,
            )
            % {"n": minutes, "time": again.strftime("%H:%M")}
        }
    )


__all__ = [
    "ReplyModeration",
    "Screening",
    "StoryModeration",
    "after_save",
    "check_slow_mode",
    "register",
    "screen",
]
