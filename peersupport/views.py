"""Project-level pages: landing, health check and the friendly error pages."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "peersupport/home.html")


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was stored")
    return "ok"


def _check_channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")

    async def round_trip() -> None:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "healthz.ping"})
        message = await layer.receive(channel)
        if message.get("type") != "healthz.ping":
            raise RuntimeError("channel layer returned an unexpected message")

    async_to_sync(round_trip)()
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "inline"
    from peersupport.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _check_pages(request: HttpRequest) -> str:
    """Render a real page (the landing page, on this request, which came through every
    middleware): a missing static manifest, a broken template or context processor would make
    every page answer 500 while the other checks still say ok."""
    html = render_to_string("peersupport/home.html", request=request)
    if "</html>" not in html:
        raise RuntimeError("the landing page rendered incompletely")
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every configured part answers, 503 otherwise; never leaks error details."""
    checks = {
        "database": _check_database,
        "cache": _check_cache,
        "channel_layer": _check_channel_layer,
        "broker": _check_broker,
        "pages": lambda: _check_pages(request),
    }
    results: dict[str, str] = {}
    healthy = True
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception:  # noqa: BLE001 - any failure means "not healthy", and is logged
            logger.exception("health check %s failed", name)
            results[name] = "error"
            healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Often an unknown Host header: nothing here may ask the request for its host, so the page
    # is rendered without the request (no context processors, no links built from the Host).
    from django.template import loader

    template = loader.get_template("400.html")
    return HttpResponse(template.render({}), status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: a calm page in the site's own look, not Django's default."""
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that could fail again: a plain page, no stack trace.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)
