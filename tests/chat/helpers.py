"""WebSocket helpers for chat tests: a signed-in communicator against the real router."""

import json
import uuid

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from peersupport.asgi import application

TIMEOUT = 5


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def open_socket(
    user, slug: str, last_id: int | None = None, origin: str = "http://testserver"
):
    """Connect as `user` (None for a visitor); returns (communicator, connected, close code)."""
    headers = [(b"origin", origin.encode()), (b"host", b"testserver")]
    if user is not None:
        headers.append((b"cookie", (await sync_to_async(session_cookie)(user)).encode()))
    path = f"/ws/groups/{slug}/chat/" + (f"?last_id={last_id}" if last_id is not None else "")
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=TIMEOUT)
    return communicator, connected, code


async def recv(communicator) -> dict:
    return json.loads(await communicator.receive_from(timeout=TIMEOUT))


async def until(communicator, kind: str, limit: int = 500) -> list[dict]:
    """Frames up to and including the first of type `kind` (bounded)."""
    frames = []
    for _ in range(limit):
        frame = await recv(communicator)
        frames.append(frame)
        if frame["type"] == kind:
            return frames
    raise AssertionError(f"no {kind} frame in {limit} frames")


async def next_of(communicator, kind: str) -> dict:
    return (await until(communicator, kind))[-1]


async def send(communicator, body: str, client_id: str | None = None) -> str:
    client_id = client_id or uuid.uuid4().hex
    await communicator.send_to(
        text_data=json.dumps({"type": "message", "client_id": client_id, "body": body})
    )
    return client_id


def messages_in(frames: list[dict]) -> list[dict]:
    return [f["message"] for f in frames if f["type"] == "message"]


async def drain(communicator, quiet: float = 0.4, limit: int = 500) -> list[dict]:
    """Every frame until the socket has been quiet for `quiet` seconds (bounded)."""
    frames = []
    for _ in range(limit):
        if await communicator.receive_nothing(timeout=quiet):
            return frames
        frames.append(await recv(communicator))
    return frames
