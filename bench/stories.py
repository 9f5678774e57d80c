"""`make bench`: story list and story page under load, next to a no-query baseline page.

Seeds a large volume into a separate PostgreSQL database (default `ps_bench` on the server in
DATABASE_URL; created if missing; seeding is skipped when it is already there), serves the app
with uvicorn on 127.0.0.1, signs a member in, and drives each page from a small threaded
keep-alive HTTP client on loopback for a bounded time and request count. Prints requests/s and
p50/p95/p99 for each page and its ratio to the baseline measured in the same run.

Environment: DATABASE_URL (PostgreSQL, required), BENCH_DATABASE_URL (override the bench
database), BENCH_SECONDS (per page, default 8), BENCH_CONCURRENCY (default 4), BENCH_WORKERS
(uvicorn workers, default 2), BENCH_MAX_REQUESTS (per page, default 20000).
"""

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
STORIES = 10_000
REPLIES = 100_000
THREAD_REPLIES = 50
GROUP_SLUG = "bench-circle"
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "20000"))

PARAGRAPHS = [
    "Some mornings the worry arrives before I'm properly awake, and I have to talk myself through the day.",
    "I went for a walk by the river and noticed the light on the water. It helped, a little.",
    "Thank you for sharing this. I recognise so much of it, and I'm glad you wrote it down.",
    "My therapist suggested writing three small things that went okay. Today: tea, a call, a short nap.",
    "It's been a long week. I'm tired, but I'm still here, and that counts for something.",
]


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(
            "make bench needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/dbname "
            "(the benchmark uses a separate database, ps_bench by default, on that server)."
        )
        sys.exit(2)
    override = os.environ.get("BENCH_DATABASE_URL")
    if override:
        return override
    return urlunparse(urlparse(url)._replace(path="/ps_bench"))


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin_url = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed() -> tuple[str, int]:
    """Create the bench group, members, stories and replies once; return a session key and the thread's pk."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from groups.models import Group, Membership
    from peersupport.accounts.models import User
    from peersupport.markdown import render_markdown
    from stories.models import Reaction, Reply, Story, make_excerpt

    call_command("migrate", verbosity=0, interactive=False)
    group, _ = Group.objects.get_or_create(
        slug=GROUP_SLUG,
        defaults={
            "name": "Bench circle",
            "topic": "Bench",
            "description": "Benchmark group.",
            "rules": "Be kind.",
            "rules_html": render_markdown("Be kind."),
        },
    )
    users = []
    for i in range(50):
        user, created = User.objects.get_or_create(
            email=f"bench{i}@example.org", defaults={"display_name": f"Bench {i}"}
        )
        if created:
            user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(
            user=user, group=group, defaults={"rules_accepted_version": group.rules_version}
        )
        users.append(user)
    existing = Story.objects.filter(group=group).count()
    if existing < STORIES:
        started = time.monotonic()
        rng = random.Random(7)
        now = timezone.now()
        with transaction.atomic():
            Story.objects.filter(group=group).delete()
            stories = []
            for i in range(STORIES):
                body = "\n\n".join(rng.sample(PARAGRAPHS, 3))
                when = now - timezone.timedelta(minutes=i * 7)
                stories.append(
                    Story(
                        group=group,
                        author=users[i % len(users)],
                        title=f"Story {i}: a day that felt heavy",
                        body=body,
                        body_html=render_markdown(body),
                        excerpt=make_excerpt(render_markdown(body)),
                        warnings="grief" if i % 9 == 0 else "",
                        is_anonymous=i % 5 == 0,
                        created_at=when,
                        last_activity_at=when,
                    )
                )
            stories = Story.objects.bulk_create(stories, batch_size=2000)
            thread, others = stories[0], stories[1:]
            counts = {s.pk: 0 for s in stories}
            replies = []
            for i in range(REPLIES):
                story = thread if i < THREAD_REPLIES else others[i % len(others)]
                body = rng.choice(PARAGRAPHS)
                counts[story.pk] += 1
                replies.append(
                    Reply(
                        story=story,
                        author=users[i % len(users)],
                        body=body,
                        body_html=render_markdown(body),
                        is_anonymous=i % 7 == 0,
                        created_at=story.created_at + timezone.timedelta(minutes=1 + i % 50),
                    )
                )
            created = Reply.objects.bulk_create(replies, batch_size=5000)
            Reaction.objects.bulk_create(
                [
                    Reaction(user=users[j], reply=r, kind=kind)
                    for r in created[:THREAD_REPLIES]
                    for j, kind in ((1, "hear"), (2, "metoo"))
                ],
                batch_size=5000,
            )
            for story in stories:
                story.reply_count = counts[story.pk]
            Story.objects.bulk_update(stories, ["reply_count"], batch_size=2000)
        from django.db import connection

        # Outside a transaction: fresh statistics and a visibility map, as a live database would have.
        with connection.cursor() as cursor:
            for table in ("stories_story", "stories_reply", "stories_reaction"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        print(
            f"Seeded {STORIES} stories and {REPLIES} replies in {time.monotonic() - started:.1f}s."
        )
    else:
        print(f"Bench data already there ({existing} stories); seeding skipped.")
    thread = Story.objects.filter(group=group, reply_count=THREAD_REPLIES).order_by("pk").first()
    member = users[0]
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    return session.session_key, thread.pk


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "peersupport.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
        "--no-access-log",
        "--log-level",
        "warning",
        "--lifespan",
        "off",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/baseline/")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    stop_server(proc)
    raise SystemExit("uvicorn did not start")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def load(name: str, port: int, path: str, cookie: str | None, seconds: float = SECONDS) -> Result:
    """Drive one path from CONCURRENCY keep-alive connections for `seconds` (or MAX_REQUESTS)."""
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = [MAX_REQUESTS]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        while time.monotonic() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - t0
            if ok:
                mine.append(elapsed)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result(name, len(latencies), errors[0], time.monotonic() - started, latencies)


def check_page(port: int, path: str, cookie: str, must_contain: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = conn.getresponse()
    body = response.read().decode()
    if response.status != 200 or must_contain not in body:
        raise SystemExit(
            f"{path} answered {response.status} without {must_contain!r}: is the member signed in?"
        )


def main() -> None:
    url = bench_database_url()
    ensure_database(url)
    setup_django(url)
    cookie, thread_pk = seed()
    from django.db import connections

    connections.close_all()
    port = free_port()
    proc = start_server(url, port)
    try:
        pages = [
            ("baseline (no queries)", "/bench/baseline/", None),
            ("group story list", f"/groups/{GROUP_SLUG}/stories/", cookie),
            ("story page, 50 replies", f"/groups/{GROUP_SLUG}/stories/{thread_pk}/", cookie),
        ]
        check_page(port, pages[1][1], cookie, "Story 0")
        check_page(port, pages[2][1], cookie, 'id="reply-')
        for name, path, c in pages:
            load(name, port, path, c, seconds=1.5)  # warm up every worker and the pool
        results = [load(name, port, path, c) for name, path, c in pages]
    finally:
        stop_server(proc)
    base = results[0]
    print()
    print(
        f"uvicorn workers={WORKERS}, client concurrency={CONCURRENCY}, {SECONDS:.0f}s per page, loopback"
    )
    print(
        f"{'page':<26}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'vs baseline':>13}"
    )
    for r in results:
        ratio = r.rps / base.rps if base.rps else 0
        print(
            f"{r.name:<26}{r.rps:>9.1f}{r.pct(50):>9.1f}{r.pct(95):>9.1f}{r.pct(99):>9.1f}{r.errors:>8}{ratio:>12.2f}x"
        )
    story = results[2]
    print()
    print(
        f"Aim: story page p99 < 60 ms -> {story.pct(99):.1f} ms ({'met' if story.pct(99) < 60 else 'not met'}); "
        f"throughput >= 1/3 of baseline -> {story.rps / base.rps:.2f} "
        f"({'met' if story.rps >= base.rps / 3 else 'not met'})."
    )
    if statistics.fmean([r.errors for r in results]) > 0:
        print("Some requests failed; see the errors column.")


if __name__ == "__main__":
    main()
