"""Live unread count and registered live states (e.g. the urgent banner): one socket per open
page, one channel-layer group per member."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import live, services


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group_name: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accept then close, so the client sees why: 4403 means "sign in first".
            await self.accept()
            await self.close(code=4403)
            return
        self.group_name = services.user_group_name(user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        count = await database_sync_to_async(services.unread_count)(user_id=user.pk)
        await self.send_json({"type": "unread", "count": count})
        await self.send_states()

    async def send_states(self) -> None:
        """Registered live states (e.g. the urgent banner for facilitators)."""
        user = self.scope["user"]
        for frame in await database_sync_to_async(live.states_for)(user.pk):
            await self.send_json(frame)

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content: dict, **kwargs: object) -> None:
        # The socket only listens; members change state through the pages' forms.
        return

    async def unread_count(self, event: dict) -> None:
        await self.send_json({"type": "unread", "count": int(event["count"])})

    async def state_refresh(self, event: dict) -> None:
        await self.send_states()
