"""Two ASGI server processes on one Redis: a message sent through one reaches a client of the other."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from tests.chat.helpers import session_cookie

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
FRAME_TIMEOUT = 10.0

pytestmark = pytest.mark.skipif(
    not settings.REDIS_URL or not settings.IS_POSTGRES,
    reason="needs REDIS_URL and PostgreSQL (two processes share them)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shared_database_url() -> str:
    """DATABASE_URL pointing at pytest-django's test database, which the servers must use."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def start_server(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "DJANGO_SETTINGS_MODULE": "peersupport.settings_test",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "peersupport.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--ws",
            "websockets-sansio",
            "--lifespan",
            "off",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_until_up(proc: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start in time")


async def next_message(ws) -> dict:
    async def loop():
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == "message":
                return frame["message"]

    return await asyncio.wait_for(loop(), FRAME_TIMEOUT)


def test_message_sent_through_one_server_process_reaches_a_client_of_another(
    transactional_db, member, facilitator, group
):
    import websockets

    ports = [free_port(), free_port()]
    procs = [start_server(port) for port in ports]
    try:
        for proc, port in zip(procs, ports, strict=True):
            wait_until_up(proc, port)
        cookies = [session_cookie(member), session_cookie(facilitator)]

        async def scenario() -> tuple[dict, dict]:
            sockets = []
            try:
                for port, cookie in zip(ports, cookies, strict=True):
                    ws = await asyncio.wait_for(
                        websockets.connect(
                            f"ws://127.0.0.1:{port}/ws/groups/{group.slug}/chat/?last_id=0",
                            additional_headers={"Cookie": cookie},
                            origin=f"http://127.0.0.1:{port}",
                        ),
                        FRAME_TIMEOUT,
                    )
                    sockets.append(ws)
                    await asyncio.wait_for(_until_ready(ws), FRAME_TIMEOUT)
                client_id = uuid.uuid4().hex
                await sockets[0].send(
                    json.dumps(
                        {"type": "message", "client_id": client_id, "body": "across processes"}
                    )
                )
                return await next_message(sockets[1]), await next_message(sockets[0])
            finally:
                for ws in sockets:
                    await ws.close()

        received, echoed = asyncio.run(scenario())
        assert received == echoed
        assert received["html"] == "across processes" and received["id"] == 1
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


async def _until_ready(ws) -> None:
    while json.loads(await ws.recv())["type"] != "ready":
        pass
