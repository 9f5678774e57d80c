"""A real web server started the production way (`python -m peersupport.serve`, DEBUG off) on
loopback, for the deployment tests; plus a tiny HTTP client that can choose its source address.

Loopback has many addresses: the server trusts forwarded headers from 127.0.0.1 (standing in
for the proxy) and a client connecting from 127.0.0.2 is an untrusted peer.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROXY_ADDRESS = "127.0.0.1"
UNTRUSTED_PEER = "127.0.0.2"
SECRET = "deploy-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The test database pytest-django made, as a URL a server process can use."""
    from django.db import connection

    # Once pytest-django has set the test database up (the tests are marked django_db), the
    # connection's NAME is the test database's.
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def production_env(port: int, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "EMAIL_", "SECURE_", "CSRF_", "SESSION_"))
        and k not in {"SECRET_KEY", "SITE_URL", "ALLOWED_HOSTS", "DEBUG", "REDIS_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.peersupport.deploy_settings",
            "DEBUG": "false",
            "SECRET_KEY": SECRET,
            "SAFETY_PLAN_KEYS": "vZhaQfxS7pxz9CnH-0ir6hY2kD4sXTcvzkOo6Bo_5hI=",
            "ALLOWED_HOSTS": "127.0.0.1,peersupport.test",
            "SITE_URL": "https://peersupport.test",
            "CSRF_TRUSTED_ORIGINS": "https://peersupport.test",
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            # Plain HTTP on loopback (the proxy terminates TLS in a deployment).
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "DATABASE_URL": database_url(),
            "DB_POOL": "false",
            "WEB_HOST": "127.0.0.1",
            "WEB_PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "FORWARDED_ALLOW_IPS": PROXY_ADDRESS,
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def collect_static(static_root: Path) -> Path:
    """collectstatic into static_root with production settings (manifest storage), once."""
    if not (static_root / "staticfiles.json").exists():
        env = production_env(0, STATIC_ROOT=str(static_root))
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=180,
        )
    return static_root


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """One collectstatic for every deployment test of the run."""
    return collect_static(tmp_path_factory.mktemp("static"))


def start(tmp_path: Path, **extra: str) -> Server:
    port = free_port()
    log_path = tmp_path / f"server-{port}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "peersupport.serve"],
        cwd=ROOT,
        env=production_env(port, **extra),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(port=port, process=process, log_path=log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {server.log()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"the server did not start: {server.log()}")


def stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=5)


def running(tmp_path: Path, static_root: Path, **extra: str) -> Iterator[Server]:
    server = start(tmp_path, STATIC_ROOT=str(static_root), **extra)
    try:
        yield server
    finally:
        stop(server)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


def request(
    port: int,
    path: str,
    *,
    method: str = "GET",
    source: str = UNTRUSTED_PEER,
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> Response:
    """One request from the given loopback source address."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        all_headers = {"Host": f"127.0.0.1:{port}", **(headers or {})}
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        return Response(response.status, response.headers, response.read().decode())
    finally:
        conn.close()


def csrf(port: int, source: str) -> tuple[str, str]:
    """A CSRF cookie and the matching form token, from the sign-in page."""
    page = request(port, "/accounts/login/", source=source)
    cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    return cookie, token


def failed_sign_in(port: int, *, source: str, forwarded_for: str, email: str) -> Response:
    cookie, token = csrf(port, source)
    form = f"csrfmiddlewaretoken={token}&login={email}&password=not-the-password"
    return request(
        port,
        "/accounts/login/",
        method="POST",
        source=source,
        headers={
            "Cookie": f"csrftoken={cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": forwarded_for,
        },
        body=form,
    )
