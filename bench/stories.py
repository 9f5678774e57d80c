"""`make bench-stories`: the group home, story list and story page under load, next to a
no-query baseline page served by the same server in the same run.

Seeds a large volume into a separate PostgreSQL database (default `ps_bench` on the server in
DATABASE_URL; created if missing; seeding is skipped when it is already there), serves the app
with uvicorn (2 workers) on 127.0.0.1, signs a member in, and drives each page with `wrk`
(`apt-get install wrk`; 1 thread, 16 connections, after a warm-up) or, when wrk is missing, a
small threaded keep-alive client. Prints per page requests/s, p50/p95/p99, the queries and
bytes of one warm request (counted in-process, with any write on GET named), the ratio to the
baseline, and each target of issue #16 as met or not met. Then it measures one lever the same
way: the story page with its cached reply cards switched off (BENCH_THREAD_CACHE=off).

Environment: DATABASE_URL (PostgreSQL, required), REDIS_URL (production's cache; without it the
server uses local memory), BENCH_DATABASE_URL (override the bench database), BENCH_SECONDS (per
page, default 15), BENCH_CONCURRENCY (default 16), BENCH_WORKERS (uvicorn workers, default 2),
BENCH_MAX_REQUESTS (per page for the Python client, default 50000), BENCH_CLIENT (`wrk` or
`python`; default wrk when installed), BENCH_LEVERS (default 1; 0 skips the lever run).
"""

import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
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
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
WARMUP_SECONDS = 3.0
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "50000"))
CLIENT = os.environ.get("BENCH_CLIENT", "wrk" if shutil.which("wrk") else "python")
LEVERS = os.environ.get("BENCH_LEVERS", "1") != "0"

# Issue #16's targets: (share of the baseline's requests/s, p99 ms, queries, KB of HTML or None).
TARGETS = {
    "story": (1 / 3, 60.0, 8, 60),
    "list": (1 / 2, 40.0, 6, None),
    "home": (1 / 2, 40.0, 6, None),
}

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
        if user.health_consent_at is None:
            # A member who consented, so the page has its reaction controls and reply box.
            User.objects.filter(pk=user.pk).update(health_consent_at=timezone.now())
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


def start_server(url: str, port: int, extra_env: dict | None = None) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        **(extra_env or {}),
    }
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


def load_python(name: str, port: int, path: str, cookie: str | None, seconds: float) -> Result:
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


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"errors\\": %d, "
    .. "\\"p50\\": %d, \\"p95\\": %d, \\"p99\\": %d}\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass
class WrkResult:
    name: str
    requests: int
    errors: int
    seconds: float
    p50: float
    p95: float
    p99: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        return {50: self.p50, 95: self.p95, 99: self.p99}[p]


def load_wrk(name: str, port: int, path: str, cookie: str | None, seconds: float) -> WrkResult:
    """One wrk run: 1 thread, CONCURRENCY connections, `seconds`; percentiles from its Lua hook."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    cmd = ["wrk", "-t1", f"-c{CONCURRENCY}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    cmd += ["-s", script.name]
    if cookie:
        cmd += ["-H", f"Cookie: sessionid={cookie}"]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    try:
        out = subprocess.run(
            cmd, capture_output=True, text=True, timeout=seconds + 60, check=False
        ).stdout
    finally:
        os.unlink(script.name)
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no figures for {path}:\n{out}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return WrkResult(
        name,
        data["requests"] - data["errors"],
        data["errors"],
        data["duration_us"] / 1e6,
        data["p50"] / 1000,
        data["p95"] / 1000,
        data["p99"] / 1000,
    )


def load(name: str, port: int, path: str, cookie: str | None, seconds: float = SECONDS):
    if CLIENT == "wrk":
        return load_wrk(name, port, path, cookie, seconds)
    return load_python(name, port, path, cookie, seconds)


@dataclass
class Shape:
    queries: int
    writes: list[str]
    bytes: int


def page_shape(path: str, session_key: str | None) -> Shape:
    """Queries and HTML bytes of one warm GET, in this process, against the bench database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if session_key:
        client.cookies["sessionid"] = session_key
    client.get(path)  # warm: caches, content types
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in-process")
    writes = [
        q["sql"][:80]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    return Shape(len(ctx.captured_queries), writes, len(response.content))


def check_page(port: int, path: str, cookie: str, must_contain: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = conn.getresponse()
    body = response.read().decode()
    if response.status != 200 or must_contain not in body:
        raise SystemExit(
            f"{path} answered {response.status} without {must_contain!r}: is the member signed in?"
        )


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def report(results: dict, shapes: dict, base) -> None:
    print()
    print(
        f"client={CLIENT}, uvicorn workers={WORKERS}, connections={CONCURRENCY}, "
        f"{SECONDS:.0f}s per page after a {WARMUP_SECONDS:.0f}s warm-up, loopback"
    )
    print(
        f"{'page':<28}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'queries':>9}{'KB':>7}{'vs baseline':>13}"
    )
    for key, r in results.items():
        ratio = r.rps / base.rps if base.rps else 0
        shape = shapes.get(key)
        queries = f"{shape.queries}" if shape else "0"
        kb = f"{shape.bytes / 1024:.1f}" if shape else "-"
        print(
            f"{r.name:<28}{r.rps:>9.1f}{r.pct(50):>9.1f}{r.pct(95):>9.1f}{r.pct(99):>9.1f}"
            f"{r.errors:>8}{queries:>9}{kb:>7}{ratio:>12.2f}x"
        )
    print()
    for key, (share, p99, max_queries, max_kb) in TARGETS.items():
        r, shape = results.get(key), shapes.get(key)
        if r is None or shape is None:
            continue
        checks = [
            f"req/s >= {share:.2f} x baseline ({r.rps:.0f} vs {base.rps * share:.0f}): "
            f"{verdict(r.rps >= base.rps * share)}",
            f"p99 <= {p99:.0f} ms ({r.pct(99):.1f}): {verdict(r.pct(99) <= p99)}",
            f"queries <= {max_queries} ({shape.queries}): {verdict(shape.queries <= max_queries)}",
            f"no write on GET ({len(shape.writes)}): {verdict(not shape.writes)}",
        ]
        if max_kb is not None:
            checks.append(
                f"HTML <= {max_kb} KB ({shape.bytes / 1024:.1f}): "
                f"{verdict(shape.bytes <= max_kb * 1024)}"
            )
        print(f"Target, {r.name}:")
        for check in checks:
            print(f"  - {check}")
        for sql in shape.writes:
            print(f"    write: {sql}")


def run_pages(url: str, pages: list, extra_env: dict | None = None) -> dict:
    port = free_port()
    proc = start_server(url, port, extra_env)
    try:
        for _key, _name, path, c in pages:
            load(_name, port, path, c, seconds=WARMUP_SECONDS)  # every worker, pool and cache
        return {key: load(name, port, path, c) for key, name, path, c in pages}
    finally:
        stop_server(proc)


def main() -> None:
    url = bench_database_url()
    ensure_database(url)
    setup_django(url)
    cookie, thread_pk = seed()
    story_path = f"/groups/{GROUP_SLUG}/stories/{thread_pk}/"
    pages = [
        ("baseline", "baseline (no queries)", "/bench/baseline/", None),
        ("home", "group home", f"/groups/{GROUP_SLUG}/", cookie),
        ("list", "group story list", f"/groups/{GROUP_SLUG}/stories/", cookie),
        ("story", "story page, 50 replies", story_path, cookie),
    ]
    shapes = {key: page_shape(path, c) for key, _name, path, c in pages if key != "baseline"}
    from django.db import connections

    connections.close_all()
    port = free_port()
    proc = start_server(url, port)
    try:
        check_page(port, pages[2][2], cookie, "Story 0")
        check_page(port, story_path, cookie, 'id="reply-')
    finally:
        stop_server(proc)
    results = run_pages(url, pages)
    report(results, shapes, results["baseline"])
    if LEVERS:
        print()
        print(
            "Lever: the story page's cached reply cards (same run, server restarted without them)"
        )
        off = run_pages(
            url,
            [pages[0], ("story", "story page, cache off", story_path, cookie)],
            {"BENCH_THREAD_CACHE": "off"},
        )
        on, without = results["story"], off["story"]
        print(
            f"  cache on : {on.rps:7.1f} req/s, p99 {on.pct(99):7.1f} ms "
            f"({on.rps / results['baseline'].rps:.2f}x its baseline)"
        )
        print(
            f"  cache off: {without.rps:7.1f} req/s, p99 {without.pct(99):7.1f} ms "
            f"({without.rps / off['baseline'].rps:.2f}x its baseline, "
            f"{off['baseline'].rps:.0f} req/s)"
        )
    if any(r.errors for r in results.values()):
        print("Some requests failed; see the errors column.")


if __name__ == "__main__":
    main()
