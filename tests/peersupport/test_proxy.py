"""The bundled proxy configuration in a real nginx, in front of the production web server.

nginx comes from NGINX_BIN, or the PATH. CI fetches Debian's package (.ci/run) and requires
this test; elsewhere it is skipped when no nginx is found. The repository's template is used
as it is, except what only Docker provides: the listen addresses become loopback ports, the
upstream `web:8000 resolve` (Docker DNS) becomes the test server's port, and the certificate
and static paths point at temporary files.

The client connects from 127.0.0.2; nginx forwards from 127.0.0.1, the server's only trusted
proxy address (FORWARDED_ALLOW_IPS).
"""

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.live import browser_required
from tests.peersupport import deploy_server
from tests.peersupport.deploy_server import UNTRUSTED_PEER, free_port

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "templates" / "peersupport.conf.template"
SERVER_NAME = "peersupport.test"
SPOOFED = "203.0.113.66"

pytestmark = pytest.mark.django_db(transaction=True)


def nginx_binary() -> str:
    found = os.environ.get("NGINX_BIN") or shutil.which("nginx")
    if not found or not os.path.exists(found):
        message = "nginx not found (set NGINX_BIN; .ci/run fetches Debian's package)"
        if browser_required():
            pytest.fail(message + "; the proxy test is required here.")
        pytest.skip(message)
    return found


def render_config(tmp: Path, *, upstream_port: int, http_port: int, https_port: int) -> str:
    """The repository's template, with only the Docker-specific parts replaced."""
    text = TEMPLATE.read_text().replace("${SERVER_NAME}", SERVER_NAME)
    replacements = {
        "server web:8000 resolve;": f"server 127.0.0.1:{upstream_port};",
        "listen 80 default_server;": f"listen 127.0.0.1:{http_port} default_server;",
        "listen 443 ssl default_server;": f"listen 127.0.0.1:{https_port} ssl default_server;",
        "/etc/nginx/certs/": f"{tmp}/certs/",
        "root /srv;": f"root {tmp}/srv;",
        f"https://{SERVER_NAME}$request_uri": f"https://{SERVER_NAME}:{https_port}$request_uri",
    }
    for old, new in replacements.items():
        assert old in text, f"the template no longer has {old!r}"
        text = text.replace(old, new)
    # Started as root (CI), nginx's workers would drop to "nobody" and could not read the
    # test's private temporary folder.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""
{user}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 128; }}
http {{
    types {{ text/css css; text/javascript js; image/svg+xml svg; text/html html; }}
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{text}
}}
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory, django_db_setup, django_db_blocker):
    """nginx (HTTP and HTTPS ports) in front of `python -m peersupport.serve`."""
    binary = nginx_binary()
    tmp = tmp_path_factory.mktemp("proxy")
    static_root = deploy_server.collect_static(tmp / "srv" / "static")
    (tmp / "certs").mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={SERVER_NAME}",
            "-keyout",
            str(tmp / "certs" / "privkey.pem"),
            "-out",
            str(tmp / "certs" / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    http_port, https_port = free_port(), free_port()
    with django_db_blocker.unblock():
        for server in deploy_server.running(tmp, static_root, SECURE_SSL_REDIRECT="true"):
            config = tmp / "nginx.conf"
            config.write_text(
                render_config(
                    tmp, upstream_port=server.port, http_port=http_port, https_port=https_port
                )
            )
            checked = subprocess.run(
                [binary, "-t", "-p", str(tmp), "-c", str(config)],
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert checked.returncode == 0, checked.stderr
            nginx = subprocess.Popen(
                [binary, "-p", str(tmp), "-c", str(config)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                _wait_for_port(https_port, nginx, tmp)
                yield {"server": server, "http": http_port, "https": https_port, "tmp": tmp}
            finally:
                nginx.terminate()
                nginx.wait(timeout=15)


def _wait_for_port(port: int, process: subprocess.Popen, tmp: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((tmp / "error.log").read_text())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not start")


def _tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    return context


def https_get(stack: dict, path: str, headers: dict[str, str] | None = None):
    conn = http.client.HTTPSConnection(
        "127.0.0.1",
        stack["https"],
        timeout=30,
        context=_tls(),
        source_address=(UNTRUSTED_PEER, 0),
    )
    try:
        conn.request("GET", path, headers={"Host": SERVER_NAME, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        conn.close()


def http_get(stack: dict, path: str):
    conn = http.client.HTTPConnection(
        "127.0.0.1", stack["http"], timeout=30, source_address=(UNTRUSTED_PEER, 0)
    )
    try:
        conn.request("GET", path, headers={"Host": SERVER_NAME})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        conn.close()


def test_pages_through_the_proxy_are_secure_and_see_the_real_client(stack):
    status, headers, body = https_get(stack, "/help/", {"X-Forwarded-For": SPOOFED})
    assert status == 200, body[:500]
    # X-Forwarded-Proto reached the app from its trusted proxy: HSTS, no redirect loop.
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    # The Host the visitor used reached the app (a wrong one would be a 400).
    assert "Get help now" in body
    # X-Forwarded-For was replaced by the proxy: the app logs the real peer, not the lie.
    log = stack["server"].log()
    access = [line for line in log.splitlines() if "uvicorn.access" in line and "/help/" in line]
    assert access and UNTRUSTED_PEER in access[-1]
    assert SPOOFED not in log


def test_plain_http_redirects_to_https_but_the_health_check_does_not(stack):
    status, headers, _ = http_get(stack, "/groups/")
    assert status == 301
    assert headers["Location"] == f"https://{SERVER_NAME}:{stack['https']}/groups/"
    status, _, body = http_get(stack, "/healthz")
    assert status == 200 and '"status": "ok"' in body
    assert http_get(stack, "/nginx-health")[0] == 200


def test_static_files_come_from_the_proxy_with_long_cache_headers(stack):
    _, _, page = https_get(stack, "/")
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
    status, headers, body = https_get(stack, stylesheet)
    assert status == 200 and "body" in body
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Served by nginx from the collected folder: the app never saw the request.
    assert stylesheet not in stack["server"].log()


def test_websockets_are_upgraded_through_the_proxy(stack):
    uri = f"wss://127.0.0.1:{stack['https']}/ws/notifications/"
    with connect(
        uri,
        ssl=_tls(),
        additional_headers={"Origin": f"https://{SERVER_NAME}"},
        open_timeout=20,
        source_address=(UNTRUSTED_PEER, 0),
    ) as socket_:
        # Reached the consumer over the upgraded connection: it says "sign in first".
        with pytest.raises(ConnectionClosed) as closed:
            socket_.recv(timeout=20)
    assert closed.value.rcvd.code == 4403
