"""Redis goes down while PostgreSQL (or SQLite) is up: chat still saves what people write
(issue 14, item 1).

The test starts its own Redis on a spare loopback port, points the cache and the channel layer at
it, and kills it mid-test. It needs only `redis-server` on the PATH (CI has it).
"""

import logging
import shutil
import socket
import subprocess
import time
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from django.test import Client

from groups.chat.models import ChatMessage
from tests.chat.helpers import messages_in, next_of, open_socket, send, until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """A Redis of our own on 127.0.0.1, nothing saved to disk; stop() is a kill -9."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None


LAYERS = {
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}


@pytest.fixture(params=["pubsub"])
def redis_on_spare_port(request, settings):
    redis = ThrowawayRedis()
    redis.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis.url,
            "KEY_PREFIX": "outage",
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": LAYERS[request.param],
            "CONFIG": {"hosts": [redis.url], "prefix": "outage"},
        }
    }
    channel_layers.backends.clear()
    try:
        yield redis
    finally:
        redis.stop()
        channel_layers.backends.clear()


def run(coro_fn):
    async_to_sync(coro_fn)()


def errors_logged(caplog) -> list[logging.LogRecord]:
    """Errors logged by anything but channels-redis, which rightly logs that Redis is down."""
    return [
        r
        for r in caplog.records
        if r.levelno >= logging.ERROR and not r.name.startswith("channels_redis")
    ]


def test_the_chat_form_still_saves_while_redis_is_down(
    redis_on_spare_port, member, group, caplog, settings
):
    settings.CHAT_FLOOD_MESSAGES = 100
    client = Client(raise_request_exception=True)
    client.force_login(member)
    url = f"/groups/{group.slug}/chat/"
    assert client.post(url, {"body": "Before", "client_id": uuid.uuid4().hex}).status_code == 302
    redis_on_spare_port.stop()
    with caplog.at_level(logging.WARNING):
        for n in range(20):
            response = client.post(url, {"body": f"During {n}", "client_id": uuid.uuid4().hex})
            assert response.status_code == 302, n
        page = client.get(url)
    assert page.status_code == 200
    assert "During 19" in page.content.decode()
    assert ChatMessage.objects.count() == 21
    assert errors_logged(caplog) == []
    assert any("broadcast" in r.getMessage() for r in caplog.records)


def test_flood_control_still_holds_while_the_cache_is_down(
    redis_on_spare_port, member, group, settings
):
    from groups.chat import services as chat_services

    settings.CHAT_FLOOD_MESSAGES = 3
    settings.CHAT_FLOOD_SECONDS = 60
    redis_on_spare_port.stop()
    for n in range(3):
        chat_services.chat_message_post(
            group=group, author=member, body=f"m{n}", client_id=f"flood-{n:04}"
        )
    with pytest.raises(chat_services.ChatRefused) as refused:
        chat_services.chat_message_post(
            group=group, author=member, body="m3", client_id="flood-0003"
        )
    assert refused.value.code == "flood"
    assert ChatMessage.objects.count() == 3


@pytest.mark.parametrize("redis_on_spare_port", ["pubsub", "core"], indirect=True)
def test_a_socket_handshake_while_redis_is_down_closes_cleanly_with_a_reason(
    redis_on_spare_port, member, group, caplog
):
    redis_on_spare_port.stop()

    async def scenario():
        communicator, connected, code = await open_socket(member, group.slug)
        assert connected, code
        paused = await next_of(communicator, "paused")
        assert "Live updates are paused" in paused["message"]
        closed = await communicator.receive_output(timeout=5)
        assert (closed["type"], closed["code"]) == ("websocket.close", 4503)
        await communicator.disconnect()

    with caplog.at_level(logging.WARNING):
        run(scenario)
    assert errors_logged(caplog) == []


def test_an_open_socket_keeps_saving_when_redis_dies_and_others_catch_up_when_it_is_back(
    redis_on_spare_port, member, facilitator, group, caplog
):
    """The pub/sub layer (the default) keeps an open socket open: what is sent is saved and
    echoed from the database; a reader who reconnects once Redis is back replays it."""

    async def scenario():
        writer, ok, code = await open_socket(member, group.slug)
        assert ok, code
        await until(writer, "ready")
        first = await send(writer, "Before the outage")
        assert (await next_of(writer, "message"))["message"]["client_id"] == first
        redis_on_spare_port.stop()
        during = await send(writer, "During the outage")
        echoed = await next_of(writer, "message")
        assert echoed["message"]["client_id"] == during
        await writer.disconnect()
        assert await _bodies() == ["Before the outage", "During the outage"]

        # Redis comes back (a fresh one on the same port): a reconnecting reader replays all.
        redis_on_spare_port.start()
        channel_layers.backends.clear()
        reader, ok, code = await open_socket(facilitator, group.slug, last_id=1)
        assert ok, code
        replayed = messages_in(await until(reader, "ready"))
        assert [m["client_id"] for m in replayed] == [during]
        await reader.disconnect()

    with caplog.at_level(logging.WARNING):
        run(scenario)
    assert errors_logged(caplog) == []


@pytest.mark.parametrize("redis_on_spare_port", ["core"], indirect=True)
def test_an_open_socket_on_the_list_layer_is_told_live_updates_paused_when_redis_dies(
    redis_on_spare_port, member, group, caplog
):
    """The list-based layer's receive fails when Redis dies: the socket says so and closes
    cleanly, and the page falls back to its form (which saves, as tested above)."""

    async def scenario():
        communicator, ok, code = await open_socket(member, group.slug)
        assert ok, code
        await until(communicator, "ready")
        redis_on_spare_port.stop()
        paused = await next_of(communicator, "paused")
        assert "your messages still send" in paused["message"]
        closed = await communicator.receive_output(timeout=10)
        assert (closed["type"], closed["code"]) == ("websocket.close", 4503)
        await communicator.disconnect()

    with caplog.at_level(logging.WARNING):
        run(scenario)
    assert errors_logged(caplog) == []


async def _bodies() -> list[str]:
    from channels.db import database_sync_to_async

    return await database_sync_to_async(
        lambda: list(ChatMessage.objects.order_by("seq").values_list("body", flat=True))
    )()


def test_get_help_now_and_reporting_still_work_while_redis_is_down(
    redis_on_spare_port, member, facilitator, group, caplog, settings
):
    """Not chat, but the same outage: the crisis page must never fail, and a report must never
    be lost (its rate limit counts in the database instead)."""
    from groups.chat import services as chat_services
    from moderation import services as moderation_services
    from moderation.models import Reason, Report

    settings.MODERATION_REPORT_RATE = (1, 600)
    message = chat_services.chat_message_post(
        group=group, author=facilitator, body="Hello", client_id="outage-report-1"
    ).message
    other = chat_services.chat_message_post(
        group=group, author=facilitator, body="Hello again", client_id="outage-report-2"
    ).message
    redis_on_spare_port.stop()
    client = Client(raise_request_exception=True)
    with caplog.at_level(logging.WARNING):
        assert client.get("/help/").status_code == 200
        moderation_services.report_create(reporter=member, content=message, reason=Reason.SPAM)
        with pytest.raises(moderation_services.ReportRateLimited):
            moderation_services.report_create(reporter=member, content=other, reason=Reason.SPAM)
    assert Report.objects.count() == 1
    assert errors_logged(caplog) == []
