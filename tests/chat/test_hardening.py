"""Chat under abuse and bad luck: hostile frames, resent backlogs, one message sent from two
sockets at once, and socket paths nobody owns (issue 14, items 2–5)."""

import json
import logging
import threading
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import close_old_connections, connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from groups.chat import services as chat_services
from groups.chat.models import ChatMessage, ChatRoomSettings
from peersupport.asgi import application
from tests.chat.helpers import drain, messages_in, next_of, open_socket, recv, send, until

pytestmark = pytest.mark.django_db(transaction=True)


def run(coro_fn):
    async_to_sync(coro_fn)()


async def ready(user, slug):
    communicator, connected, code = await open_socket(user, slug)
    assert connected, f"refused with {code}"
    await until(communicator, "ready")
    return communicator


@database_sync_to_async
def saved_bodies() -> list[str]:
    return list(ChatMessage.objects.order_by("seq").values_list("body", flat=True))


def errors_logged(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- item 4: hostile frames ---------------------------------------------------------------
DEEP_ARRAY = "[" * 5000 + "]" * 5000
HOSTILE = {
    "lone surrogate in the body": json.dumps(
        {"type": "message", "client_id": "hostile-0001", "body": "hello \ud800 there"}
    ),
    "5,000-deep nested array": DEEP_ARRAY,
    "5,000-deep array as the body": json.dumps(
        {"type": "message", "client_id": "hostile-0002", "body": None}
    ).replace("null", DEEP_ARRAY),
    "NUL in the body": json.dumps(
        {"type": "message", "client_id": "hostile-0003", "body": "hello\x00there"}
    ),
    "lone surrogate in the client id": json.dumps(
        {"type": "message", "client_id": "abc\udfffdefgh", "body": "hello"}
    ),
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_frame_gets_an_error_frame_saves_nothing_and_keeps_the_socket(
    raw, member, group, caplog
):
    async def scenario():
        communicator = await ready(member, group.slug)
        try:
            await communicator.send_to(text_data=raw)
            error = await next_of(communicator, "error")
            assert error["code"] == "invalid"
            assert "client_id" not in error or error["client_id"].isascii()
            assert await saved_bodies() == []
            # Still open and working.
            await send(communicator, "Still here")
            assert (await next_of(communicator, "message"))["message"]["html"] == "Still here"
        finally:
            await communicator.disconnect()

    with caplog.at_level(logging.WARNING):
        run(scenario)
    assert errors_logged(caplog) == []


def test_a_binary_frame_gets_an_error_frame(member, group):
    async def scenario():
        communicator = await ready(member, group.slug)
        try:
            await communicator.send_to(bytes_data=b"\x00\xff binary")
            assert (await recv(communicator))["type"] == "error"
        finally:
            await communicator.disconnect()

    run(scenario)


def test_the_service_refuses_nul_and_lone_surrogates(member, group):
    for body in ("a\x00b", "a\ud800b", "\udc00"):
        with pytest.raises(chat_services.ChatRefused) as refused:
            chat_services.chat_message_post(
                group=group, author=member, body=body, client_id=uuid.uuid4().hex
            )
        assert refused.value.code == "invalid"
    assert ChatMessage.objects.count() == 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
frame_dicts = st.fixed_dictionaries(
    {"type": st.sampled_from(["message", "sync", "show_name", "shout", ""]) | st.text()},
    optional={
        "client_id": st.text(max_size=70) | json_values,
        "body": st.text(max_size=50) | json_values,
        "value": json_values,
        "resend": json_values,
    },
)
raw_frames = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300),
    json_values.map(json.dumps),
    frame_dicts.map(json.dumps),
    frame_dicts.map(lambda d: json.dumps(d, ensure_ascii=False)),
    st.integers(min_value=1, max_value=6000).map(lambda n: "[" * n + "]" * n),
)


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(frames=st.lists(raw_frames, min_size=1, max_size=6))
def test_the_consumer_never_raises_whatever_it_is_sent(member, group, settings, caplog, frames):
    settings.CHAT_FLOOD_MESSAGES = 10_000

    async def scenario():
        communicator = await ready(member, group.slug)
        try:
            for raw in frames:
                # As the server hands frames over (send_to refuses empty ones).
                key = "bytes" if isinstance(raw, bytes) else "text"
                await communicator.send_input({"type": "websocket.receive", key: raw})
            # receive_from re-raises anything the consumer raised; a closed socket fails here.
            for frame in await drain(communicator, quiet=0.2):
                assert frame["type"] in {"error", "message", "room", "access"}
            client_id = await send(communicator, "Checking in")
            echoed = await until(communicator, "message")
            assert echoed[-1]["message"]["client_id"] == client_id
        finally:
            await communicator.disconnect()

    caplog.clear()
    with caplog.at_level(logging.WARNING):
        run(scenario)
    assert errors_logged(caplog) == []
    for body in ChatMessage.objects.values_list("body", flat=True):
        assert "\x00" not in body
        body.encode("utf-8")  # no lone surrogate was saved


# --- item 5: a socket path nobody owns ------------------------------------------------------
@pytest.mark.parametrize("path", ["/ws/nowhere/", "/ws/groups/x/chat/extra/", "/", "/admin/"])
def test_an_unknown_socket_path_is_refused_at_the_handshake_without_an_error(path, member, caplog):
    async def scenario():
        communicator = WebsocketCommunicator(
            application, path, headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")]
        )
        connected, code = await communicator.connect(timeout=5)
        assert (connected, code) == (False, 4404)
        await communicator.disconnect()

    with caplog.at_level(logging.WARNING):
        run(scenario)
    assert errors_logged(caplog) == []


# --- item 2: a reconnect's backlog is not eaten by flood control -------------------------------
def test_resends_of_a_backlog_are_not_counted_against_the_flood_limit(member, group, settings):
    settings.CHAT_FLOOD_MESSAGES = 5
    settings.CHAT_FLOOD_SECONDS = 60
    for n in range(5):
        chat_services.chat_message_post(
            group=group, author=member, body=f"now {n}", client_id=f"typed-now-{n:04}"
        )
    # Thirty-six messages typed while the connection was down arrive at once.
    for n in range(36):
        result = chat_services.chat_message_post(
            group=group,
            author=member,
            body=f"typed offline {n}",
            client_id=f"offline-{n:04}",
            resend=True,
        )
        assert result.created
    assert ChatMessage.objects.count() == 41
    with pytest.raises(chat_services.ChatRefused) as refused:
        chat_services.chat_message_post(
            group=group, author=member, body="one too many", client_id="typed-now-9999"
        )
    assert refused.value.code == "flood"


def test_resends_have_their_own_bounded_allowance(member, group, settings):
    settings.CHAT_RESEND_MESSAGES = 3
    settings.CHAT_RESEND_SECONDS = 60
    for n in range(3):
        chat_services.chat_message_post(
            group=group, author=member, body=f"r{n}", client_id=f"resend-{n:04}", resend=True
        )
    with pytest.raises(chat_services.ChatRefused) as refused:
        chat_services.chat_message_post(
            group=group, author=member, body="r3", client_id="resend-0003", resend=True
        )
    assert refused.value.code == "flood"


def test_a_reconnecting_socket_can_resend_its_whole_queue(member, group, settings):
    settings.CHAT_FLOOD_MESSAGES = 5
    settings.CHAT_FLOOD_SECONDS = 60

    async def scenario():
        communicator = await ready(member, group.slug)
        try:
            for n in range(20):
                await communicator.send_to(
                    text_data=json.dumps(
                        {
                            "type": "message",
                            "client_id": f"queued-{n:04}",
                            "body": f"queued {n}",
                            "resend": True,
                        }
                    )
                )
            frames = []
            while len(messages_in(frames)) < 20:
                frames.append(await recv(communicator))
                assert frames[-1]["type"] != "error", frames[-1]
            assert len({m["client_id"] for m in messages_in(frames)}) == 20
        finally:
            await communicator.disconnect()

    run(scenario)
    assert ChatMessage.objects.count() == 20


# --- item 3: the same client_id on two sockets at once ---------------------------------------
@pytest.mark.skipif(
    not django_settings.IS_POSTGRES, reason="needs PostgreSQL's row locks (SQLite locks the file)"
)
def test_the_same_client_id_from_two_connections_at_once_is_one_success_each(member, group):
    """The second connection waits for the room lock while the first saves the message; it
    must get the saved message back, not "already sent"."""
    chat_services.room_settings_for(group)
    locked, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def first() -> None:
        try:
            with transaction.atomic():
                room = ChatRoomSettings.objects.select_for_update().get(pk=group.pk)
                locked.set()
                release.wait(10)
                room.last_seq += 1
                room.save(update_fields=["last_seq"])
                ChatMessage.objects.create(
                    group=group, seq=room.last_seq, author=member, client_id="twice-0001", body="hi"
                )
        finally:
            connection.close()

    def second() -> None:
        try:
            outcome["result"] = chat_services.chat_message_post(
                group=group, author=member, body="hi", client_id="twice-0001"
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome["error"] = exc
        finally:
            connection.close()

    a = threading.Thread(target=first)
    a.start()
    assert locked.wait(10)
    b = threading.Thread(target=second)
    b.start()
    b.join(0.5)  # it is now waiting for the room's lock, past the first "already saved?" check
    release.set()
    a.join(10)
    b.join(10)
    close_old_connections()
    assert "error" not in outcome, outcome.get("error")
    result = outcome["result"]
    assert result.created is False and result.message.client_id == "twice-0001"
    assert ChatMessage.objects.count() == 1
    assert ChatRoomSettings.objects.get(pk=group.pk).last_seq == 1


def test_a_socket_that_resends_a_message_another_socket_saved_gets_the_saved_message(member, group):
    async def scenario():
        a = await ready(member, group.slug)
        b = await ready(member, group.slug)
        try:
            client_id = await send(a, "From two tabs")
            saved = (await next_of(a, "message"))["message"]
            assert (await next_of(b, "message"))["message"] == saved  # the room's broadcast
            await send(b, "From two tabs", client_id=client_id)
            frames = await until(b, "message")
            assert [f for f in frames if f["type"] == "error"] == []
            assert messages_in(frames) == [saved]
            assert messages_in(await drain(b)) == []
        finally:
            await a.disconnect()
            await b.disconnect()

    run(scenario)
    assert ChatMessage.objects.count() == 1
