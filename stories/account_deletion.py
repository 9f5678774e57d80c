"""When an account is purged: remove the member's stories and replies, or keep their replies.

Connected to `peersupport.accounts.signals.account_purging` in StoriesConfig.ready(). Runs inside
the purge transaction, is idempotent and notifies nobody.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from peersupport.accounts.signals import account_purging
from peersupport.notifications.models import Notification

from .models import Follow, ModerationState, Reaction, Reply, Revision, Story, WarningPreference

# Stored in place of a removed story's title (titles may not be empty); never shown as text
# someone wrote.
REMOVED_TITLE = "—"


def _forget_notifications(model: type, ids: list[int]) -> None:
    """Other members' notifications about these items named the author: they go too."""
    if ids:
        Notification.objects.filter(
            target_type=ContentType.objects.get_for_model(model), target_id__in=ids
        ).delete()


def _remove_reactions(user_id: int) -> None:
    for reaction in Reaction.objects.filter(user_id=user_id).only("story_id", "reply_id"):
        model, pk = (Story, reaction.story_id) if reaction.story_id else (Reply, reaction.reply_id)
        model.objects.filter(pk=pk, reaction_count__gt=0).update(
            reaction_count=F("reaction_count") - 1
        )
    Reaction.objects.filter(user_id=user_id).delete()


def purge_member_content(sender: object, *, user_id: int, keep_replies: bool, **kwargs) -> None:
    now = timezone.now()
    story_ids = list(Story.objects.filter(author_id=user_id).values_list("pk", flat=True))
    reply_ids = list(Reply.objects.filter(author_id=user_id).values_list("pk", flat=True))
    # Every thread they wrote, replied or reacted in: its cached reply cards are out of date.
    touched = {
        *story_ids,
        *Reply.objects.filter(pk__in=reply_ids).values_list("story_id", flat=True),
        *Reaction.objects.filter(user_id=user_id, story__isnull=False).values_list(
            "story_id", flat=True
        ),
        *Reaction.objects.filter(user_id=user_id, reply__isnull=False).values_list(
            "reply__story_id", flat=True
        ),
    }
    Story.objects.filter(pk__in=touched).update(version=F("version") + 1)
    _forget_notifications(Story, story_ids)
    _forget_notifications(Reply, reply_ids)
    _remove_reactions(user_id)

    # Their stories: emptied and shown as removed; other members' replies in them stay.
    Revision.objects.filter(story_id__in=story_ids).delete()
    Story.objects.filter(pk__in=story_ids).update(
        title=REMOVED_TITLE,
        body="",
        body_html="",
        excerpt="",
        warning_note="",
        is_deleted=True,
        deleted_at=Coalesce(F("deleted_at"), now),
        is_pinned=False,
        is_anonymous=False,
        author=None,
    )

    mine = Reply.objects.filter(pk__in=reply_ids)
    removed = mine.filter(story_id__in=story_ids) if keep_replies else mine
    if keep_replies:
        # Kept replies in other people's threads: the text stays, nothing says whose it was.
        kept = mine.exclude(story_id__in=story_ids)
        Revision.objects.filter(reply__in=kept).update(edited_by=None)
        kept.update(author=None, is_anonymous=False)
    # Removing a visible reply lowers its story's count, as when the author removes it.
    for story_id in removed.filter(
        is_deleted=False, moderation_state=ModerationState.VISIBLE
    ).values_list("story_id", flat=True):
        Story.objects.filter(pk=story_id, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )
    Revision.objects.filter(reply__in=removed).delete()
    removed.update(
        body="",
        body_html="",
        is_deleted=True,
        deleted_at=Coalesce(F("deleted_at"), now),
        is_anonymous=False,
        author=None,
    )
    # Edits they made to anything else no longer name them.
    Revision.objects.filter(edited_by_id=user_id).update(edited_by=None)
    Follow.objects.filter(user_id=user_id).delete()
    WarningPreference.objects.filter(user_id=user_id).delete()


def connect() -> None:
    account_purging.connect(purge_member_content, dispatch_uid="stories-account-purging")
