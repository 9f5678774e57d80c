import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse


def test_home_page_welcomes_a_visitor_with_join_and_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "You don&#x27;t have to go through it alone" in body
        or "You don't have to go through it alone" in body
    )
    assert reverse("account_signup") in body
    assert reverse("account_login") in body


def test_every_page_has_the_get_help_now_link_and_footer(client, db):
    for url in [
        "/",
        "/help/",
        reverse("account_login"),
        reverse("account_signup"),
        "/no-such-page/",
    ]:
        body = client.get(url).content.decode()
        assert 'class="help-link" href="/help/"' in body, url
        assert "Peer support, not a crisis service." in body, url


def test_help_page_lists_crisis_lines_with_tap_to_call_links(client, db):
    body = client.get("/help/").content.decode()
    assert 'href="tel:988"' in body
    assert 'href="tel:116123"' in body
    assert 'href="tel:131114"' in body


def test_csp_header_is_strict_on_every_response(client, db):
    for url in ["/", "/help/", reverse("account_login"), "/healthz", "/missing/"]:
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy


def test_pages_have_no_inline_script_or_style(client, db):
    for url in ["/", "/help/", reverse("account_login"), reverse("account_signup")]:
        body = client.get(url).content.decode()
        assert "<script>" not in body and "<script " not in body.replace("<script src=", ""), url
        assert " style=" not in body, url
        assert "<style" not in body, url


def test_healthz_reports_every_part_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["status"] == "ok"
    assert set(data["checks"]) == {"database", "cache", "channel_layer", "broker", "pages"}
    assert data["checks"]["pages"] == "ok"
    assert data["checks"]["database"] == "ok"
    assert data["checks"]["channel_layer"] == "ok"


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_healthz_answers_503_when_the_broker_is_unreachable(client, db, settings):
    from peersupport.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    data = json.loads(response.content)
    assert data["status"] == "error"
    assert data["checks"]["broker"] == "error"
    assert data["checks"]["database"] == "ok"


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
)
def test_healthz_answers_503_when_the_cache_is_down(client, db):
    from django.core.cache import caches

    caches._settings = None  # re-read CACHES for this test
    try:
        response = client.get("/healthz")
    finally:
        caches._settings = None
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["cache"] == "error"


def test_healthz_answers_503_when_pages_cannot_render_without_collected_static_files(
    client, db, settings, tmp_path
):
    # Production storage, but collectstatic never ran: every page would answer 500.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    assert Client(raise_request_exception=False).get("/help/").status_code == 500
    response = client.get("/healthz")
    assert response.status_code == 503
    data = json.loads(response.content)
    assert data["checks"]["pages"] == "error"
    assert data["checks"]["database"] == "ok"
    assert "manifest" not in response.content.decode().lower()  # no error details leak


def test_unknown_url_gets_the_friendly_404(client, db):
    response = client.get("/this/does/not/exist/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We couldn" in body and "find that page" in body
    assert "Traceback" not in body


@pytest.mark.urls("tests.peersupport.boom_urls")
def test_server_error_shows_a_kind_page_without_a_stack_trace(db):
    from django.test import Client

    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "Traceback" not in body and "RuntimeError" not in body


@pytest.mark.urls("tests.peersupport.boom_urls")
def test_permission_denied_shows_the_friendly_403(client, db):
    response = client.get("/denied/")
    assert response.status_code == 403
    assert (
        "available to you" in response.content.decode()
        and "a facilitator of the group can help" in response.content.decode()
    )


def test_healthz_answers_for_an_unknown_host(client, db):
    # Orchestrators probe a container by its address, which is not an allowed host.
    for host in ["10.0.3.7:8000", "web:8000", "unknown.example"]:
        response = client.get("/healthz", HTTP_HOST=host)
        assert response.status_code in (200, 503), host
        assert json.loads(response.content)["checks"]["database"] == "ok"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_is_never_redirected_to_https(db):
    from django.test import Client

    client = Client()
    assert client.get("/healthz", HTTP_HOST="10.0.3.7").status_code == 200
    # ...while every other page is.
    assert client.get("/help/").status_code == 301


def test_unknown_host_elsewhere_gets_the_branded_400(client, db):
    response = client.get("/groups/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "handle that request" in body and "get help now" in body
    assert "Traceback" not in body and "DisallowedHost" not in body
    assert " style=" not in body and "<script" not in body
