"""A live ASGI server (uvicorn in a thread, so WebSockets work) and Playwright on the system
Chromium, with an axe-core helper.

Browser tests are required when CI=true or REQUIRE_BROWSER=1: a missing browser then fails the
run instead of skipping. The server listens on 127.0.0.1 only and is stopped at the end.
"""

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SERVER_START_TIMEOUT = 15.0
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def browser_required() -> bool:
    return (
        os.environ.get("CI", "").lower() == "true" or os.environ.get("REQUIRE_BROWSER", "") == "1"
    )


@dataclass
class LiveServer:
    url: str
    host: str
    port: int
    server: object = field(repr=False)
    thread: threading.Thread = field(repr=False)

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}"


def _start_uvicorn() -> LiveServer:
    import uvicorn

    from peersupport.asgi import application

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    config = uvicorn.Config(
        application, lifespan="off", log_level="warning", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="live-asgi"
    )
    thread.start()
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError("the live ASGI server did not start")
        time.sleep(0.02)
    return LiveServer(
        url=f"http://{host}:{port}", host=host, port=port, server=server, thread=thread
    )


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker) -> Iterator[LiveServer]:
    """One uvicorn server for the session, serving the test database."""
    from django.conf import settings

    allowed = list(settings.ALLOWED_HOSTS)
    settings.ALLOWED_HOSTS = [*allowed, "127.0.0.1", "localhost"]
    with django_db_blocker.unblock():
        live = _start_uvicorn()
        try:
            yield live
        finally:
            live.server.should_exit = True
            live.thread.join(timeout=10)
            settings.ALLOWED_HOSTS = allowed


@pytest.fixture
def live_url(asgi_server: LiveServer, transactional_db) -> str:
    """The server's base URL; the test's data is committed so the server sees it."""
    return asgi_server.url


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (install Debian's chromium package)"
        if browser_required():
            pytest.fail(message + "; browser tests are required here.")
        pytest.skip(message)
    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls made by the
    # test itself (creating data) are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageWatch:
    """Collects what a page did wrong: CSP violations, console errors, off-site requests."""

    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)


@pytest.fixture
def new_context(browser, live_url):
    contexts = []

    def make(**kwargs):
        context = browser.new_context(base_url=live_url, **kwargs)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def watch(page, base_url: str) -> PageWatch:
    """Record console errors (a CSP violation is one) and any request that leaves the site."""
    seen = PageWatch()
    page.on(
        "console", lambda msg: seen.console_errors.append(msg.text) if msg.type == "error" else None
    )
    page.on(
        "request",
        lambda req: (
            seen.foreign_requests.append(req.url)
            if not (
                req.url.startswith(base_url)
                or req.url.startswith("data:")
                or req.url.startswith("ws://127.0.0.1")
            )
            else None
        ),
    )
    return seen


@pytest.fixture
def page(new_context, live_url):
    context = new_context()
    page = context.new_page()
    page.watch = watch(page, live_url)
    yield page
    assert page.watch.foreign_requests == [], "pages must make no third-party request"
    csp = [
        e for e in page.watch.console_errors if "Content Security Policy" in e or "Refused to" in e
    ]
    assert csp == [], f"CSP violations: {csp}"


_AXE_SOURCE: str | None = None


def axe_check(page, name: str = "") -> None:
    """Run axe-core on the page and fail on any serious or critical violation."""
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        import axe_playwright_python

        _AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
    page.evaluate(_AXE_SOURCE)
    results = page.evaluate(
        "axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    if bad:
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]][:5],
            }
            for v in bad
        ]
        pytest.fail(
            f"axe found serious/critical issues on {name or page.url}:\n{json.dumps(summary, indent=2)}"
        )


def screenshot(page, name: str) -> None:
    """Keep a screenshot for people to look at (artifacts/ is ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, who, password: str | None = None) -> None:
    """Sign in through the real form, by keyboard; `who` is a user or an e-mail address."""
    import re

    from tests.factories import TEST_PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(getattr(who, "email", who))
    field = page.get_by_label(re.compile(r"^Password:?$"))
    field.fill(password or TEST_PASSWORD)
    field.press("Enter")
    page.wait_for_url(re.compile(r"/$"))


@pytest.fixture
def signed_in(live_url):
    """Sign a user in on a new page of a context; afterwards, no page may have broken the CSP
    or requested anything off the site. `page = signed_in(new_context(), user)`."""
    pages = []

    def do(context, user):
        page = context.new_page()
        page.watch = watch(page, live_url)
        pages.append(page)
        sign_in(page, user)
        return page

    yield do
    for page in pages:
        assert page.watch.foreign_requests == []
        assert [
            e
            for e in page.watch.console_errors
            if "Content Security Policy" in e or "Refused to" in e
        ] == []
