"""The privacy notice: public, versioned by administrators, members told in-app of a change."""

import pytest
from django.urls import reverse

from peersupport.accounts.models import PrivacyNotice
from peersupport.accounts.privacy.notice import (
    privacy_notice_current_version,
    privacy_notice_publish,
)


def test_the_first_notice_is_there_from_the_start_and_public(client, db):
    response = client.get(reverse("accounts:privacy"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Version 1" in body
    # Plain words on each thing the issue asks for, including every retention period.
    for words in (
        "crisis language",
        "Cookies",
        "Facilitators",
        "Administrators",
        "between 30 and 730 days",
        "365 days",
        "90 days",
        "30 days after the e-mail was sent",
        "7 days after it is ready",
        reverse("accounts:data"),
    ):
        assert words in body, words


def test_the_footer_links_the_notice(client, db):
    assert reverse("accounts:privacy") in client.get(reverse("home")).content.decode()


def test_publishing_keeps_earlier_versions_and_numbers_the_new_one(db, admin):
    notice = privacy_notice_publish(body="New **words**.", summary="Shorter.", published_by=admin)
    assert notice.version == 2
    assert "<strong>words</strong>" in notice.body_html
    assert list(PrivacyNotice.objects.values_list("version", flat=True)) == [2, 1]
    assert privacy_notice_current_version() == 2


def test_admin_add_publishes_a_new_version_and_old_ones_cannot_be_changed(client_for, admin):
    client = client_for(admin)
    response = client.post(
        reverse("admin:accounts_privacynotice_add"),
        {"body": "Second version of the notice.", "summary": "We explain e-mail better."},
    )
    assert response.status_code == 302
    newest = PrivacyNotice.objects.get(version=2)
    assert newest.published_by == admin
    first = PrivacyNotice.objects.get(version=1)
    before = first.body
    client.post(
        reverse("admin:accounts_privacynotice_change", args=[first.pk]),
        {"body": "Rewritten history", "summary": "x"},
    )
    first.refresh_from_db()
    assert first.body == before
    public = client.get(reverse("accounts:privacy")).content.decode()
    assert "Second version of the notice." in public and "We explain e-mail better." in public


@pytest.fixture
def changed(db):
    return privacy_notice_publish(body="Changed words.", summary="", published_by=None)


def test_members_see_a_banner_when_the_notice_changes_until_they_read_it(
    client_for, member, changed
):
    client = client_for(member)
    assert "Our privacy notice has changed" in client.get(reverse("home")).content.decode()
    client.get(reverse("accounts:privacy"))
    member.refresh_from_db()
    assert not member.privacy_notice_unseen
    assert "Our privacy notice has changed" not in client.get(reverse("home")).content.decode()


def test_dismissing_the_banner_marks_it_seen_and_returns(client_for, member, changed):
    client = client_for(member)
    response = client.post(reverse("accounts:privacy_seen"), {"next": reverse("groups:mine")})
    assert response.status_code == 302 and response["Location"] == reverse("groups:mine")
    member.refresh_from_db()
    assert not member.privacy_notice_unseen


def test_no_banner_without_a_change_nor_for_visitors(client, client_for, member):
    assert "Our privacy notice has changed" not in client_for(member).get("/").content.decode()
    privacy_notice_publish(body="Changed.", summary="", published_by=None)
    assert "Our privacy notice has changed" not in client.get("/").content.decode()
