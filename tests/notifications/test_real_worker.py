"""A real Celery worker on Redis delivers e-mails, and a SIGKILLed worker loses nothing.

Runs only with REDIS_URL and PostgreSQL (as in CI): the worker is a separate process that
reads the pytest test database, so the test's data must be committed (transactional_db).
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from peersupport.notifications import services
from peersupport.notifications.models import EmailOutbox, Kind
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30.0

pytestmark = pytest.mark.skipif(
    not (settings.REDIS_URL and settings.IS_POSTGRES),
    reason="needs REDIS_URL and PostgreSQL (a real worker shares the test database)",
)


@pytest.fixture
def eager_tasks():
    """Override the package's inline-tasks fixture: here tasks really go through Redis."""
    from peersupport.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = before


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def _start_worker(tmp_path: Path, name: str, **env_extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peersupport.settings_test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "DB_POOL": "false",
        **env_extra,
    }
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "peersupport",
            "worker",
            "--pool=solo",
            "-Q",
            "celery",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{name}@{socket.gethostname()}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_ready(name: str, proc: subprocess.Popen, tmp_path: Path, timeout: float = 90.0) -> None:
    """Wait until the worker answers a ping (start-up is slow on a busy machine)."""
    from peersupport.celery import app

    node = f"{name}@{socket.gethostname()}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, (tmp_path / f"{name}.log").read_text()
        if app.control.ping(destination=[node], timeout=1.0):
            return
    pytest.fail(f"worker {node} did not start: {(tmp_path / f'{name}.log').read_text()}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _wait_until(check, timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def _mail_files(tmp_path: Path) -> list[str]:
    folder = tmp_path / "mail"
    return [p.read_text() for p in folder.glob("*.log")] if folder.exists() else []


def _notify(user) -> None:
    # A committed transaction: notify's on_commit really enqueues on Redis.
    with transaction.atomic():
        services.notify(
            recipient=user, kind=Kind.REPLY_TO_MY_STORY, url="/somewhere/", text="private words"
        )


@pytest.fixture
def purged_queue():
    from peersupport.celery import app

    app.control.purge()
    yield
    app.control.purge()


def test_real_worker_sends_the_email_once(transactional_db, tmp_path, purged_queue):
    user = UserFactory()
    worker = _start_worker(tmp_path, "w1")
    try:
        _wait_ready("w1", worker, tmp_path)
        _notify(user)
        outbox = EmailOutbox.objects.get(recipient=user)
        assert _wait_until(
            lambda: EmailOutbox.objects.get(pk=outbox.pk).status == EmailOutbox.Status.SENT
        ), (tmp_path / "w1.log").read_text()
        messages = _mail_files(tmp_path)
        assert len(messages) == 1
        assert "Subject: You have a new reply" in messages[0]
        assert "private words" not in messages[0]
        assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in messages[0]
    finally:
        _stop(worker)


class _StallingSMTP:
    """Accepts connections and says nothing: an e-mail task hangs there until it is killed."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.connected = threading.Event()
        self.clients: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.clients.append(client)
            self.connected.set()

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.sock.close()


def test_sigkilled_worker_mid_task_loses_nothing_and_sends_once(
    transactional_db, tmp_path, purged_queue
):
    user = UserFactory()
    smtp = _StallingSMTP()
    # A short visibility timeout so Redis hands the dead worker's job over within the test.
    first = _start_worker(
        tmp_path,
        "stalled",
        TEST_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT="60",
        CELERY_VISIBILITY_TIMEOUT="3",
    )
    second = None
    try:
        _wait_ready("stalled", first, tmp_path)
        _notify(user)
        outbox = EmailOutbox.objects.get(recipient=user)
        assert smtp.connected.wait(WAIT), (tmp_path / "stalled.log").read_text()
        # The task is now mid-flight, waiting on the mail server: kill the worker outright.
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert EmailOutbox.objects.get(pk=outbox.pk).status == EmailOutbox.Status.PENDING
        # A new worker restores unacknowledged jobs older than the visibility timeout when it
        # starts polling (then only every ~100 s), so let the timeout pass first.
        time.sleep(4)
        second = _start_worker(tmp_path, "rescuer", CELERY_VISIBILITY_TIMEOUT="3")
        _wait_ready("rescuer", second, tmp_path)
        assert _wait_until(
            lambda: EmailOutbox.objects.get(pk=outbox.pk).status == EmailOutbox.Status.SENT
        ), (tmp_path / "rescuer.log").read_text()
        # Give a duplicate delivery a moment to show itself: there must be none.
        time.sleep(2)
        assert len(_mail_files(tmp_path)) == 1
        assert EmailOutbox.objects.get(pk=outbox.pk).attempts == 1
    finally:
        _stop(first)
        if second is not None:
            _stop(second)
        smtp.close()
