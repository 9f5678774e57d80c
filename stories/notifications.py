"""Who hears about a new story, reply or reaction. Run after commit, given ids only.

Subscribed in StoriesConfig.ready() to stories' domain events (`stories/signals.py`), which the
services send after commit. Only visible content notifies members: held or hidden posts reach
moderators through moderation.
"""

from __future__ import annotations

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.permissions import access_for
from peersupport.notifications import services as notifications
from peersupport.notifications.mentions import mentioned_users
from peersupport.notifications.models import Kind, Notification

from . import signals
from .models import Reaction, Reply, Story


def author_name(item: Story | Reply) -> str:
    """The name a notification may show for a post's author: never the name of an anonymous one."""
    if item.is_anonymous or item.author is None:
        return _("Anonymous member")
    return item.author.display_name


def _reply_url(reply: Reply) -> str:
    return f"{reply.story.get_absolute_url()}#reply-{reply.pk}"


def _can_read(user, group) -> bool:
    return user is not None and user.is_active and access_for(user, group).can_read


def _notify_mentions(
    *, text: str, group, author_id: int | None, already: set[int], url: str, message: str, target
) -> None:
    for user in mentioned_users(text):
        if user.pk == author_id or user.pk in already or not _can_read(user, group):
            continue
        already.add(user.pk)
        notifications.notify(
            recipient=user, kind=Kind.MENTION, url=url, text=message, target=target, group=group
        )


@transaction.atomic
def story_published_notify(story_id: int) -> None:
    """Tell the group's followers about a newly visible story, and anyone it mentions."""
    story = Story.objects.select_related("group", "author").filter(pk=story_id).first()
    if story is None or not story.is_visible:
        return
    group, url, name = story.group, story.get_absolute_url(), author_name(story)
    told: set[int] = set()
    _notify_mentions(
        text=f"{story.title}\n{story.body}",
        group=group,
        author_id=story.author_id,
        already=told,
        url=url,
        message=_("%(name)s mentioned you in a story.") % {"name": name},
        target=story,
    )
    for user in notifications.group_followers(group=group):
        if user.pk == story.author_id or user.pk in told:
            continue
        told.add(user.pk)
        notifications.notify(
            recipient=user,
            kind=Kind.NEW_STORY_IN_FOLLOWED_GROUP,
            url=url,
            group=group,
            target=story,
            text=_("%(name)s shared a new story: “%(title)s”.")
            % {"name": name, "title": story.title},
        )


@transaction.atomic
def reply_published_notify(reply_id: int) -> None:
    """Tell the story's author, its followers and anyone mentioned about a newly visible reply."""
    reply = (
        Reply.objects.select_related("author", "story__group", "story__author")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None or not reply.is_visible:
        return
    story = reply.story
    if not story.is_visible:
        return
    group, url, name = story.group, _reply_url(reply), author_name(reply)
    told: set[int] = {reply.author_id} if reply.author_id else set()
    if story.author_id and story.author_id not in told and _can_read(story.author, group):
        told.add(story.author_id)
        notifications.notify(
            recipient=story.author,
            kind=Kind.REPLY_TO_MY_STORY,
            url=url,
            group=group,
            target=reply,
            text=_("%(name)s replied to your story “%(title)s”.")
            % {"name": name, "title": story.title},
        )
    mention_told: set[int] = set(told)
    _notify_mentions(
        text=reply.body,
        group=group,
        author_id=reply.author_id,
        already=mention_told,
        url=url,
        message=_("%(name)s mentioned you in a reply.") % {"name": name},
        target=reply,
    )
    told |= mention_told
    for follow in story.follows.select_related("user").exclude(user_id__in=told):
        if not _can_read(follow.user, group):
            continue
        notifications.notify(
            recipient=follow.user,
            kind=Kind.REPLY_IN_FOLLOWED_STORY,
            url=url,
            group=group,
            target=reply,
            text=_("%(name)s replied to “%(title)s”, a story you follow.")
            % {"name": name, "title": story.title},
        )


def _mentioned_before(item: Story | Reply) -> set[int]:
    """Who the text named before its latest edit (the edit kept it as a revision)."""
    revision = item.revisions.first()
    if revision is None:
        return set()
    return {user.pk for user in mentioned_users(f"{revision.title}\n{revision.body}")}


@transaction.atomic
def story_edited_notify(story_id: int) -> None:
    """An edit that names someone new tells them; people already named are not told again."""
    story = Story.objects.select_related("group", "author").filter(pk=story_id).first()
    if story is None or not story.is_visible:
        return
    _notify_mentions(
        text=f"{story.title}\n{story.body}",
        group=story.group,
        author_id=story.author_id,
        already=_mentioned_before(story),
        url=story.get_absolute_url(),
        target=story,
        message=_("%(name)s mentioned you in a story.") % {"name": author_name(story)},
    )


@transaction.atomic
def reply_edited_notify(reply_id: int) -> None:
    """An edited reply that names someone new tells them."""
    reply = Reply.objects.select_related("author", "story__group").filter(pk=reply_id).first()
    if reply is None or not reply.is_visible or not reply.story.is_visible:
        return
    _notify_mentions(
        text=reply.body,
        group=reply.story.group,
        author_id=reply.author_id,
        already=_mentioned_before(reply),
        url=_reply_url(reply),
        target=reply,
        message=_("%(name)s mentioned you in a reply.") % {"name": author_name(reply)},
    )


@transaction.atomic
def reaction_added_notify(reaction_id: int) -> None:
    """Tell an author that people sent support; at most one notification per post per day."""
    reaction = (
        Reaction.objects.select_related(
            "story__group", "story__author", "reply__author", "reply__story__group"
        )
        .filter(pk=reaction_id)
        .first()
    )
    if reaction is None:
        return
    item = reaction.story or reaction.reply
    if not item.is_visible or item.author is None or item.author_id == reaction.user_id:
        return
    story = reaction.story or reaction.reply.story
    group = story.group
    if not _can_read(item.author, group):
        return
    url = story.get_absolute_url() if reaction.story else _reply_url(reaction.reply)
    # Coalesce: notify() refreshes an unread one; one already read today means "not again today".
    today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    earlier = Notification.objects.filter(
        recipient=item.author,
        kind=Kind.REACTION_SUMMARY,
        target_id=item.pk,
        created_at__gte=today,
        target_type__model=item._meta.model_name,
        target_type__app_label=item._meta.app_label,
    )
    if (
        earlier.filter(read_at__isnull=False).exists()
        and not earlier.filter(read_at__isnull=True).exists()
    ):
        return
    count = type(item).objects.values_list("reaction_count", flat=True).get(pk=item.pk)
    if reaction.story:
        text = _("Members sent support to your story “%(title)s” (%(count)s reactions so far).")
    else:
        text = _("Members sent support to your reply on “%(title)s” (%(count)s reactions so far).")
    notifications.notify(
        recipient=item.author,
        kind=Kind.REACTION_SUMMARY,
        url=url,
        group=group,
        target=item,
        text=text % {"title": story.title, "count": count},
    )


# --- signal receivers ------------------------------------------------------------------------
def _on_story_published(sender, *, story_id: int, **kwargs) -> None:
    story_published_notify(story_id)


def _on_story_edited(sender, *, story_id: int, **kwargs) -> None:
    story_edited_notify(story_id)


def _on_reply_published(sender, *, reply_id: int, **kwargs) -> None:
    reply_published_notify(reply_id)


def _on_reply_edited(sender, *, reply_id: int, **kwargs) -> None:
    reply_edited_notify(reply_id)


def _on_reaction_added(sender, *, reaction_id: int, **kwargs) -> None:
    reaction_added_notify(reaction_id)


def connect() -> None:
    """Called once from StoriesConfig.ready()."""
    for signal, receiver in (
        (signals.story_published, _on_story_published),
        (signals.story_edited, _on_story_edited),
        (signals.reply_published, _on_reply_published),
        (signals.reply_edited, _on_reply_edited),
        (signals.reaction_added, _on_reaction_added),
    ):
        signal.connect(receiver, dispatch_uid=f"notify-{receiver.__name__}")
