"""The live unread count over the WebSocket, through the real ASGI application."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from peersupport.asgi import application
from peersupport.notifications import services
from peersupport.notifications.models import Kind
from tests.factories import NotificationFactory

ORIGIN = (b"origin", b"http://localhost")


def _run(coro_fn, *args):
    """Run an async test body in its own thread: once the browser tests have started, the
    main thread holds Playwright's event loop and async_to_sync refuses to run there."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(async_to_sync(coro_fn), *args).result(timeout=30)


def _headers_for(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [ORIGIN, (b"cookie", cookie.encode())]


@pytest.mark.django_db(transaction=True)
def test_anonymous_socket_is_closed_with_4403():
    _run(_test_anonymous_socket_is_closed_with_4403)


async def _test_anonymous_socket_is_closed_with_4403():
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=[ORIGIN])
    try:
        connected, _ = await communicator.connect()
        assert connected
        message = await communicator.receive_output(timeout=3)
        assert message == {"type": "websocket.close", "code": 4403}
    finally:
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
def test_socket_from_another_origin_is_refused(recipient):
    _run(_test_socket_from_another_origin_is_refused, recipient)


async def _test_socket_from_another_origin_is_refused(recipient):
    headers = [
        (b"origin", b"http://evil.example"),
        *(await database_sync_to_async(_headers_for)(recipient))[1:],
    ]
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    try:
        connected, _ = await communicator.connect()
        assert not connected
    finally:
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
def test_member_receives_count_on_connect_and_a_push_after_notify_commits(recipient):
    _run(_test_member_receives_count_on_connect_and_a_push_after_notify_commits, recipient)


async def _test_member_receives_count_on_connect_and_a_push_after_notify_commits(recipient):
    headers = await database_sync_to_async(_headers_for)(recipient)
    await database_sync_to_async(NotificationFactory)(recipient=recipient)
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    try:
        connected, _ = await communicator.connect()
        assert connected
        assert await communicator.receive_json_from(timeout=3) == {"type": "unread", "count": 1}

        def create() -> None:
            services.notify(
                recipient=recipient, kind=Kind.MENTION, url="/x/", text="Someone mentioned you"
            )

        # transaction=True: notify's atomic block really commits, so on_commit pushes.
        await database_sync_to_async(create)()
        assert await communicator.receive_json_from(timeout=3) == {"type": "unread", "count": 2}

        def read_all() -> None:
            services.notification_mark_all_read(user=recipient)

        await database_sync_to_async(read_all)()
        assert await communicator.receive_json_from(timeout=3) == {"type": "unread", "count": 0}
    finally:
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
def test_a_push_for_one_member_never_reaches_another(recipient):
    _run(_test_a_push_for_one_member_never_reaches_another, recipient)


async def _test_a_push_for_one_member_never_reaches_another(recipient):
    from tests.factories import UserFactory

    other = await database_sync_to_async(UserFactory)()
    headers = await database_sync_to_async(_headers_for)(other)
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    try:
        connected, _ = await communicator.connect()
        assert connected
        assert await communicator.receive_json_from(timeout=3) == {"type": "unread", "count": 0}
        await database_sync_to_async(services.notify)(
            recipient=recipient, kind=Kind.MENTION, url="/x/", text="hi"
        )
        assert await communicator.receive_nothing(timeout=0.5)
    finally:
        await communicator.disconnect()


@pytest.mark.django_db
def test_notify_pushes_the_count_only_after_commit(
    recipient, django_capture_on_commit_callbacks, monkeypatch
):
    pushed = []
    monkeypatch.setattr(
        services.centre, "push_unread_count", lambda *, user_id: pushed.append(user_id)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(recipient=recipient, kind=Kind.MENTION, url="/x/", text="hi")
    assert pushed == []
    for callback in callbacks:
        callback()
    assert pushed == [recipient.pk]
