"""The chat room's WebSocket: a thin adapter over chat_services and groups.permissions.

Protocol (JSON frames). Client → server: {"type": "message", "client_id", "body", "resend"?},
{"type": "show_name", "value": bool}, {"type": "sync"} (send anything saved that this socket
has not sent yet). The last id the client holds goes in the query string
(`?last_id=N`). Server → client: "message", "deleted", "room", "access", "error", "ready",
"replay_truncated", "paused" (the channel layer is unreachable; the socket then closes with
CLOSE_PAUSED and the page's form posts instead).

Anything a client sends, however malformed, is answered with an `error` frame and the socket
stays open; nothing reaches the database unless the service accepted it.
"""

import asyncio
import json
import logging
import uuid
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch
from django.utils.translation import gettext as _

from groups.models import Group
from groups.permissions import access_for
from groups.sessions import services as session_services
from peersupport.accounts.models import User

from . import presence as chat_presence
from . import services as chat_services
from .selectors import chat_messages_after, message_payload, replay_limit

logger = logging.getLogger(__name__)
CLOSE_FORBIDDEN = 4403
CLOSE_PAUSED = 4503
MAX_FRAME = 16_000
_pending_flushes: set[asyncio.Task] = set()


async def _flush_presence_later(layer, group_id: int) -> None:
    """At the end of the debounce interval, send the room's head count once to everyone."""
    await asyncio.sleep(chat_presence.presence_debounce_seconds())
    try:
        state = await database_sync_to_async(chat_presence.presence_flush_state)(group_id=group_id)
        await layer.group_send(
            chat_services.room_group_name(group_id), {"type": "chat.room", **state}
        )
    except Exception:  # noqa: BLE001 - a missed head count must never take a socket down
        logger.warning("chat presence broadcast failed for room %s", group_id, exc_info=True)


class ChatConsumer(AsyncWebsocketConsumer):
    group: Group | None = None
    user: User | None = None
    room: str = ""
    # Every message up to this id has been sent on this socket. Because numbers are handed out
    # under a row lock, message N being committed means every message before it is too, so a
    # gap can be filled from the database: a frame the channel layer dropped (a full channel,
    # a Redis hiccup) or that arrives out of order is never missed or sent twice.
    sent_up_to: int = 0

    # Set when the channel layer (Redis) cannot be reached: the socket then tells the page that
    # live updates are paused and closes; the page's form keeps working.
    _layer_lost = False
    _heartbeat: asyncio.Task | None = None

    async def __call__(self, scope: dict, receive, send) -> None:
        """AsyncConsumer.__call__, except that an unreachable channel layer ends the socket
        cleanly (a "paused" frame, then CLOSE_PAUSED) instead of failing the handshake with a
        500 and a traceback."""
        self.scope = scope
        self.base_send = send
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        sources = [receive]
        if self.channel_layer is not None:
            try:
                self.channel_name = await self.channel_layer.new_channel()
            except Exception:  # noqa: BLE001 - e.g. the pub/sub layer subscribes at once
                logger.warning("chat socket has no channel layer", exc_info=True)
                self._layer_lost = True
                self.channel_name = f"offline.{uuid.uuid4().hex}"
            else:
                sources.append(self._layer_receive)
        try:
            await await_many_dispatch(sources, self.dispatch)
        except StopConsumer:
            pass

    async def _layer_receive(self) -> dict:
        if self._layer_lost:
            await asyncio.Event().wait()  # nothing more from the layer: the socket is closing
        try:
            return await self.channel_layer.receive(self.channel_name)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - Redis went away under an open socket
            logger.warning("chat socket lost the channel layer", exc_info=True)
            self._layer_lost = True
            return {"type": "chat.layer_lost"}

    async def chat_layer_lost(self, event: dict) -> None:
        await self._pause()

    async def _pause(self) -> None:
        """Tell the page live updates are paused (it falls back to the form), then close."""
        await self._send(
            {
                "type": "paused",
                "message": _("Live updates are paused — your messages still send."),
            }
        )
        await self.close(code=CLOSE_PAUSED)

    async def connect(self) -> None:
        user = self.scope.get("user")
        slug = self.scope["url_route"]["kwargs"]["slug"]
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        found = await self._load(user, slug)
        if found is None:
            # A non-member is refused before accept; a forged or private slug looks the same.
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group, access = found
        self.user = user
        if self._layer_lost:
            await self.accept()
            await self._pause()
            return
        self.room = chat_services.room_group_name(self.group.pk)
        # Join the room first, then replay: anything broadcast meanwhile waits in our queue.
        try:
            await self.channel_layer.group_add(self.room, self.channel_name)
        except Exception:  # noqa: BLE001 - the layer (Redis) is down; the page still works
            logger.warning("chat socket could not join room %s", self.group.pk, exc_info=True)
            self.room = ""
            self._layer_lost = True
            await self.accept()
            await self._pause()
            return
        await self.accept()
        state = await database_sync_to_async(self._enter)(access.can_moderate)
        await self._send({"type": "room", **state})
        await self._announce_presence()
        await self._send(
            {"type": "access", "can_post": access.can_post, "message": access.post_refusal_reason}
        )
        await self._replay(self._last_id())
        self._heartbeat = asyncio.create_task(self._beat())

    async def _beat(self) -> None:
        """While this socket is open, refresh its presence row now and then, so a row left by a
        crashed server (no heartbeat) is told apart and swept."""
        while True:
            await asyncio.sleep(chat_presence.presence_heartbeat_seconds())
            try:
                await database_sync_to_async(chat_presence.chat_presence_heartbeat)(
                    channel_name=self.channel_name
                )
            except Exception:  # noqa: BLE001 - a missed beat only risks an early sweep
                logger.warning("chat presence heartbeat failed", exc_info=True)

    async def disconnect(self, code: int) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        if self.room:
            try:
                await self.channel_layer.group_discard(self.room, self.channel_name)
            except Exception:  # noqa: BLE001 - the layer forgets the channel when it expires
                logger.warning("chat socket could not leave room %s", self.group.pk, exc_info=True)
            await database_sync_to_async(chat_presence.chat_presence_leave)(
                channel_name=self.channel_name
            )
            await self._announce_presence()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data) > MAX_FRAME:
            await self._error("invalid", _("That message could not be read. Please try again."))
            return
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):
            # Not JSON, or nested so deep the parser gives up: either way, unreadable.
            frame = None
        if not isinstance(frame, dict):
            await self._error("invalid", _("That message could not be read. Please try again."))
            return
        kind = frame.get("type")
        if kind == "message":
            await self._post(frame)
        elif kind == "sync":
            # The client checks in now and then: anything saved that this socket has not sent
            # (a broadcast the layer dropped while the room was quiet) goes out now.
            await self._send_after(self.sent_up_to, upto=None)
        elif kind == "show_name":
            await database_sync_to_async(chat_presence.chat_presence_show_name)(
                channel_name=self.channel_name, show=bool(frame.get("value"))
            )
            await self._announce_presence()
        else:
            await self._error(
                "unknown_type", _("That message could not be read. Please try again.")
            )

    async def _post(self, frame: dict) -> None:
        client_id = frame.get("client_id")
        try:
            result = await database_sync_to_async(chat_services.chat_message_post)(
                group=self.group,
                author=self.user,
                body=frame.get("body"),
                client_id=client_id,
                resend=frame.get("resend") is True,
            )
        except chat_services.ChatRefused as refused:
            await self._error(refused.code, refused.message, client_id=client_id)
            if refused.code == "forbidden":
                await self.close(code=CLOSE_FORBIDDEN)
            return
        if not result.created:
            # A resend of something already saved (or saved by another tab a moment ago): echo
            # it to this socket only, so the sender's "sending" turns into "sent".
            await self._send({"type": "message", "message": message_payload(result.message)})
        elif not result.broadcast:
            # The layer is down, so no echo will come: send it (and anything before it) from
            # the database, so the sender sees it saved.
            await self._send_after(self.sent_up_to, upto=result.message.seq)

    # --- events from the channel layer ------------------------------------------------------
    async def chat_message(self, event: dict) -> None:
        seq = event["id"]
        if seq <= self.sent_up_to:
            return  # already sent (by the replay or a gap fill)
        if seq > self.sent_up_to + 1:
            await self._fill_gap(upto=seq)
            return
        await self.send(text_data=event["frame"])
        self.sent_up_to = seq

    async def chat_update(self, event: dict) -> None:
        # A moderated message redrawn in place (restored, redacted, approved); not a new id.
        await self.send(text_data=event["frame"])

    async def chat_deleted(self, event: dict) -> None:
        await self._send(
            {"type": "deleted", "id": event["id"], "text": _("Removed by a facilitator.")}
        )

    async def chat_room(self, event: dict) -> None:
        await self._send({**{k: v for k, v in event.items() if k != "type"}, "type": "room"})

    async def chat_signed_out(self, event: dict) -> None:
        # The account was switched off (deletion): this socket was opened by a session that
        # no longer exists.
        if self.user is None or event["user_id"] != self.user.pk:
            return
        await self._send(
            {"type": "removed", "message": _("You have been signed out, so the chat has closed.")}
        )
        await self.close(code=CLOSE_FORBIDDEN)

    async def chat_access(self, event: dict) -> None:
        if self.user is None or event["user_id"] != self.user.pk:
            return
        access = await database_sync_to_async(self._access)()
        if not access.can_read:
            await self._send(
                {
                    "type": "removed",
                    "message": _(
                        "You are no longer a member of this group, so the chat has closed."
                    ),
                }
            )
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self._send(
            {"type": "access", "can_post": access.can_post, "message": access.post_refusal_reason}
        )

    # --- helpers ----------------------------------------------------------------------------
    def _enter(self, is_moderator: bool) -> dict:
        chat_presence.chat_presence_enter(
            group=self.group,
            user=self.user,
            channel_name=self.channel_name,
            is_moderator=is_moderator,
        )
        try:
            # During a scheduled session, joining the room counts as attending it.
            session_services.attendance_record(group=self.group, user=self.user)
        except Exception:  # noqa: BLE001 - attendance must never keep someone out of the room
            logger.warning("could not record session attendance", exc_info=True)
        return chat_services.room_state(self.group.pk)

    async def _announce_presence(self) -> None:
        if await database_sync_to_async(chat_presence.presence_due)(group_id=self.group.pk):
            task = asyncio.create_task(_flush_presence_later(self.channel_layer, self.group.pk))
            _pending_flushes.add(task)
            task.add_done_callback(_pending_flushes.discard)

    def _last_id(self) -> int:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        try:
            return max(0, int(query.get("last_id", ["0"])[0]))
        except ValueError:
            return 0

    async def _replay(self, last_id: int) -> None:
        self.sent_up_to = last_id
        await self._send_after(last_id, upto=None)
        await self._send({"type": "ready", "last_id": self.sent_up_to})

    async def _fill_gap(self, *, upto: int) -> None:
        await self._send_after(self.sent_up_to, upto=upto)

    async def _send_after(self, after: int, *, upto: int | None) -> None:
        """Send saved messages after `after` (up to `upto`), at most the replay limit; beyond
        it, tell the client to page the rest over HTTP."""
        limit = replay_limit()
        messages = await database_sync_to_async(self._after)(after, upto, limit + 1)
        for message in messages[:limit]:
            await self._send({"type": "message", "message": message})
            self.sent_up_to = message["id"]
        if len(messages) > limit:
            await self._send({"type": "replay_truncated", "after": self.sent_up_to})
            if upto is not None:
                self.sent_up_to = upto

    def _after(self, after: int, upto: int | None, limit: int) -> list[dict]:
        found = chat_messages_after(self.group.pk, after, limit=limit, upto=upto)
        return [message_payload(m) for m in found]

    def _access(self):
        return access_for(self.user, self.group)

    @database_sync_to_async
    def _load(self, user: User, slug: str) -> tuple[Group, object] | None:
        group = Group.objects.filter(slug=slug).first()
        if group is None:
            return None
        access = access_for(user, group)
        if not access.can_read:
            return None
        return group, access

    async def _error(self, code: str, message: str, client_id: object = None) -> None:
        frame = {"type": "error", "code": code, "message": message}
        if isinstance(client_id, str) and chat_services.CLIENT_ID_RE.match(client_id):
            frame["client_id"] = client_id
        await self._send(frame)

    async def _send(self, frame: dict) -> None:
        await self.send(text_data=json.dumps(frame))
