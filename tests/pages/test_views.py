"""Trust pages (about, guidelines, terms) and the contact form to the administrators."""

import re

import pytest
from django.urls import reverse

from peersupport.notifications.models import Kind, Notification
from peersupport.pages.models import ContactMessage, SitePage
from peersupport.pages.services import CONTACT_RATE_COUNT, site_page_save
from tests.factories import AdminFactory

GOOD = {"topic": "question", "message": "How do I find a group about grief?"}


@pytest.mark.parametrize(
    "name", ["pages:about", "pages:guidelines", "pages:terms", "pages:contact"]
)
def test_every_page_links_to_all_the_trust_pages_in_its_footer(client, db, name):
    html = client.get(reverse(name)).content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    for target in [
        "pages:about",
        "pages:guidelines",
        "accounts:privacy",
        "pages:terms",
        "pages:contact",
    ]:
        assert f'href="{reverse(target)}"' in footer, f"{name}: no footer link to {target}"


def test_about_says_who_runs_the_site_from_settings(client, db, settings):
    settings.SITE_NAME = "Harbour Peer Support"
    settings.SITE_OPERATOR = "the Harbour Mental Health Trust"
    settings.CONTACT_EMAIL = "hello@harbour.example.org"
    html = client.get(reverse("pages:about")).content.decode()
    assert "About Harbour Peer Support" in html
    assert "run by the Harbour Mental Health Trust" in html
    assert 'href="mailto:hello@harbour.example.org"' in html


def test_an_administrators_own_text_replaces_the_built_in_page_sanitised(client, db):
    admin = AdminFactory()
    site_page_save(
        by=admin,
        page=SitePage(slug="about", body="We are **volunteers**.<script>alert(1)</script>"),
    )
    html = client.get(reverse("pages:about")).content.decode()
    assert "<strong>volunteers</strong>" in html
    assert "<script>alert(1)" not in html
    assert "Who runs this site" not in html  # the built-in text is gone


def test_the_admin_saves_page_text_through_the_service(client, db):
    admin = AdminFactory()
    client.force_login(admin)
    response = client.post(
        reverse("admin:pages_sitepage_add"), {"slug": "terms", "body": "Be *kind*."}
    )
    assert response.status_code == 302
    page = SitePage.objects.get(slug="terms")
    assert page.body_html.strip() == "<p>Be <em>kind</em>.</p>"
    assert page.updated_by == admin


# --- the contact form -----------------------------------------------------------------------
def test_a_visitor_sends_a_message_and_every_administrator_is_told_in_the_app(client, db):
    admins = [AdminFactory(), AdminFactory()]
    response = client.post(reverse("pages:contact"), {**GOOD, "reply_to": "me@example.org"})
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert (message.topic, message.reply_to, message.sender) == ("question", "me@example.org", None)
    notes = Notification.objects.filter(kind=Kind.CONTACT_MESSAGE)
    assert {n.recipient_id for n in notes} == {a.pk for a in admins}
    # The text never travels in a notification (it may reach an e-mail or a lock screen).
    assert all("grief" not in n.text for n in notes)
    assert all(
        n.url == reverse("admin:pages_contactmessage_change", args=[message.pk]) for n in notes
    )
    assert "Your message is with the administrators" in client.get(response.url).content.decode()


def test_a_member_is_not_asked_for_an_address_and_is_recorded_as_the_sender(client, member):
    client.force_login(member)
    assert 'name="reply_to"' not in client.get(reverse("pages:contact")).content.decode()
    client.post(reverse("pages:contact"), GOOD)
    assert ContactMessage.objects.get().sender == member


def test_an_empty_message_gets_kind_field_errors_and_saves_nothing(client, db):
    response = client.post(reverse("pages:contact"), {"topic": "", "message": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose what your message is about." in html
    assert "Please write a few words, so we know how to help." in html
    assert not ContactMessage.objects.exists()


def test_an_overlong_message_gets_a_field_error_and_saves_nothing(client, db):
    response = client.post(reverse("pages:contact"), {**GOOD, "message": "x" * 3001})
    assert response.status_code == 400
    assert "please keep it under 3000 characters (it has 3001)" in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_a_bad_reply_address_is_a_field_error(client, db):
    response = client.post(reverse("pages:contact"), {**GOOD, "reply_to": "not-an-address"})
    assert response.status_code == 400
    assert "doesn&#x27;t look like an e-mail address" in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_too_many_messages_from_a_member_get_a_kind_limit_message(client, member):
    client.force_login(member)
    for _ in range(CONTACT_RATE_COUNT):
        assert client.post(reverse("pages:contact"), GOOD).status_code == 302
    response = client.post(reverse("pages:contact"), GOOD)
    assert response.status_code == 429
    html = response.content.decode()
    assert re.search(
        r'role="alert"><p>Thank you for writing\. You.{1,6}ve sent a few messages', html
    )
    assert "Get help now" in html
    # What they wrote is still in the form, and nothing more was saved.
    assert "How do I find a group about grief?" in html
    assert ContactMessage.objects.count() == CONTACT_RATE_COUNT


def test_too_many_messages_from_one_visitor_address_are_limited(client, db):
    for _ in range(CONTACT_RATE_COUNT):
        assert client.post(reverse("pages:contact"), GOOD).status_code == 302
    assert client.post(reverse("pages:contact"), GOOD).status_code == 429
    # Someone else, at another address, is not held back by it.
    other = client.post(reverse("pages:contact"), GOOD, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302
    assert ContactMessage.objects.count() == CONTACT_RATE_COUNT + 1


# --- the member's own data ------------------------------------------------------------------
def test_a_members_contact_messages_are_in_their_export(member):
    import json
    import zipfile

    from peersupport.accounts.privacy.export import (
        data_export_build,
        data_export_request,
        export_path,
    )

    ContactMessage.objects.create(sender=member, topic="privacy", message="MY-CONTACT-TEXT")
    ContactMessage.objects.create(sender=None, topic="other", message="SOMEONE-ELSES")
    export, _created = data_export_request(user=member)
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    with zipfile.ZipFile(export_path(export)) as archive:
        data = json.loads(archive.read("data.json"))
    assert [m["message"] for m in data["contact_messages"]] == ["MY-CONTACT-TEXT"]


def test_a_purged_accounts_contact_messages_go(member):
    from peersupport.accounts.signals import account_purging

    ContactMessage.objects.create(sender=member, topic="privacy", message="MY-CONTACT-TEXT")
    kept = ContactMessage.objects.create(sender=None, topic="other", message="A visitor's")
    account_purging.send(sender=None, user_id=member.pk, keep_replies=False)
    assert list(ContactMessage.objects.all()) == [kept]


def test_an_administrator_marks_a_message_answered_in_the_admin(client, db):
    message = ContactMessage.objects.create(topic="question", message="Hello?")
    client.force_login(AdminFactory())
    url = reverse("admin:pages_contactmessage_change", args=[message.pk])
    assert "Hello?" in client.get(url).content.decode()
    assert client.post(url, {"handled": "on"}).status_code == 302
    message.refresh_from_db()
    first = message.handled_at
    assert first is not None
    client.post(url, {"handled": "on"})
    message.refresh_from_db()
    assert message.handled_at == first  # the first time is kept
    client.post(url, {})
    message.refresh_from_db()
    assert message.handled_at is None
