"""A real Celery worker on Redis scans posts; a SIGKILLed worker or a dead broker loses nothing.

Runs only with REDIS_URL and PostgreSQL (as in CI). The worker is another process with its own
moderation registry, so it runs with test settings that add the content stand-ins
(`safety_worker_settings`); the test's data is committed (transactional_db).
"""

import os
import signal
import time
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from moderation import hooks, tasks
from moderation.models import Case, SafetyScan
from peersupport.notifications.models import EmailOutbox, Kind, Notification
from stories.models import Story
from tests.moderation.safety_support import post_story, scan_for
from tests.notifications.test_real_worker import (  # noqa: F401
    _start_worker,
    _stop,
    _wait_ready,
    _wait_until,
    purged_queue,
)

pytestmark = pytest.mark.skipif(
    not (settings.REDIS_URL and settings.IS_POSTGRES),
    reason="needs REDIS_URL and PostgreSQL (a real worker shares the test database)",
)

WORKER_SETTINGS = "tests.moderation.safety_worker_settings"
CRISIS = "I can't go on. I want to kill myself tonight."
DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def real_broker():
    """Tasks really go through Redis here."""
    from peersupport.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = before


@contextmanager
def broker_down():
    """Point this process's Celery app at a port where nothing listens."""
    from peersupport.celery import app

    saved = (app.conf.broker_url, app.conf.task_publish_retry)
    app.conf.broker_url = DEAD_BROKER
    app.conf.task_publish_retry = False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_publish_retry = saved
        app._pool = None
        app.amqp._producer_pool = None


def _worker(tmp_path, name, **env):
    return _start_worker(tmp_path, name, DJANGO_SETTINGS_MODULE=WORKER_SETTINGS, **env)


def _alerts(user):
    return Notification.objects.filter(recipient=user, kind=Kind.URGENT_FLAG)


def test_real_worker_scans_a_post_and_the_facilitator_is_alerted(
    transactional_db,
    tmp_path,
    purged_queue,
    group,
    member,
    facilitator,  # noqa: F811
):
    worker = _worker(tmp_path, "safety1")
    try:
        _wait_ready("safety1", worker, tmp_path)
        story = post_story(group=group, author=member, body=CRISIS)
        assert _wait_until(lambda: _alerts(facilitator).exists()), (
            tmp_path / "safety1.log"
        ).read_text()
        scan = scan_for(story)
        assert scan.status == SafetyScan.Status.DONE and scan.is_crisis
        assert Case.objects.get().is_urgent
        assert _alerts(facilitator).count() == 1
    finally:
        _stop(worker)


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        # This test database only: other databases on the server may have waiters of their own.
        # Activity is snapshotted per transaction, and the caller holds one open: refresh it.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_sigkilled_worker_mid_scan_is_redelivered_and_alerts_exactly_once(
    transactional_db,
    tmp_path,
    purged_queue,
    group,
    member,
    facilitator,  # noqa: F811
):
    # Posted while no worker runs: the job waits in Redis.
    story = post_story(group=group, author=member, body=CRISIS)
    scan = scan_for(story)
    first = _worker(tmp_path, "blocked", CELERY_VISIBILITY_TIMEOUT="3")
    second = None
    try:
        # Hold the scan's row lock, so the worker's task blocks mid-flight on it.
        with transaction.atomic():
            SafetyScan.objects.select_for_update().get(pk=scan.pk)
            # No ping here: a solo worker blocked in a task cannot answer one.
            assert _wait_until(lambda: _lock_waiters() > 0 or first.poll() is not None, timeout=90)
            assert first.poll() is None and _lock_waiters() > 0, (
                tmp_path / "blocked.log"
            ).read_text()
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        assert scan_for(story).status == SafetyScan.Status.PENDING
        assert not _alerts(facilitator).exists()
        # A new worker restores unacknowledged jobs older than the visibility timeout on start.
        time.sleep(4)
        second = _worker(tmp_path, "rescuer", CELERY_VISIBILITY_TIMEOUT="3")
        _wait_ready("rescuer", second, tmp_path)
        assert _wait_until(lambda: scan_for(story).status == SafetyScan.Status.DONE), (
            tmp_path / "rescuer.log"
        ).read_text()
        time.sleep(2)
        assert _alerts(facilitator).count() == 1
        assert Case.objects.count() == 1
        assert EmailOutbox.objects.filter(recipient=facilitator, kind=Kind.URGENT_FLAG).count() == 1
    finally:
        _stop(first)
        if second is not None:
            _stop(second)


def test_redis_down_while_posting_keeps_the_post_then_the_sweeper_finishes_it(
    transactional_db,
    tmp_path,
    purged_queue,
    client_for,
    group,
    member,
    facilitator,  # noqa: F811
):
    client = client_for(member)
    with broker_down():
        started = time.monotonic()
        response = client.post(
            reverse("stories:create", kwargs={"slug": group.slug}),
            {"title": "Tonight", "body": CRISIS, "replies_welcome": "yes"},
        )
        story = Story.objects.get(group=group)
        if scan_for(story) is None:
            # Until the stories wiring is merged, the service does not call the hook itself.
            with transaction.atomic():
                hooks.content_posted(content=story, is_edit=False)
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 10
    assert client.get(response["Location"]).status_code == 200
    assert scan_for(story).status == SafetyScan.Status.PENDING
    worker = _worker(tmp_path, "after")
    try:
        _wait_ready("after", worker, tmp_path)
        time.sleep(1)
        assert scan_for(story).status == SafetyScan.Status.PENDING
        with mock.patch(
            "django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=3)
        ):
            assert tasks.safety_scan_sweep() == 1
        assert _wait_until(lambda: _alerts(facilitator).exists()), (
            tmp_path / "after.log"
        ).read_text()
        assert scan_for(story).status == SafetyScan.Status.DONE
    finally:
        _stop(worker)
