"""Safety pipeline benchmark: a real Celery worker on Redis scans 200 posts.

    REDIS_URL=redis://127.0.0.1:6379/0 DATABASE_URL=postgres://... python -m bench.safety --posts 200

Posts stories through the real service at a steady rate (one in four with crisis language) and
reports post-to-verdict (the scan is recorded) and post-to-notification (the facilitator's
urgent alert exists) latency, p50/p95/p99, with one solo worker. Bounded: a fixed number of
posts and a deadline; it stops the worker it started and deletes the group and people it made
(audit log rows stay: the log is append-only).
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.chat import percentile, summary

ROOT = Path(__file__).resolve().parent.parent
CRISIS = "I can't keep going like this. I want to kill myself tonight."
CALM = "Today was a little easier. I went for a walk and called my sister."


def start_worker(name: str) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.safety_worker_settings"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "peersupport",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{name}@{socket.gethostname()}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_ready(name: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    from peersupport.celery import app

    node = f"{name}@{socket.gethostname()}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the worker exited during start-up")
        if app.control.ping(destination=[node], timeout=1.0):
            return
    raise SystemExit("the worker did not start")


def setup(n_authors: int):
    from datetime import timedelta

    from django.utils import timezone

    from groups.models import Group, Membership
    from peersupport.accounts.models import User

    tag = secrets.token_hex(4)
    group = Group.objects.create(
        name=f"Bench safety {tag}",
        slug=f"bench-safety-{tag}",
        topic="Bench",
        description="Benchmark group.",
        rules="Be kind.",
        rules_html="<p>Be kind.</p>",
    )
    joined = timezone.now() - timedelta(days=365)
    facilitator = User.objects.create(
        email=f"bench-safety-{tag}-f@example.invalid", display_name=f"BenchF {tag}"
    )
    authors = [
        User.objects.create(
            email=f"bench-safety-{tag}-{i}@example.invalid",
            display_name=f"BenchA {tag} {i}",
            date_joined=joined,
        )
        for i in range(n_authors)
    ]
    Membership.objects.create(
        group=group,
        user=facilitator,
        role=Membership.Role.FACILITATOR,
        rules_accepted_version=group.rules_version,
    )
    for author in authors:
        Membership.objects.create(
            group=group, user=author, rules_accepted_version=group.rules_version
        )
    return group, facilitator, authors


def teardown(group, users) -> None:
    from peersupport.accounts.models import User

    group.delete()
    User.objects.filter(pk__in=[u.pk for u in users]).delete()


def post(group, author, body: str):
    from django.db import transaction

    from moderation import hooks
    from stories.services import story_submit
    from tests.moderation.safety_support import scan_for

    with transaction.atomic():
        story = story_submit(group=group, author=author, title="Bench", body=body)
        if scan_for(story) is None:
            hooks.content_posted(content=story, is_edit=False)
    return story


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0, help="posts per second")
    parser.add_argument("--deadline", type=float, default=180.0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if not os.environ.get("REDIS_URL"):
        print("bench.safety needs REDIS_URL (a real broker and worker)")
        return 2
    import django

    django.setup()
    from django.conf import settings

    from moderation.models import Case, SafetyScan
    from peersupport.celery import app
    from peersupport.notifications.models import Kind, Notification
    from tests.moderation.safety_support import ensure_adapters, scan_for

    ensure_adapters()
    # Screening only: no first-post holds, so every story is a plain visible post.
    settings.MODERATION_HOLD_FIRST_POSTS = 0
    print(
        f"bench.safety: {args.posts} posts at {args.rate:g}/s, one solo worker, "
        f"database={settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )
    group, facilitator, authors = setup(min(args.posts, 50))
    app.control.purge()
    worker = start_worker("bench-safety")
    try:
        wait_ready("bench-safety", worker)
        posted: dict[int, float] = {}
        crisis: set[int] = set()
        verdict: dict[int, float] = {}
        notified: dict[int, float] = {}
        start = time.monotonic()
        deadline = start + args.deadline

        def poll() -> None:
            now = time.monotonic()
            waiting = [scan_id for scan_id in posted if scan_id not in verdict]
            for scan_id in SafetyScan.objects.filter(
                pk__in=waiting, status=SafetyScan.Status.DONE
            ).values_list("pk", flat=True):
                verdict[scan_id] = now
            open_cases = dict(Case.objects.filter(group=group).values_list("pk", "object_id"))
            scan_of_story = {
                sid: s
                for sid, s in SafetyScan.objects.filter(group=group).values_list("object_id", "pk")
            }
            for target_id in Notification.objects.filter(
                recipient=facilitator, kind=Kind.URGENT_FLAG
            ).values_list("target_id", flat=True):
                scan_id = scan_of_story.get(open_cases.get(target_id))
                if scan_id is not None and scan_id not in notified:
                    notified[scan_id] = now

        for i in range(args.posts):
            due = start + i / args.rate
            while time.monotonic() < due:
                poll()
                time.sleep(0.01)
            is_crisis = i % 4 == 0
            story = post(group, authors[i % len(authors)], CRISIS if is_crisis else f"{CALM} ({i})")
            scan_id = scan_for(story).pk
            posted[scan_id] = time.monotonic()
            if is_crisis:
                crisis.add(scan_id)
        while time.monotonic() < deadline and (
            len(verdict) < len(posted) or len(notified) < len(crisis)
        ):
            poll()
            time.sleep(0.01)
        to_verdict = [(verdict[s] - posted[s]) * 1000 for s in verdict]
        to_notice = [(notified[s] - posted[s]) * 1000 for s in notified]
        print(summary("post → verdict", to_verdict))
        print(summary("post → facilitator notification (crisis posts)", to_notice))
        print(
            f"scanned {len(verdict)}/{len(posted)}, alerts {len(notified)}/{len(crisis)}; "
            f"aim p95 < 2000 ms: {'met' if percentile(to_verdict, 95) < 2000 and percentile(to_notice, 95) < 2000 else 'NOT met'}"
        )
        return 0 if len(verdict) == len(posted) and len(notified) == len(crisis) else 1
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
        teardown(group, [facilitator, *authors])


if __name__ == "__main__":
    sys.exit(main())
