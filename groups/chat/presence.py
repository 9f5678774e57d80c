"""Who is in a chat room now: presence rows per open socket, their heartbeat and sweeper, and
the debounced head-count broadcast. Writes of the chat app's presence; the room's state comes
from services."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from groups.models import Group
from peersupport.accounts.models import User

from .models import ChatPresence
from .services import _broadcast, room_state

logger = logging.getLogger(__name__)


@transaction.atomic
def chat_presence_enter(*, group: Group, user: User, channel_name: str, is_moderator: bool) -> None:
    """Record an open connection (the consumer announces the new head count)."""
    ChatPresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"group": group, "user": user, "is_moderator": is_moderator, "show_name": False},
    )


def presence_heartbeat_seconds() -> float:
    return float(getattr(settings, "CHAT_PRESENCE_HEARTBEAT_SECONDS", 60))


def presence_stale_seconds() -> float:
    """A row not refreshed for this long belongs to a connection that is gone."""
    return float(getattr(settings, "CHAT_PRESENCE_STALE_SECONDS", 3 * presence_heartbeat_seconds()))


def chat_presence_heartbeat(*, channel_name: str) -> None:
    """The socket is still open on a live server: mark its row as seen now."""
    ChatPresence.objects.filter(channel_name=channel_name).update(seen_at=timezone.now())


def chat_presence_sweep(*, now=None) -> int:
    """Remove rows of connections whose heartbeat stopped (a crashed server never said
    goodbye), then send each affected room its true head count. Returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(seconds=presence_stale_seconds())
    stale = ChatPresence.objects.filter(seen_at__lt=cutoff)
    rooms = sorted(set(stale.values_list("group_id", flat=True)))
    removed, _by_model = stale.delete()
    for group_id in rooms:
        _broadcast(group_id, {"type": "chat.room", **room_state(group_id)})
    return removed


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
    try:
        return cache.add(
            f"chat:presence-due:{group_id}", 1, timeout=presence_debounce_seconds() + 5
        )
    except Exception:  # noqa: BLE001 - no cache: skip the head count rather than fail a socket
        logger.warning("chat presence claim unavailable for room %s", group_id, exc_info=True)
        return False


def presence_flush_state(*, group_id: int) -> dict:
    """Release the claim and return the room's state to broadcast now."""
    try:
        cache.delete(f"chat:presence-due:{group_id}")
    except Exception:  # noqa: BLE001 - the claim expires by itself
        logger.warning("chat presence claim not released for room %s", group_id, exc_info=True)
    return room_state(group_id)
