"""Consent to processing health-related content: recorded with version and time; required to post."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from groups.chat import services as chat_services
from groups.chat.models import ChatMessage
from groups.permissions import access_for, check_post_in_group
from peersupport.accounts.models import ConsentRecord, User
from peersupport.accounts.privacy.consent import consent_give
from peersupport.accounts.privacy.notice import privacy_notice_publish
from stories import services as story_services
from stories.models import Story
from tests.factories import TEST_PASSWORD, MembershipFactory, StoryFactory, UserFactory

SIGNUP = {
    "display_name": "Gentle Heron",
    "email": "heron@example.org",
    "password1": "a-long-and-kind-passphrase",
    "password2": "a-long-and-kind-passphrase",
}


@pytest.fixture
def unconsented(group):
    """An account from before consent was asked: a member who has never been asked."""
    user = UserFactory(
        display_name="Early Ember", health_consent_at=None, health_consent_version=None
    )
    MembershipFactory(group=group, user=user)
    return user


def test_signup_with_consent_records_it_with_the_notice_version_and_time(client, db):
    privacy_notice_publish(body="Version two words.", summary="Clearer words.", published_by=None)
    response = client.post(reverse("account_signup"), {**SIGNUP, "health_consent": "on"})
    assert response.status_code == 302
    user = User.objects.get(email="heron@example.org")
    record = ConsentRecord.objects.get(user=user)
    assert record.kind == ConsentRecord.Kind.HEALTH_DATA
    assert record.notice_version == 2
    assert record.source == ConsentRecord.Source.SIGNUP
    assert user.health_consent_at == record.given_at
    assert user.health_consent_version == 2
    # A new member has just been shown the notice: no "it changed" banner for them.
    assert not user.privacy_notice_unseen


def test_signup_without_consent_creates_a_reader_who_cannot_post(client, group):
    client.post(reverse("account_signup"), SIGNUP)
    user = User.objects.get(email="heron@example.org")
    assert not ConsentRecord.objects.filter(user=user).exists()
    assert user.health_consent_at is None
    assert user.consent_asked_at is not None  # they answered at sign-up: not asked again
    MembershipFactory(group=group, user=user)
    access = access_for(user, group)
    assert access.can_read and not access.can_post


def test_the_signup_form_shows_the_consent_box_unticked_and_links_the_notice(client, db):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="health_consent"' in page
    assert "checked" not in page.split('name="health_consent"')[1].split(">")[0]
    assert reverse("accounts:privacy") in page


def test_check_post_in_group_refuses_a_member_without_consent(unconsented, group):
    access = access_for(unconsented, group)
    assert access.can_read and not access.can_post and access.needs_consent
    with pytest.raises(PermissionDenied, match="consent"):
        check_post_in_group(unconsented, group)


def test_an_administrator_without_consent_cannot_post_either(group, db):
    admin = UserFactory(is_staff=True, health_consent_at=None)
    assert not access_for(admin, group).can_post


def test_story_and_reply_services_refuse_without_consent(unconsented, group):
    with pytest.raises(PermissionDenied):
        story_services.story_submit(
            group=group, author=unconsented, title="A title here", body="Some words to share."
        )
    assert not Story.objects.filter(author=unconsented).exists()
    story = StoryFactory(group=group)
    with pytest.raises(PermissionDenied):
        story_services.reply_submit(story=story, author=unconsented, body="A kind reply.")


def test_chat_refuses_without_consent_and_accepts_after(unconsented, group):
    with pytest.raises(chat_services.ChatRefused, match="consent"):
        chat_services.chat_message_post(
            group=group, author=unconsented, body="Hello", client_id=uuid.uuid4().hex
        )
    assert ChatMessage.objects.count() == 0
    consent_give(user=unconsented, source=ConsentRecord.Source.PROMPT)
    chat_services.chat_message_post(
        group=group, author=unconsented, body="Hello", client_id=uuid.uuid4().hex
    )
    assert ChatMessage.objects.count() == 1


def test_the_story_form_page_explains_and_links_to_consent(client_for, unconsented, group):
    response = client_for(unconsented).get(reverse("stories:create", kwargs={"slug": group.slug}))
    assert response.status_code == 403
    body = response.content.decode()
    assert "consent" in body
    assert reverse("accounts:consent") in body


def test_the_story_page_still_reads_but_offers_consent_instead_of_the_reply_form(
    client_for, unconsented, group
):
    story = StoryFactory(group=group)
    response = client_for(unconsented).get(story.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert story.title in body
    assert "Post reply" not in body
    assert reverse("accounts:consent") in body


def test_existing_account_is_asked_once_at_next_sign_in(unconsented):
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": unconsented.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:consent"))
    client.post(reverse("account_logout"))
    response = client.post(
        reverse("account_login"), {"login": unconsented.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith(reverse("accounts:consent"))


def test_a_member_who_consented_is_not_asked_at_sign_in(member):
    response = Client().post(
        reverse("account_login"), {"login": member.email, "password": TEST_PASSWORD}
    )
    assert not response["Location"].startswith(reverse("accounts:consent"))


def test_consent_page_records_consent_and_returns_to_next(client_for, unconsented, group):
    back = reverse("groups:detail", kwargs={"slug": group.slug})
    response = client_for(unconsented).post(
        reverse("accounts:consent"), {"agree": "on", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    unconsented.refresh_from_db()
    assert unconsented.health_consent_at is not None
    record = ConsentRecord.objects.get(user=unconsented)
    assert record.source == ConsentRecord.Source.PROMPT and record.notice_version == 1
    assert access_for(unconsented, group).can_post


def test_consent_page_unticked_shows_a_kind_error_and_records_nothing(client_for, unconsented):
    response = client_for(unconsented).post(reverse("accounts:consent"), {})
    assert response.status_code == 200
    assert "tick the box" in response.content.decode()
    assert not ConsentRecord.objects.filter(user=unconsented).exists()


def test_consent_page_ignores_an_offsite_next(client_for, unconsented):
    response = client_for(unconsented).post(
        reverse("accounts:consent"), {"agree": "on", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("groups:mine")


def test_giving_consent_twice_records_it_once(unconsented):
    consent_give(user=unconsented, source=ConsentRecord.Source.PROMPT)
    consent_give(user=unconsented, source=ConsentRecord.Source.PROMPT)
    assert ConsentRecord.objects.filter(user=unconsented).count() == 1
