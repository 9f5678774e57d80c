"""Every WebSocket route × every role: who may connect. A new socket route without an expected
answer fails here, like the URL role matrix."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from peersupport.asgi import application
from peersupport.routing import websocket_urlpatterns
from tests.role_matrix import ROLES

ACCEPT, REFUSE = True, False
MEMBERS_ONLY = {
    "visitor": REFUSE,
    "non_member": REFUSE,
    "pending_requester": REFUSE,
    "member": ACCEPT,
    "muted_member": ACCEPT,
    "removed_member": REFUSE,
    "other_facilitator": REFUSE,
    "facilitator": ACCEPT,
    "admin": ACCEPT,
}
EXPECTED = {
    # name: (path for the role-matrix group, who may connect)
    "chat-socket": (lambda group: f"/ws/groups/{group.slug}/chat/", MEMBERS_ONLY),
    "ws_notifications": (
        lambda group: "/ws/notifications/",
        {**dict.fromkeys(ROLES, ACCEPT), "visitor": REFUSE},
    ),
    # Any path no app owns is refused at the handshake, for everyone.
    "ws-unknown": (lambda group: "/ws/nowhere/", dict.fromkeys(ROLES, REFUSE)),
}


def test_every_websocket_route_has_an_expected_answer():
    names = [pattern.name for pattern in websocket_urlpatterns]
    assert None not in names, "give every WebSocket route a name"
    assert sorted(names) == sorted(EXPECTED), "add the new WebSocket route to EXPECTED"


def _in_thread(fn) -> object:
    # Once browser tests have run, the main thread holds Playwright's event loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result(timeout=30)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_websocket_role_matrix(name, role, request, group):
    user = None if role == "visitor" else request.getfixturevalue(role)
    make_path, expected = EXPECTED[name]

    def cookie() -> str:
        client = Client()
        client.force_login(user)
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    async def connect() -> bool:
        headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
        if user is not None:
            headers.append((b"cookie", (await sync_to_async(cookie)()).encode()))
        communicator = WebsocketCommunicator(application, make_path(group), headers=headers)
        connected, _ = await communicator.connect(timeout=5)
        if connected:
            # A socket may accept only to close at once with 4403 so the client learns why.
            first = await communicator.receive_output(timeout=5)
            connected = first["type"] != "websocket.close"
        await communicator.disconnect()
        return connected

    assert _in_thread(async_to_sync(connect)) is expected[role], f"{name} as {role}"
