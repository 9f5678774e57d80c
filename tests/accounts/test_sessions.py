"""Signed-in sessions at /me/security/: listed with browser family and last use, and revoked."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peersupport.accounts.models import MemberSession
from peersupport.accounts.sessions import browser_family
from tests.factories import TEST_PASSWORD

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
EDGE_WINDOWS = CHROME_WINDOWS + " Edg/126.0.0.0"
SECURITY = reverse("accounts:security")


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("agent", "family"),
    [
        (FIREFOX_LINUX, "Firefox on Linux"),
        (SAFARI_IPHONE, "Safari on iOS"),
        (CHROME_WINDOWS, "Chrome on Windows"),
        (EDGE_WINDOWS, "Edge on Windows"),
        ("", "Unknown browser"),
        ("curl/8.0", "Unknown browser"),
    ],
)
def test_browser_family_keeps_only_the_family(agent, family):
    assert browser_family(agent) == family


def _signed_in(user, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_sessions_are_listed_with_browser_and_last_use(member):
    laptop = _signed_in(member, FIREFOX_LINUX)
    _signed_in(member, SAFARI_IPHONE)
    rows = MemberSession.objects.filter(user=member)
    assert sorted(rows.values_list("browser", flat=True)) == ["Firefox on Linux", "Safari on iOS"]
    # Only the family is kept, never the whole user agent.
    assert not rows.filter(browser__contains="Mozilla").exists()
    page = _text(laptop.get(SECURITY))
    assert "Firefox on Linux" in page and "Safari on iOS" in page
    assert "This browser" in page
    assert "Last used" in page
    assert "Sign out everywhere else" in page
    assert reverse("mfa_index") in page


def test_another_members_sessions_are_never_listed(member, facilitator):
    _signed_in(facilitator, SAFARI_IPHONE)
    page = _text(_signed_in(member, FIREFOX_LINUX).get(SECURITY))
    assert "Safari on iOS" not in page


def test_sign_out_everywhere_else_keeps_only_this_browser(member):
    laptop = _signed_in(member, FIREFOX_LINUX)
    phone = _signed_in(member, SAFARI_IPHONE)
    assert phone.get(reverse("accounts:profile")).status_code == 200
    response = laptop.post(reverse("accounts:sign_out_others"), follow=True)
    assert "You're signed out everywhere else" in _text(response)
    assert phone.get(reverse("accounts:profile")).status_code == 302
    assert laptop.get(reverse("accounts:profile")).status_code == 200
    assert list(MemberSession.objects.filter(user=member).values_list("browser", flat=True)) == [
        "Firefox on Linux"
    ]
    assert "You aren't signed in anywhere else" in _text(laptop.get(SECURITY))


def test_signing_out_forgets_the_session(member):
    client = _signed_in(member, FIREFOX_LINUX)
    assert MemberSession.objects.filter(user=member).count() == 1
    client.post(reverse("account_logout"))
    assert not MemberSession.objects.filter(user=member).exists()


def test_last_use_is_recorded_without_a_query_on_every_page(member):
    client = _signed_in(member, FIREFOX_LINUX)
    row = MemberSession.objects.get(user=member)
    old = timezone.now() - timedelta(hours=3)
    MemberSession.objects.filter(pk=row.pk).update(last_used_at=old)
    # Within a few minutes of the last note, a page does not write again.
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("accounts:profile"))
    assert not any("accounts_membersession" in q["sql"] for q in ctx.captured_queries)
    assert MemberSession.objects.get(pk=row.pk).last_used_at == old
    # Once the note expires (cache cleared here), the next page records the use.
    from django.core.cache import cache

    cache.clear()
    client.get(reverse("accounts:profile"))
    assert MemberSession.objects.get(pk=row.pk).last_used_at > old


def test_a_session_from_before_tracking_is_listed_once_used(member, client):
    client.force_login(member)
    MemberSession.objects.all().delete()
    from django.core.cache import cache

    cache.clear()
    page = _text(client.get(SECURITY))
    assert "This browser" in page
    assert MemberSession.objects.filter(user=member).count() == 1
