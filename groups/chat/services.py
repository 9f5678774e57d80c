"""Every write of the live chat: post, delete, mute, room settings, presence.

Each service re-checks access through groups.permissions, runs in one transaction and
broadcasts to the room only after commit, so a client never sees a message that was not saved.
"""

import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups.models import Group, Membership, MuteFor, mute_until
from groups.permissions import access_for, can_moderate_member, check_moderate_group
from peersupport.accounts.models import User

from . import notifications as chat_notifications
from .models import ChatMessage, ChatPresence, ChatRoomSettings
from .selectors import message_payload, presence_payload

MAX_BODY = 2000
CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Chat pauses are short: timed durations from the one vocabulary (groups.models.MuteFor).
MUTE_CHOICES = (MuteFor.MINUTES_15, MuteFor.HOUR, MuteFor.DAY, MuteFor.WEEK)

logger = logging.getLogger(__name__)


class ChatRefused(Exception):
    """A message or action that was not accepted; `message` is kind and safe to show."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class PostResult:
    message: ChatMessage
    created: bool
    # False when the after-commit broadcast failed (the channel layer is down): the message is
    # saved, and the sender's socket echoes it itself; others get it by sync or replay.
    broadcast: bool = True


def room_group_name(group_id: int) -> str:
    """The channel-layer group of one room."""
    return f"chat.{group_id}"


def flood_limits() -> tuple[int, int]:
    return int(getattr(settings, "CHAT_FLOOD_MESSAGES", 5)), int(
        getattr(settings, "CHAT_FLOOD_SECONDS", 10)
    )


def resend_limits() -> tuple[int, int]:
    """Messages typed while offline and resent on reconnecting: a larger, separate allowance."""
    return int(getattr(settings, "CHAT_RESEND_MESSAGES", 60)), int(
        getattr(settings, "CHAT_RESEND_SECONDS", 300)
    )


def _broadcast(group_id: int, event: dict) -> bool:
    """Send to the room's sockets; False (logged) if the channel layer is unreachable.

    Never raises: the message is already saved, and every socket fills gaps from the database
    (its periodic sync, or the replay when it reconnects), so a lost broadcast delays, never
    loses.
    """
    layer = get_channel_layer()
    if layer is None:
        return True
    try:
        async_to_sync(layer.group_send)(room_group_name(group_id), event)
    except Exception:  # noqa: BLE001 - Redis down must not turn a saved message into a 500
        logger.warning(
            "chat broadcast to room %s failed; sockets catch up from the database",
            group_id,
            exc_info=True,
        )
        return False
    return True


def _broadcast_on_commit(group_id: int, event: dict, result: PostResult | None = None) -> None:
    def send() -> None:
        delivered = _broadcast(group_id, event)
        if result is not None:
            result.broadcast = delivered

    transaction.on_commit(send)


def room_settings_for(group: Group) -> ChatRoomSettings:
    """The room's settings row, created on first use."""
    room, _created = ChatRoomSettings.objects.get_or_create(group=group)
    return room


def facilitator_present(group_id: int) -> bool:
    return ChatPresence.objects.filter(group_id=group_id, is_moderator=True).exists()


def _flood_wait_cached(key: str, limit: int, seconds: int) -> int:
    """Seconds to wait (0: go ahead, and it is counted), from a sliding window in the cache."""
    now = time.time()
    stamps = [t for t in (cache.get(key) or []) if t > now - seconds]
    if len(stamps) >= limit:
        return max(1, int(stamps[0] + seconds - now + 0.999))
    stamps.append(now)
    cache.set(key, stamps, timeout=seconds + 1)
    return 0


def _flood_wait_counted(*, group_id: int, user_id: int, limit: int, seconds: int) -> int:
    """The same window counted from saved messages, for when the cache is unreachable."""
    since = timezone.now() - timedelta(seconds=seconds)
    recent = list(
        ChatMessage.objects.filter(group_id=group_id, author_id=user_id, created_at__gt=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return 0
    return max(1, int((recent[-1] - since).total_seconds() + 0.999))


def _check_flood(*, group_id: int, user_id: int, resend: bool = False) -> None:
    """At most N messages per S seconds per member (a sliding window kept in the cache).

    A resend of a message typed while the connection was down is counted against its own,
    larger allowance: it was written at the time, and refusing a reconnect's backlog would
    make people's words vanish. If the cache is down, the window is counted in the database
    instead, so flood control neither fails nor turns into a 500.
    """
    limit, seconds = resend_limits() if resend else flood_limits()
    key = f"chat:{'resend' if resend else 'flood'}:{group_id}:{user_id}"
    try:
        wait = _flood_wait_cached(key, limit, seconds)
    except Exception:  # noqa: BLE001 - an unreachable cache must not lose a message
        logger.warning("chat flood counter unavailable; counting in the database", exc_info=True)
        wait = _flood_wait_counted(group_id=group_id, user_id=user_id, limit=limit, seconds=seconds)
    if wait:
        raise ChatRefused(
            "flood",
            ngettext(
                "You're sending messages very quickly. Please wait %(n)d second and try again.",
                "You're sending messages very quickly. Please wait %(n)d seconds and try again.",
                wait,
            )
            % {"n": wait},
        )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _clean_body(body: object) -> str:
    if not isinstance(body, str):
        raise ChatRefused("invalid", _("That message could not be read. Please try again."))
    if "\x00" in body or not _encodable(body):
        # A NUL (PostgreSQL refuses it in text) or half of a surrogate pair (not text at all)
        # never comes from a keyboard: refuse it before it reaches the database.
        raise ChatRefused("invalid", _("That message could not be read. Please try again."))
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ChatRefused("empty", _("Your message is empty. Write something before sending."))
    if len(body) > MAX_BODY:
        raise ChatRefused(
            "too_long",
            _("Messages can be up to %(max)d characters; yours has %(n)d. Please shorten it.")
            % {"max": MAX_BODY, "n": len(body)},
        )
    return body


def _screen(*, group: Group, author: User, text: str, can_moderate: bool):
    """Watched words before saving: a blocked message is refused; a held one waits."""
    from moderation.screening import screen_text

    result = screen_text(text=text, group=group)
    if result.blocked:
        raise ChatRefused("blocked", result.message)
    if result.hold and can_moderate:
        return type(result)()  # facilitators' own messages are never held
    return result


def _after_save(message: ChatMessage, screened) -> None:
    """Inside the post's transaction: queue a held message or flag it, and tell moderation."""
    from moderation import hooks
    from moderation import services as moderation_services
    from moderation.models import Case, HeldItem

    if screened.hold:
        moderation_services.held_item_create(
            content=message, reason=HeldItem.Reason.WATCHED_WORD, detail=screened.phrase
        )
    elif screened.flag:
        moderation_services.case_open(
            content=message, source=Case.Source.WATCHED_WORD, detail=screened.phrase
        )
    hooks.content_posted(content=message, is_edit=False)


@transaction.atomic
def chat_message_post(
    *, group: Group, author: User, body: object, client_id: object, resend: bool = False
) -> PostResult:
    """Save a chat message with the room's next number, then broadcast it after commit.

    Sending the same client_id again returns the saved message and broadcasts nothing, also
    when two connections send it at the same moment. `resend` marks a message typed while the
    connection was down, which flood control counts separately.
    """
    if not isinstance(client_id, str) or not CLIENT_ID_RE.match(client_id):
        raise ChatRefused("invalid", _("That message could not be read. Please try again."))
    existing = ChatMessage.objects.filter(client_id=client_id).select_related("author").first()
    if existing is not None and existing.author_id == author.pk and existing.group_id == group.pk:
        return PostResult(existing, created=False)
    text = _clean_body(body)
    access = access_for(author, group)
    if not access.can_read:
        raise ChatRefused("forbidden", _("Only members of this group can chat here."))
    if not access.can_post:
        raise ChatRefused("cannot_post", access.post_refusal_reason)
    if existing is not None:
        # Someone else's id (or this person's id from another room): never a silent no-op.
        raise ChatRefused(
            "invalid", _("That message could not be sent. Please reload the page and try again.")
        )
    # The row lock makes numbering and commit order agree: the room's next message cannot
    # commit before this one, so "everything after id N" never skips a late commit.
    room_settings_for(group)
    room = ChatRoomSettings.objects.select_for_update().get(pk=group.pk)
    # Another connection may have saved this very message while we waited for the lock (the
    # same queue resent from two tabs): that is a success, not an error.
    saved = _saved_by(author, client_id)
    if saved is not None and saved.group_id == group.pk:
        return PostResult(saved, created=False)
    if saved is not None:
        raise ChatRefused(
            "invalid", _("That message could not be sent. Please reload the page and try again.")
        )
    if not access.can_moderate:
        if room.facilitator_only and not facilitator_present(group.pk):
            raise ChatRefused(
                "closed", _("The room is closed for now. It opens when a facilitator joins.")
            )
        if room.slow_mode_seconds:
            since = timezone.now() - timedelta(seconds=room.slow_mode_seconds)
            if ChatMessage.objects.filter(
                group=group, author=author, created_at__gt=since
            ).exists():
                raise ChatRefused(
                    "slow_mode",
                    ngettext(
                        "Slow mode is on: one message every %(n)d second. Please wait a moment.",
                        "Slow mode is on: one message every %(n)d seconds. Please wait a moment.",
                        room.slow_mode_seconds,
                    )
                    % {"n": room.slow_mode_seconds},
                )
    _check_flood(group_id=group.pk, user_id=author.pk, resend=resend)
    screened = _screen(group=group, author=author, text=text, can_moderate=access.can_moderate)
    room.last_seq += 1
    room.save(update_fields=["last_seq"])
    try:
        with transaction.atomic():
            message = ChatMessage.objects.create(
                group=group,
                seq=room.last_seq,
                author=author,
                client_id=client_id,
                body=text,
                moderation_state=ChatMessage.State.HELD
                if screened.hold
                else ChatMessage.State.VISIBLE,
            )
    except IntegrityError:
        # The same client_id raced in on another connection and that one won: give back the
        # saved message (the number we took is handed back; we still hold the room's lock).
        saved = _saved_by(author, client_id)
        if saved is None or saved.group_id != group.pk:
            raise
        room.last_seq -= 1
        room.save(update_fields=["last_seq"])
        return PostResult(saved, created=False)
    message.author = author
    if chat_notifications.may_mention(text):
        # Explicitly, after commit: members named with "@" hear about it.
        message_id = message.pk
        transaction.on_commit(
            lambda: chat_notifications.chat_message_mention_notify(message_id), robust=True
        )
    _after_save(message, screened)
    payload = message_payload(message)
    # Encoded once here rather than once per connected socket.
    frame = json.dumps({"type": "message", "message": payload})
    result = PostResult(message, created=True)
    _broadcast_on_commit(
        group.pk, {"type": "chat.message", "id": message.seq, "frame": frame}, result
    )
    return result


def _saved_by(author: User, client_id: str) -> ChatMessage | None:
    return (
        ChatMessage.objects.filter(author=author, client_id=client_id)
        .select_related("author")
        .first()
    )


@transaction.atomic
def chat_message_delete(*, group: Group, actor: User, seq: int, reason: str = "") -> ChatMessage:
    """Remove a message for everyone (kept for moderation records); broadcast the removal.

    Goes through moderation's content_remove, so the author is told and the audit log has it.
    """
    from moderation import services as moderation_services

    check_moderate_group(actor, group)
    message = (
        ChatMessage.objects.select_for_update()
        .select_related("group", "author")
        .get(group=group, seq=seq)
    )
    if message.deleted_at is None:
        message.deleted_at = timezone.now()
        message.deleted_by = actor
        message.save(update_fields=["deleted_at", "deleted_by"])
        # The adapter marks it hidden and broadcasts the removal to the room.
        moderation_services.content_remove(
            actor=actor,
            content=message,
            reason=reason or _("Removed from the chat room by a facilitator."),
        )
    return message


def member_access_changed(sender: object, *, group_id: int, user_id: int, **kwargs) -> None:
    """Tell the room a member's access changed, so their open sockets re-check it.

    Receives groups.signals.membership_access_changed, which group core sends after commit.
    """
    _broadcast(group_id, {"type": "chat.access", "user_id": user_id})


def member_signed_out(sender: object, *, user_id: int, **kwargs) -> None:
    """The member's account was switched off: close their open sockets in every room.

    Receives peersupport.accounts.signals.account_deactivated (sent after commit).
    """
    for group_id in set(
        ChatPresence.objects.filter(user_id=user_id).values_list("group_id", flat=True)
    ):
        _broadcast(group_id, {"type": "chat.signed_out", "user_id": user_id})


@transaction.atomic
def chat_member_mute(*, group: Group, actor: User, user_id: int, mute_for: str) -> Membership:
    """Pause a member's posting in this group for a while; their open sockets are told live."""
    access = check_moderate_group(actor, group)
    if mute_for not in MUTE_CHOICES:
        raise ChatRefused("invalid", _("Please choose how long to pause their posting."))
    membership = (
        Membership.objects.select_related("user")
        .filter(
            group=group,
            user_id=user_id,
            status__in=(Membership.Status.ACTIVE, Membership.Status.MUTED),
        )
        .first()
    )
    if membership is None:
        raise ChatRefused("invalid", _("That person is no longer a member of this group."))
    # Who may act on whom is the permissions module's one rule.
    if not can_moderate_member(actor, access, membership):
        raise ChatRefused("invalid", _("Facilitators can't be paused here."))
    # Moderation's service mutes through groups.services, tells the member, writes the audit
    # row and lets their open sockets know.
    from moderation import services as moderation_services

    try:
        moderation_services.member_mute(
            actor=actor,
            group=group,
            subject=membership.user,
            until=mute_until(mute_for),
            reason=_("Paused from the chat room."),
        )
    except moderation_services.ModerationError as exc:
        raise ChatRefused("invalid", exc.message) from None
    except PermissionDenied as exc:
        raise ChatRefused("invalid", str(exc) or _("You can't pause this person here.")) from None
    membership.refresh_from_db()
    return membership


@transaction.atomic
def chat_room_settings_update(
    *,
    group: Group,
    actor: User,
    slow_mode_seconds: int,
    facilitator_only: bool,
    retention_days: int | None = None,
) -> ChatRoomSettings:
    """Change slow mode, the facilitator-present rule and (if given) how long chat is kept."""
    check_moderate_group(actor, group)
    room_settings_for(group)
    room = ChatRoomSettings.objects.select_for_update().get(pk=group.pk)
    room.slow_mode_seconds = slow_mode_seconds
    room.facilitator_only = facilitator_only
    if retention_days is not None:
        room.retention_days = retention_days
    room.updated_at = timezone.now()
    room.save(
        update_fields=["slow_mode_seconds", "facilitator_only", "retention_days", "updated_at"]
    )
    _broadcast_on_commit(group.pk, {"type": "chat.room", **room_state(group.pk)})
    return room


def room_state(group_id: int) -> dict:
    """What the room looks like now: open or closed, slow mode, who is here."""
    room = ChatRoomSettings.objects.filter(pk=group_id).first()
    present = facilitator_present(group_id)
    facilitator_only = bool(room and room.facilitator_only)
    return {
        "slow_mode_seconds": room.slow_mode_seconds if room else 0,
        "facilitator_only": facilitator_only,
        "open": (not facilitator_only) or present,
        **presence_payload(group_id),
    }
