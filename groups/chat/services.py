"""Every write of the live chat: post, delete, mute, room settings, presence.

Each service re-checks access through groups.permissions, runs in one transaction and
broadcasts to the room only after commit, so a client never sees a message that was not saved.
"""

import json
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


class ChatRefused(Exception):
    """A message or action that was not accepted; `message` is kind and safe to show."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PostResult:
    message: ChatMessage
    created: bool


def room_group_name(group_id: int) -> str:
    """The channel-layer group of one room."""
    return f"chat.{group_id}"


def flood_limits() -> tuple[int, int]:
    return int(getattr(settings, "CHAT_FLOOD_MESSAGES", 5)), int(
        getattr(settings, "CHAT_FLOOD_SECONDS", 10)
    )


def _broadcast(group_id: int, event: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(room_group_name(group_id), event)


def _broadcast_on_commit(group_id: int, event: dict) -> None:
    transaction.on_commit(lambda: _broadcast(group_id, event))


def room_settings_for(group: Group) -> ChatRoomSettings:
    """The room's settings row, created on first use."""
    room, _created = ChatRoomSettings.objects.get_or_create(group=group)
    return room


def facilitator_present(group_id: int) -> bool:
    return ChatPresence.objects.filter(group_id=group_id, is_moderator=True).exists()


def _check_flood(*, group_id: int, user_id: int) -> None:
    """At most N messages per S seconds per member (a sliding window kept in the cache)."""
    limit, seconds = flood_limits()
    key = f"chat:flood:{group_id}:{user_id}"
    now = time.time()
    stamps = [t for t in (cache.get(key) or []) if t > now - seconds]
    if len(stamps) >= limit:
        wait = max(1, int(stamps[0] + seconds - now + 0.999))
        raise ChatRefused(
            "flood",
            ngettext(
                "You're sending messages very quickly. Please wait %(n)d second and try again.",
                "You're sending messages very quickly. Please wait %(n)d seconds and try again.",
                wait,
            )
            % {"n": wait},
        )
    stamps.append(now)
    cache.set(key, stamps, timeout=seconds + 1)


def _clean_body(body: object) -> str:
    if not isinstance(body, str):
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
def chat_message_post(*, group: Group, author: User, body: object, client_id: object) -> PostResult:
    """Save a chat message with the room's next number, then broadcast it after commit.

    Sending the same client_id again returns the saved message and broadcasts nothing.
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
    _check_flood(group_id=group.pk, user_id=author.pk)
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
        # The same client_id raced in on another connection; that one won.
        transaction.set_rollback(True)
        raise ChatRefused("duplicate", _("That message was already sent.")) from None
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
    _broadcast_on_commit(group.pk, {"type": "chat.message", "id": message.seq, "frame": frame})
    return PostResult(message, created=True)


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
    *, group: Group, actor: User, slow_mode_seconds: int, facilitator_only: bool
) -> ChatRoomSettings:
    """Change slow mode and the facilitator-present rule; everyone in the room sees it live."""
    check_moderate_group(actor, group)
    room_settings_for(group)
    room = ChatRoomSettings.objects.select_for_update().get(pk=group.pk)
    room.slow_mode_seconds = slow_mode_seconds
    room.facilitator_only = facilitator_only
    room.updated_at = timezone.now()
    room.save(update_fields=["slow_mode_seconds", "facilitator_only", "updated_at"])
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


@transaction.atomic
def chat_presence_enter(*, group: Group, user: User, channel_name: str, is_moderator: bool) -> None:
    """Record an open connection (the consumer announces the new head count)."""
    ChatPresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"group": group, "user": user, "is_moderator": is_moderator, "show_name": False},
    )


@transaction.atomic
def chat_presence_show_name(*, channel_name: str, show: bool) -> None:
    """A member chooses whether their name is shown in the room's "here now" list."""
    row = ChatPresence.objects.filter(channel_name=channel_name).first()
    if row is None:
        return
    row.show_name = show
    row.save(update_fields=["show_name"])


@transaction.atomic
def chat_presence_leave(*, channel_name: str) -> None:
    """Forget a closed connection (the consumer announces the new head count)."""
    row = ChatPresence.objects.filter(channel_name=channel_name).first()
    if row is None:
        return
    row.delete()


def presence_debounce_seconds() -> float:
    return float(getattr(settings, "CHAT_PRESENCE_DEBOUNCE_SECONDS", 1.0))


def presence_due(*, group_id: int) -> bool:
    """Claim the room's next presence broadcast; False if one is already due.

    When 200 people arrive at once, 200 x 200 presence frames would queue ahead of the
    messages; instead the first change in an interval asks for one broadcast at its end.
    """
    return cache.add(f"chat:presence-due:{group_id}", 1, timeout=presence_debounce_seconds() + 5)


def presence_flush_state(*, group_id: int) -> dict:
    """Release the claim and return the room's state to broadcast now."""
    cache.delete(f"chat:presence-due:{group_id}")
    return room_state(group_id)
