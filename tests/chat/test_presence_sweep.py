"""Presence rows left behind by a crashed server are swept; live sockets keep theirs fresh
(issue 14, item 8)."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.conf import settings as django_settings
from django.utils import timezone

from groups.chat import presence as chat_presence
from groups.chat import tasks as chat_tasks
from groups.chat.models import ChatPresence
from groups.chat.selectors import presence_payload
from tests.chat.helpers import open_socket, until
from tests.factories import MembershipFactory


def add_presence(group, user, channel_name: str, seen_ago: int) -> ChatPresence:
    return ChatPresence.objects.create(
        group=group,
        user=user,
        channel_name=channel_name,
        seen_at=timezone.now() - timedelta(seconds=seen_ago),
    )


@pytest.mark.django_db
def test_the_sweep_removes_rows_whose_heartbeat_stopped_and_keeps_live_ones(
    member, facilitator, group, settings
):
    settings.CHAT_PRESENCE_HEARTBEAT_SECONDS = 60
    ghosts = [MembershipFactory(group=group).user for _ in range(3)]
    for n, ghost in enumerate(ghosts):
        add_presence(group, ghost, f"crashed.{n}", seen_ago=600)
    add_presence(group, member, "alive.1", seen_ago=30)
    add_presence(group, facilitator, "alive.2", seen_ago=0)
    assert presence_payload(group.pk)["count"] == 5

    assert chat_tasks.chat_presence_sweep() == 3
    assert presence_payload(group.pk)["count"] == 2
    assert set(ChatPresence.objects.values_list("channel_name", flat=True)) == {
        "alive.1",
        "alive.2",
    }
    assert chat_tasks.chat_presence_sweep() == 0  # a second run changes nothing


def test_the_sweep_runs_on_beat():
    schedule = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "groups.chat.tasks.chat_presence_sweep" in schedule


@pytest.mark.django_db(transaction=True)
def test_an_open_socket_keeps_its_presence_row_fresh(member, group, settings):
    settings.CHAT_PRESENCE_HEARTBEAT_SECONDS = 0.2
    settings.CHAT_PRESENCE_STALE_SECONDS = 30

    @database_sync_to_async
    def age_rows() -> None:
        ChatPresence.objects.update(seen_at=timezone.now() - timedelta(hours=1))

    @database_sync_to_async
    def oldest_seen():
        return min(ChatPresence.objects.values_list("seen_at", flat=True))

    async def scenario():
        communicator, connected, code = await open_socket(member, group.slug)
        assert connected, code
        try:
            await until(communicator, "ready")
            await age_rows()
            await asyncio.sleep(0.8)
            assert timezone.now() - await oldest_seen() < timedelta(seconds=5)
            # A sweep now leaves the live connection alone.
            assert await database_sync_to_async(chat_presence.chat_presence_sweep)() == 0
        finally:
            await communicator.disconnect()

    async_to_sync(scenario)()
