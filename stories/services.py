"""Every write to stories, replies, reactions, follows and warning preferences.

Each service re-checks permission through groups.permissions, runs in one transaction and keeps
denormalised counters (reply_count, reaction_count, last_activity_at) in step with the rows.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Group
from groups.permissions import (
    check_moderate_group,
    check_post_author,
    check_post_in_group,
    check_read_group,
    check_reply_in_group,
)
from peersupport.accounts.models import User
from peersupport.markdown import render_markdown

from . import moderation, signals
from .models import (
    REPLY_BODY_MAX,
    STORY_BODY_MAX,
    TITLE_MAX,
    WARNING_NOTE_MAX,
    Follow,
    ModerationState,
    Reaction,
    ReactionKind,
    Reply,
    Revision,
    Story,
    Theme,
    WarningPreference,
    make_excerpt,
)
from .thread_cache import thread_changed, warning_prefs_forget

JUST_SHARING_REFUSAL = _(
    "The author chose “Just sharing”, so replies are closed on this story. "
    "A support reaction is a kind way to let them know you read it."
)


def _clean_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Please write something here.")})
    if len(value) > max_length:
        raise ValidationError(
            {field: _("Please keep this to %(max)s characters or fewer.") % {"max": max_length}}
        )
    return value


def _clean_warnings(warnings: Iterable[str]) -> str:
    known = set(Theme.values)
    chosen = list(dict.fromkeys(warnings or []))
    unknown = [w for w in chosen if w not in known]
    if unknown:
        raise ValidationError({"warnings": _("Please choose warnings from the list.")})
    # Stored in the list's order, so badges always read the same way.
    return ",".join(t for t in Theme.values if t in chosen)


def _check_story_readable(story: Story, user: User):
    access = check_read_group(user, story.group)
    if not story.is_visible and not access.can_see_unpublished(story):
        raise Http404
    return access


@transaction.atomic
def story_submit(
    *,
    group: Group,
    author: User,
    title: str,
    body: str,
    warnings: Iterable[str] = (),
    warning_note: str = "",
    is_anonymous: bool = False,
    replies_welcome: bool = True,
) -> Story:
    """Publish a story in a group; the author follows it automatically."""
    check_post_in_group(author, group)
    title = _clean_text(title, field="title", max_length=TITLE_MAX)
    body = _clean_text(body, field="body", max_length=STORY_BODY_MAX)
    warning_note = _clean_text(
        warning_note, field="warning_note", max_length=WARNING_NOTE_MAX, required=False
    )
    screening = moderation.screen(
        group=group, author=author, text=f"{title}\n{body}\n{warning_note}", new_story=True
    )
    body_html = render_markdown(body)
    now = timezone.now()
    story = Story.objects.create(
        group=group,
        author=author,
        title=title,
        body=body,
        body_html=body_html,
        excerpt=make_excerpt(body_html),
        warnings=_clean_warnings(warnings),
        warning_note=warning_note,
        is_anonymous=is_anonymous,
        replies_welcome=replies_welcome,
        moderation_state=screening.state,
        created_at=now,
        last_activity_at=now,
    )
    Follow.objects.create(user=author, story=story)
    moderation.after_save(story, screening, is_edit=False)
    if story.is_visible:
        signals.send_on_commit(signals.story_published, story_id=story.pk)
    return story


@transaction.atomic
def story_edit(
    *,
    story: Story,
    editor: User,
    title: str,
    body: str,
    warnings: Iterable[str] = (),
    warning_note: str = "",
    replies_welcome: bool = True,
) -> Story:
    """Change a story's text, keeping the earlier version as a revision."""
    story = Story.objects.select_for_update().select_related("group").get(pk=story.pk)
    check_post_author(editor, story)
    if story.is_deleted:
        raise Http404
    check_post_in_group(editor, story.group)
    title = _clean_text(title, field="title", max_length=TITLE_MAX)
    body = _clean_text(body, field="body", max_length=STORY_BODY_MAX)
    warning_note = _clean_text(
        warning_note, field="warning_note", max_length=WARNING_NOTE_MAX, required=False
    )
    screening = moderation.screen(
        group=story.group, author=editor, text=f"{title}\n{body}\n{warning_note}"
    )
    Revision.objects.create(story=story, title=story.title, body=story.body, edited_by=editor)
    was_visible, body_changed = story.is_visible, story.body != body
    story.title = title
    story.body = body
    story.body_html = render_markdown(body)
    story.excerpt = make_excerpt(story.body_html)
    story.warnings = _clean_warnings(warnings)
    story.warning_note = warning_note
    story.replies_welcome = replies_welcome
    if story.moderation_state == ModerationState.VISIBLE:
        story.moderation_state = screening.state
    story.edited_at = timezone.now()
    story.save()
    thread_changed(story.pk)
    moderation.after_save(story, screening, is_edit=True)
    if was_visible and body_changed and story.is_visible:
        signals.send_on_commit(signals.story_edited, story_id=story.pk)
    return story


@transaction.atomic
def story_delete(*, story: Story, user: User) -> Story:
    """The author removes their story; the thread stays, marked "removed by the author"."""
    story = Story.objects.select_for_update().select_related("group").get(pk=story.pk)
    check_post_author(user, story)
    check_read_group(user, story.group)
    if not story.is_deleted:
        story.is_deleted = True
        story.deleted_at = timezone.now()
        story.is_pinned = False
        story.save(update_fields=["is_deleted", "deleted_at", "is_pinned"])
        thread_changed(story.pk)
    return story


@transaction.atomic
def reply_submit(*, story: Story, author: User, body: str, is_anonymous: bool = False) -> Reply:
    """Add a reply to a story that welcomes replies; bumps the story's activity and count."""
    story = Story.objects.select_for_update().select_related("group").get(pk=story.pk)
    check_reply_in_group(author, story.group)
    _check_story_readable(story, author)
    if story.is_deleted or not story.is_visible:
        raise PermissionDenied(_("This story is no longer open for replies."))
    if not story.replies_welcome:
        raise PermissionDenied(JUST_SHARING_REFUSAL)
    body = _clean_text(body, field="body", max_length=REPLY_BODY_MAX)
    moderation.check_slow_mode(story=story, author=author)
    screening = moderation.screen(group=story.group, author=author, text=body, new_reply=True)
    now = timezone.now()
    reply = Reply.objects.create(
        story=story,
        author=author,
        body=body,
        body_html=render_markdown(body),
        is_anonymous=is_anonymous,
        moderation_state=screening.state,
        created_at=now,
    )
    if reply.is_visible:
        Story.objects.filter(pk=story.pk).update(
            reply_count=F("reply_count") + 1, last_activity_at=now
        )
    # Held or visible, the thread shows it to someone (its author, the facilitators).
    thread_changed(story.pk)
    moderation.after_save(reply, screening, is_edit=False)
    if reply.is_visible:
        signals.send_on_commit(signals.reply_published, reply_id=reply.pk)
    return reply


@transaction.atomic
def reply_edit(*, reply: Reply, editor: User, body: str) -> Reply:
    """Change a reply's text, keeping the earlier version as a revision."""
    reply = Reply.objects.select_for_update().select_related("story__group").get(pk=reply.pk)
    check_post_author(editor, reply)
    if reply.is_deleted:
        raise Http404
    check_post_in_group(editor, reply.story.group)
    body = _clean_text(body, field="body", max_length=REPLY_BODY_MAX)
    screening = moderation.screen(group=reply.story.group, author=editor, text=body)
    Revision.objects.create(reply=reply, body=reply.body, edited_by=editor)
    was_visible, body_changed = reply.is_visible, reply.body != body
    reply.body = body
    reply.body_html = render_markdown(body)
    if reply.moderation_state == ModerationState.VISIBLE:
        reply.moderation_state = screening.state
        if screening.state != ModerationState.VISIBLE:
            Story.objects.filter(pk=reply.story_id, reply_count__gt=0).update(
                reply_count=F("reply_count") - 1
            )
    reply.edited_at = timezone.now()
    reply.save()
    thread_changed(reply.story_id)
    moderation.after_save(reply, screening, is_edit=True)
    if was_visible and body_changed and reply.is_visible:
        signals.send_on_commit(signals.reply_edited, reply_id=reply.pk)
    return reply


@transaction.atomic
def reply_delete(*, reply: Reply, user: User) -> Reply:
    """The author removes their reply; it shows as "removed by the author"."""
    story = Story.objects.select_for_update().get(pk=reply.story_id)
    reply = Reply.objects.select_for_update().select_related("story__group").get(pk=reply.pk)
    check_post_author(user, reply)
    check_read_group(user, reply.story.group)
    if not reply.is_deleted:
        was_visible = reply.is_visible
        reply.is_deleted = True
        reply.deleted_at = timezone.now()
        reply.save(update_fields=["is_deleted", "deleted_at"])
        thread_changed(story.pk)
        if was_visible:
            Story.objects.filter(pk=story.pk, reply_count__gt=0).update(
                reply_count=F("reply_count") - 1
            )
    return reply


@transaction.atomic
def reaction_toggle(
    *, user: User, kind: str, story: Story | None = None, reply: Reply | None = None
) -> bool:
    """Add the user's reaction of this kind to a story or reply, or take it back. Returns True if now on."""
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": _("Please choose one of the reactions.")})
    if (story is None) == (reply is None):
        raise ValueError("react to exactly one of story or reply")
    # Lock the target first so two clicks cannot both add or both remove.
    if story is not None:
        target = Story.objects.select_for_update().select_related("group").get(pk=story.pk)
        group, model, lookup = target.group, Story, {"story": target}
        _check_story_readable(target, user)
    else:
        target = Reply.objects.select_for_update().select_related("story__group").get(pk=reply.pk)
        group, model, lookup = target.story.group, Reply, {"reply": target}
        _check_story_readable(target.story, user)
    check_post_in_group(user, group)
    if not target.is_visible:
        raise PermissionDenied(_("This can't take reactions right now."))
    thread_changed(target.pk if story is not None else target.story_id)
    deleted, _rows = Reaction.objects.filter(user=user, kind=kind, **lookup).delete()
    if deleted:
        model.objects.filter(pk=target.pk, reaction_count__gt=0).update(
            reaction_count=F("reaction_count") - 1
        )
        return False
    try:
        with transaction.atomic():
            reaction = Reaction.objects.create(user=user, kind=kind, **lookup)
    except IntegrityError:
        return True
    model.objects.filter(pk=target.pk).update(reaction_count=F("reaction_count") + 1)
    signals.send_on_commit(signals.reaction_added, reaction_id=reaction.pk)
    return True


@transaction.atomic
def story_pin(*, story: Story, user: User) -> Story:
    """A facilitator pins a story to the top of the group's list."""
    check_moderate_group(user, story.group)
    if story.is_deleted or not story.is_visible:
        raise PermissionDenied(_("Only visible stories can be pinned."))
    Story.objects.filter(pk=story.pk).update(is_pinned=True, version=F("version") + 1)
    story.is_pinned = True
    return story


@transaction.atomic
def story_slow_mode_set(*, story: Story, user: User, minutes: int | None) -> Story:
    """A facilitator sets this thread's slow mode (None: the group's default); audited."""
    from moderation.services import action_record

    check_moderate_group(user, story.group)
    if minutes is not None and not 0 <= minutes <= 24 * 60:
        raise ValidationError({"minutes": _("Please choose from the list.")})
    story = Story.objects.select_for_update().select_related("group").get(pk=story.pk)
    before = story.reply_slow_mode_minutes
    story.reply_slow_mode_minutes = minutes
    story.save(update_fields=["reply_slow_mode_minutes"])
    thread_changed(story.pk)
    action_record(
        actor=user,
        action="thread.slow_mode",
        target=story,
        group=story.group,
        before={"minutes": before},
        after={"minutes": minutes},
    )
    return story


@transaction.atomic
def story_unpin(*, story: Story, user: User) -> Story:
    """A facilitator unpins a story."""
    check_moderate_group(user, story.group)
    Story.objects.filter(pk=story.pk).update(is_pinned=False, version=F("version") + 1)
    story.is_pinned = False
    return story


@transaction.atomic
def story_follow(*, story: Story, user: User) -> Follow:
    """Follow a story (notifications use this later); idempotent."""
    _check_story_readable(story, user)
    follow, _created = Follow.objects.get_or_create(user=user, story=story)
    return follow


@transaction.atomic
def story_unfollow(*, story: Story, user: User) -> None:
    """Stop following a story; idempotent."""
    check_read_group(user, story.group)
    Follow.objects.filter(user=user, story=story).delete()


@transaction.atomic
def warning_preferences_set(*, user: User, choices: dict[str, str]) -> None:
    """Save a member's per-theme choice; an empty choice means the default (collapsed)."""
    if not user.is_authenticated:
        raise PermissionDenied
    for theme, choice in choices.items():
        if theme not in Theme.values or choice not in ("", *WarningPreference.Choice.values):
            raise ValidationError(_("Please choose from the list."))
    for theme, choice in choices.items():
        if choice:
            WarningPreference.objects.update_or_create(
                user=user, theme=theme, defaults={"choice": choice}
            )
        else:
            WarningPreference.objects.filter(user=user, theme=theme).delete()
    warning_prefs_forget(user.pk)
