"""Chat delivery benchmark: a real uvicorn server process on Redis, many clients in one room.

    REDIS_URL=redis://127.0.0.1:6379/0 DATABASE_URL=postgres://... python -m bench.chat --clients 200

Prints delivery latency p50/p95/p99 (send → receipt, over every client), deliveries per
second, lost and duplicated counts, and the same figures for the stack's floor, measured in
the same run by the same client harness with the same number of clients and messages: a bare
ASGI WebSocket broadcast server (`bench/chat_floor.py`: no Django, no Channels, no Redis) under
the same uvicorn. The aim (issue #16): chat delivers at least 50 % of the floor's deliveries
per second with p99 at or under 250 ms. Bounded: a fixed number of messages and a deadline; it
stops the servers it started and deletes the room and people it created.
"""

import argparse
import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30.0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(label: str, ms: list[float]) -> str:
    return (
        f"{label}: p50 {percentile(ms, 50):.1f} ms  p95 {percentile(ms, 95):.1f} ms  "
        f"p99 {percentile(ms, 99):.1f} ms  max {max(ms) if ms else float('nan'):.1f} ms  (n={len(ms)})"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


LAYERS = ("pubsub", "core")  # CHANNEL_LAYER values the settings understand


def server_env(layer: str = "pubsub") -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peersupport.settings",
        "CHANNEL_LAYER": layer,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + secrets.token_urlsafe(40),
        "SAFETY_PLAN_KEYS": os.environ.get("SAFETY_PLAN_KEYS")
        or "vZhaQfxS7pxz9CnH-0ir6hY2kD4sXTcvzkOo6Bo_5hI=",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": os.environ.get("SITE_URL") or "http://127.0.0.1:8000",
        "CSRF_TRUSTED_ORIGINS": os.environ.get("CSRF_TRUSTED_ORIGINS") or "http://127.0.0.1:8000",
        "EMAIL_BACKEND": os.environ.get("EMAIL_BACKEND")
        or "django.core.mail.backends.locmem.EmailBackend",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
        # No collectstatic step: plain static storage, as the story bench does.
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }


def setup_room(n_clients: int) -> tuple[object, list[str]]:
    """A throwaway group with n members, and a session cookie for each."""
    from importlib import import_module

    from django.conf import settings

    from groups.models import Group, Membership
    from peersupport.accounts.models import User

    tag = secrets.token_hex(4)
    group = Group.objects.create(
        name=f"Bench room {tag}",
        slug=f"bench-{tag}",
        topic="Bench",
        description="Benchmark room.",
        rules="Be kind.",
        rules_html="<p>Be kind.</p>",
    )
    from django.utils import timezone

    # Members who consented to health-related content: without it, chat refuses every send.
    users = [
        User(
            email=f"bench-{tag}-{i}@example.invalid",
            display_name=f"Bench {tag} {i}",
            health_consent_at=timezone.now(),
        )
        for i in range(n_clients)
    ]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users)
    users = list(User.objects.filter(email__startswith=f"bench-{tag}-").order_by("pk"))
    Membership.objects.bulk_create(
        Membership(user=u, group=group, rules_accepted_version=group.rules_version) for u in users
    )
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = []
    for user in users:
        session = store_class()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return group, cookies


def teardown_room(group) -> None:
    """Delete the throwaway room (messages, memberships, presence) and its people.

    Rows are deleted table by table: the bench made nothing else, and a cascade through other
    apps would fail wherever their tables are not migrated.
    """
    from django.db import transaction

    from groups.chat.models import ChatMessage, ChatPresence, ChatRoomSettings
    from groups.models import Group, Membership
    from moderation.models import SafetyScan
    from peersupport.accounts.models import User

    people = User.objects.filter(
        email__startswith=f"{group.slug}-", email__endswith="@example.invalid"
    )
    with transaction.atomic():
        for qs in (
            # Every message was queued for a safety scan (a row pointing at the group and the
            # author): those go first, or deleting the room fails on moderation_safetyscan.
            SafetyScan.objects.filter(group=group),
            SafetyScan.objects.filter(author__in=people),
            ChatPresence.objects.filter(group=group),
            ChatMessage.objects.filter(group=group),
            ChatRoomSettings.objects.filter(group=group),
            Membership.objects.filter(group=group),
            Group.objects.filter(pk=group.pk),
            people,
        ):
            qs._raw_delete(qs.db)


def start_server(
    port: int, layer: str, app: str = "peersupport.asgi:application"
) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
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
            "--no-access-log",
        ],
        cwd=ROOT,
        env=server_env(layer),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def wait_until_up(proc: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers (503 names a part that is down, e.g. no worker): it is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start in time")


async def chat_run(
    port: int, slug: str, cookies: list[str], messages: int, rate: float, deadline: float
) -> dict:
    import websockets

    url = f"ws://127.0.0.1:{port}/ws/groups/{slug}/chat/?last_id=0"
    origin = f"http://127.0.0.1:{port}"
    sent: dict[str, float] = {}
    received: list[dict[str, int]] = [
        dict() for _ in cookies
    ]  # per client: client_id -> times seen
    latencies: list[float] = []
    first_send = last_receipt = 0.0
    sockets: list = [None] * len(cookies)
    connect_gate = asyncio.Semaphore(20)

    async def connect(i: int) -> None:
        async with connect_gate:
            ws = await websockets.connect(
                url,
                additional_headers={"Cookie": cookies[i]},
                origin=origin,
                max_queue=None,
                open_timeout=20,
            )
            while json.loads(await ws.recv())["type"] != "ready":
                pass
            sockets[i] = ws

    async def read(i: int) -> None:
        nonlocal last_receipt
        ws = sockets[i]
        try:
            async for raw in ws:
                frame = json.loads(raw)
                if frame["type"] != "message":
                    continue
                now = time.perf_counter()
                cid = frame["message"]["client_id"]
                if cid in sent:
                    received[i][cid] = received[i].get(cid, 0) + 1
                    latencies.append((now - sent[cid]) * 1000)
                    last_receipt = now
        except websockets.ConnectionClosed:
            pass

    started = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(connect(i) for i in range(len(cookies)))), timeout=max(30, deadline)
    )
    connect_seconds = time.perf_counter() - started
    readers = [asyncio.create_task(read(i)) for i in range(len(cookies))]
    await asyncio.sleep(1.0)  # let presence updates settle
    first_send = time.perf_counter()
    errors = 0
    for n in range(messages):
        cid = uuid.uuid4().hex
        sent[cid] = time.perf_counter()
        # Round robin over members, so no one trips flood control (5 per 10 s by default).
        await sockets[n % len(sockets)].send(
            json.dumps({"type": "message", "client_id": cid, "body": f"bench {n}"})
        )
        await asyncio.sleep(max(0.0, first_send + (n + 1) / rate - time.perf_counter()))
    expected = messages * len(cookies)
    wait_until = time.perf_counter() + deadline
    while len(latencies) < expected and time.perf_counter() < wait_until:
        await asyncio.sleep(0.1)
    for ws in sockets:
        await ws.close()
    for task in readers:
        task.cancel()
    unique = sum(len(r) for r in received)
    duplicates = sum(count - 1 for r in received for count in r.values())
    return {
        "latencies": latencies,
        "expected": expected,
        "lost": expected - unique,
        "duplicates": duplicates,
        "errors": errors,
        "connect_seconds": connect_seconds,
        "deliveries_per_second": unique
        / max(1e-9, (last_receipt or time.perf_counter()) - first_send),
    }


AIM_SHARE = 0.5
AIM_P99_MS = 250.0


def report(args: argparse.Namespace, floor: dict, result: dict) -> None:
    print(f"connected {args.clients} clients in {result['connect_seconds']:.1f} s")
    print(summary("floor (bare ASGI broadcast) delivery", floor["latencies"]))
    print(summary("chat delivery to every client", result["latencies"]))
    print(
        f"deliveries per second: chat {result['deliveries_per_second']:.0f}, "
        f"floor {floor['deliveries_per_second']:.0f}"
    )
    print(
        f"expected {result['expected']} deliveries; lost {result['lost']}; duplicated {result['duplicates']} "
        f"(floor: lost {floor['lost']}, duplicated {floor['duplicates']})"
    )
    share = result["deliveries_per_second"] / max(1e-9, floor["deliveries_per_second"])
    p99 = percentile(result["latencies"], 99)
    print(
        f"Aim: >= {AIM_SHARE:.0%} of the floor's deliveries/s -> {share:.0%} "
        f"({'met' if share >= AIM_SHARE else 'NOT MET'}); p99 <= {AIM_P99_MS:.0f} ms -> {p99:.1f} ms "
        f"({'met' if p99 <= AIM_P99_MS else 'NOT MET'}); nothing lost -> "
        f"{'met' if result['lost'] == 0 else 'NOT MET'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clients", type=int, default=200, help="clients in the room (default 200)"
    )
    parser.add_argument("--messages", type=int, default=200, help="messages to send (default 200)")
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second (default 20)")
    parser.add_argument(
        "--layer",
        choices=LAYERS,
        default="pubsub",
        help="channel layer of the server: pub/sub (the project's default) or the list-based core layer",
    )
    parser.add_argument(
        "--deadline", type=float, default=30.0, help="seconds to wait for deliveries (default 30)"
    )
    args = parser.parse_args(argv)
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        print(
            "bench.chat: REDIS_URL is not set; the benchmark needs Redis (channels-redis). Skipping."
        )
        return 0
    os.environ.update(
        {
            k: v
            for k, v in server_env().items()
            if k not in os.environ or k in ("DEBUG", "SECRET_KEY")
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    print(
        f"bench.chat: {args.clients} clients, {args.messages} messages at {args.rate:g}/s, layer={args.layer}, "
        f"database={settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, redis={redis_url}"
    )
    group, cookies = setup_room(args.clients)
    try:
        # The floor first, with the same harness, clients and messages.
        port = free_port()
        proc = start_server(port, args.layer, app="bench.chat_floor:app")
        try:
            wait_until_up(proc, port)
            floor = asyncio.run(
                chat_run(port, group.slug, cookies, args.messages, args.rate, args.deadline)
            )
        finally:
            stop_server(proc)
        port = free_port()
        proc = start_server(port, args.layer)
        try:
            wait_until_up(proc, port)
            result = asyncio.run(
                chat_run(port, group.slug, cookies, args.messages, args.rate, args.deadline)
            )
        finally:
            stop_server(proc)
        report(args, floor, result)
    finally:
        teardown_room(group)
    return 0


if __name__ == "__main__":
    sys.exit(main())
