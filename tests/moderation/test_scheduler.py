"""Periodic jobs under `make run` (tasks inline, no beat): the web process runs the schedule."""

import asyncio
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from moderation import services
from moderation.models import Case, CaseEscalation, Reason
from peersupport.notifications.models import Kind, Notification
from peersupport.scheduler import InProcessBeat
from tests.factories import MembershipFactory

ROOT = django_settings.BASE_DIR


@pytest.fixture(autouse=True)
def eager_tasks():
    """Tasks inline as under `make run`, even when REDIS_URL points at a real broker."""
    from peersupport.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before


def _make_run_setting(**env: str) -> str:
    """PERIODIC_JOBS_IN_PROCESS as the real settings module computes it for this environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "PERIODIC_JOBS_IN_PROCESS", "CELERY_TASK_ALWAYS_EAGER"}
        and not k.startswith("DJANGO_")
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import peersupport.settings as s; print(s.PERIODIC_JOBS_IN_PROCESS)",
        ],
        env={**clean, "DEBUG": "true", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_make_run_settings_turn_the_in_process_beat_on_and_a_real_broker_turns_it_off():
    assert _make_run_setting() == "True"
    assert _make_run_setting(REDIS_URL="redis://127.0.0.1:6379/8") == "False"
    assert _make_run_setting(PERIODIC_JOBS_IN_PROCESS="false") == "False"


def test_tests_never_run_the_in_process_beat():
    assert django_settings.PERIODIC_JOBS_IN_PROCESS is False


def _old_urgent_case(group, post) -> Case:
    reporter = MembershipFactory(group=group).user
    case = services.report_create(reporter=reporter, content=post, reason=Reason.RISK).case
    Case.objects.filter(pk=case.pk).update(urgent_since=timezone.now() - timedelta(minutes=20))
    return case


def test_a_tick_runs_every_interval_job_once_and_escalates_an_unclaimed_urgent_case(
    group, post, facilitator, admin, django_capture_on_commit_callbacks
):
    case = _old_urgent_case(group, post)
    beat = InProcessBeat()
    with django_capture_on_commit_callbacks(execute=True):
        ran = beat.tick()
    assert "safety-escalations-due" in ran and "safety-scan-sweep" in ran
    # The weekly reminder is a calendar job: not run just because the server started.
    assert "resources-review-reminder" not in ran
    assert CaseEscalation.objects.filter(case=case).count() == 1
    assert Notification.objects.filter(recipient=admin, kind=Kind.URGENT_FLAG).count() == 1
    # A moment later nothing is due again.
    assert beat.tick() == []


def test_a_failing_job_does_not_stop_the_others(group, post, facilitator, admin):
    case = _old_urgent_case(group, post)
    beat = InProcessBeat(
        beat_schedule={
            # Called with no scan id: it raises, and the scheduler logs it.
            "broken": {"task": "moderation.tasks.safety_scan_run", "schedule": 60},
            "escalate": {"task": "moderation.tasks.safety_escalations_due", "schedule": 60},
        }
    )
    assert beat.tick() == ["broken", "escalate"]
    assert CaseEscalation.objects.filter(case=case).exists()


def _run_lifespan(wait_for, *, seconds: float) -> bool:
    """Start the real ASGI application's lifespan, wait for `wait_for()`, then shut down."""
    from channels.db import database_sync_to_async

    from peersupport.asgi import application

    async def main() -> bool:
        inbox: asyncio.Queue = asyncio.Queue()
        outbox: asyncio.Queue = asyncio.Queue()
        await inbox.put({"type": "lifespan.startup"})
        server = asyncio.ensure_future(
            application({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put)
        )
        assert (await asyncio.wait_for(outbox.get(), 5))["type"] == "lifespan.startup.complete"
        seen = False
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if await database_sync_to_async(wait_for)():
                seen = True
                break
            await asyncio.sleep(0.1)
        await inbox.put({"type": "lifespan.shutdown"})
        assert (await asyncio.wait_for(outbox.get(), 5))["type"] == "lifespan.shutdown.complete"
        await asyncio.wait_for(server, 5)
        return seen

    # In its own thread: once the browser tests ran, this thread holds Playwright's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_the_server_started_with_make_run_settings_escalates_an_unclaimed_urgent_case(
    group, post, facilitator, admin, settings
):
    settings.PERIODIC_JOBS_IN_PROCESS = True
    settings.PERIODIC_JOBS_TICK_SECONDS = 0.2
    case = _old_urgent_case(group, post)
    escalated = _run_lifespan(lambda: CaseEscalation.objects.filter(case=case).exists(), seconds=10)
    assert escalated
    assert Notification.objects.filter(recipient=admin, kind=Kind.URGENT_FLAG).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_server_runs_no_periodic_jobs_when_switched_off(
    group, post, facilitator, admin, settings
):
    settings.PERIODIC_JOBS_IN_PROCESS = False
    case = _old_urgent_case(group, post)
    assert not _run_lifespan(lambda: CaseEscalation.objects.filter(case=case).exists(), seconds=1)
