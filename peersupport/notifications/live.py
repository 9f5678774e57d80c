"""Live page state carried by the notifications socket besides the unread count.

Apps above notifications register a provider per state (e.g. moderation's "urgent" banner) in
their `ready()`; notifications never imports them. A provider takes a user id and answers a
JSON-ready dict, or None when that state does not concern the user. After a change, the owner
calls `push_state_refresh(user_ids)` (after commit): each open page of those users gets the
fresh state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from .services import user_group_name

log = logging.getLogger(__name__)

Provider = Callable[[int], "dict | None"]
_providers: dict[str, Provider] = {}


def register_state(name: str, provider: Provider) -> None:
    """Register a live state; the socket sends it as a frame of type `name`."""
    _providers[name] = provider


def states_for(user_id: int) -> list[dict]:
    """Every registered state that concerns this user, as frames."""
    frames = []
    for name, provider in _providers.items():
        try:
            state = provider(user_id)
        except Exception:  # noqa: BLE001 - one broken provider must not break the socket
            log.exception("live state %s failed for user %s", name, user_id)
            continue
        if state is not None:
            frames.append({**state, "type": name})
    return frames


def push_state_refresh(user_ids: Iterable[int]) -> None:
    """Ask these users' open pages to fetch their live states again (best effort)."""
    layer = get_channel_layer()
    if layer is None:
        return
    for user_id in set(user_ids):
        try:
            async_to_sync(layer.group_send)(user_group_name(user_id), {"type": "state.refresh"})
        except Exception:  # noqa: BLE001 - a live banner must never break a write
            log.warning("could not push live state to user %s", user_id, exc_info=True)
