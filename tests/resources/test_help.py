import pytest
from django.urls import reverse

from resources.countries import HELP_COOKIE, country_from_accept_language
from tests.factories import CrisisLineFactory

pytestmark = pytest.mark.django_db

URL = "/help/"


@pytest.fixture
def lines(db):
    from django.core.management import call_command

    call_command("seed_crisis_lines")


def test_help_url_name_is_kept():
    assert reverse("help") == URL


def test_help_renders_without_javascript_and_under_14_kb(client, lines, member):
    for user in (None, member):
        if user:
            client.force_login(user)
        response = client.get(URL, headers={"accept-language": "en-GB,en;q=0.9"})
        body = response.content
        assert response.status_code == 200
        assert len(body) < 14 * 1024, len(body)
        # Everything works without JavaScript: a plain GET form and plain links.
        assert b'<form method="get" action="/help/"' in body
        assert b"hx-" not in body.split(b"</header>")[1]


def test_accept_language_en_gb_shows_samaritans_and_999(client, lines):
    body = client.get(URL, headers={"accept-language": "en-GB,en;q=0.9"}).content.decode()
    assert "Samaritans" in body and 'href="tel:116123"' in body
    assert 'href="tel:999"' in body
    assert "988" not in body
    assert "Find a Helpline" in body  # the worldwide directory is always there


def test_accept_language_prefers_the_highest_quality_region():
    assert country_from_accept_language("fr;q=0.9, en-AU;q=0.8, en-US;q=0.95") == "US"
    assert country_from_accept_language("en") == ""
    assert country_from_accept_language("xx-ZZ, garbage;q=abc") == ""


def test_choosing_a_country_is_remembered_in_a_cookie(client, lines):
    response = client.get(URL, {"country": "au"})
    assert response.cookies[HELP_COOKIE].value == "AU"
    assert "Lifeline Australia" in response.content.decode()
    later = client.get(URL, headers={"accept-language": "en-US"}).content.decode()
    assert "Lifeline Australia" in later and 'href="tel:000"' in later
    assert "988 Suicide" not in later


def test_us_lines_offer_call_and_text(client, lines):
    body = client.get(URL, {"country": "US"}).content.decode()
    assert 'href="tel:988"' in body and 'href="sms:988"' in body and 'href="tel:911"' in body


def test_unknown_country_gets_a_kind_message_not_a_crash(client, lines):
    response = client.get(URL, {"country": "ZZ<script>"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "have that country on our list yet" in body
    assert HELP_COOKIE not in response.cookies
    assert "<script>" not in body.split("</header>")[1]


def test_country_without_lines_shows_default_emergency_number_and_directory(client, lines):
    body = client.get(URL, {"country": "DE"}).content.decode()
    assert 'href="tel:112"' in body and "Find a Helpline" in body


def test_help_is_privately_cacheable_and_varies_on_cookie_and_language(client, lines):
    response = client.get(URL)
    assert "private" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]


def test_help_falls_back_to_built_in_lines_when_the_library_has_none(client):
    body = client.get(URL).content.decode()
    assert 'href="tel:988"' in body and 'href="tel:116123"' in body and 'href="tel:131114"' in body


def test_new_crisis_line_appears_after_publishing(client, admin, lines):
    from resources.services import resource_publish

    line = CrisisLineFactory(title="Brand new line", status="draft", countries=["GB"])
    assert "Brand new line" not in client.get(URL, {"country": "GB"}).content.decode()
    resource_publish(actor=admin, resource=line)
    from django.core.cache import cache

    from resources.selectors import HELP_CACHE_KEY

    cache.delete(HELP_CACHE_KEY)  # tests run inside one transaction, so on_commit never fires here
    assert "Brand new line" in client.get(URL, {"country": "GB"}).content.decode()
