"""The composer's support check, the private offer, and the panel after posting."""

import pytest
from django.urls import reverse

from moderation.models import Case
from peersupport.notifications.models import Kind, Notification
from tests.factories import StoryFactory

CRISIS = "I want to kill myself tonight."
CHECK = reverse("moderation:support_check")


# Tasks run inline even when REDIS_URL points at a real broker (the real-worker tests opt out).
pytestmark = pytest.mark.usefixtures("eager_tasks")


def test_crisis_text_gets_a_calm_panel_with_the_lines_for_the_browsers_country(
    client_for, member, group
):
    response = client_for(member).post(
        CHECK,
        {"body": CRISIS, "support_group": group.slug},
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8",
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "It sounds like things are really hard right now" in html
    assert "Samaritans" in html
    assert "988" not in html
    assert "Let a facilitator know" in html
    assert "nothing you write here is blocked" in html


IMMINENT = "I've taken 40 paracetamol and I feel really sick."


def test_imminent_risk_leads_with_the_local_emergency_number_and_call_now(
    client_for, member, group
):
    html = (
        client_for(member)
        .post(CHECK, {"body": IMMINENT, "support_group": group.slug}, HTTP_ACCEPT_LANGUAGE="en-GB")
        .content.decode()
    )
    assert "please call now" in html
    call_now = html.index('href="tel:999"')
    # The emergency call comes first, before the crisis lines and the facilitator offer.
    assert call_now < html.index("Samaritans") < html.index("Let a facilitator know")
    assert "Call 999 now" in html


def test_high_risk_panel_does_not_lead_with_call_now(client_for, member, group):
    html = client_for(member).post(CHECK, {"body": CRISIS}, HTTP_ACCEPT_LANGUAGE="en-GB")
    html = html.content.decode()
    assert "It sounds like things are really hard right now" in html
    assert "please call now" not in html


def test_after_posting_imminent_risk_the_next_page_leads_with_call_now(client_for, member, group):
    response = client_for(member).post(
        reverse("stories:create", kwargs={"slug": group.slug}),
        {"title": "Tonight", "body": IMMINENT, "replies_welcome": "yes"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en-GB",
    )
    assert "please call now" in response.content.decode()


def test_the_help_page_cookie_chooses_the_country(client_for, member):
    client = client_for(member)
    client.cookies["ps_help_country"] = "US"
    html = client.post(CHECK, {"text": CRISIS}, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "988 Suicide" in html
    assert "Samaritans" not in html
    # No group given: the lines, but no offer to tell a facilitator.
    assert "Let a facilitator know" not in html


def test_calm_text_gets_an_empty_answer(client_for, member):
    response = client_for(member).post(
        CHECK, {"body": "Had a good walk today.", "title": "A better day"}
    )
    assert response.status_code == 200
    assert response.content == b""


def test_visitors_are_refused_the_check(client):
    response = client.post(CHECK, {"text": CRISIS})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_no_offer_for_a_group_the_member_cannot_read(client_for, non_member, group):
    html = (
        client_for(non_member)
        .post(CHECK, {"text": CRISIS, "support_group": group.slug})
        .content.decode()
    )
    assert "Samaritans" in html or "Find a Helpline" in html
    assert "Let a facilitator know" not in html


def test_letting_a_facilitator_know_opens_a_private_urgent_case(
    client_for, member, facilitator, group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(
            reverse("moderation:support_request"),
            {"support_group": group.slug},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    assert "will reach out to you privately" in response.content.decode()
    case = Case.objects.get()
    assert case.is_urgent and case.subject == member
    assert Notification.objects.filter(recipient=facilitator, kind=Kind.URGENT_FLAG).count() == 1


def test_letting_a_facilitator_know_without_javascript_redirects_back(
    client_for, member, facilitator, group
):
    story = StoryFactory(group=group, author=member)
    response = client_for(member).post(
        reverse("moderation:support_request"),
        {"support_group": group.slug, "next": story.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == story.get_absolute_url()
    evil = client_for(member).post(
        reverse("moderation:support_request"),
        {"support_group": group.slug, "next": "https://evil.example/"},
    )
    assert evil["Location"] == group.get_absolute_url()


def test_the_story_form_and_reply_form_carry_the_debounced_check(client_for, member, group):
    client = client_for(member)
    html = client.get(reverse("stories:create", kwargs={"slug": group.slug})).content.decode()
    assert f'hx-post="{CHECK}"' in html
    assert 'hx-trigger="input changed delay:800ms"' in html
    assert 'id="support-panel"' in html and 'aria-live="polite"' in html
    story = StoryFactory(group=group)
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'hx-post="{CHECK}"' in html and 'id="support-panel"' in html


def test_the_chat_composer_carries_the_check(client_for, member, group):
    html = (
        client_for(member).get(reverse("chat:room", kwargs={"slug": group.slug})).content.decode()
    )
    assert f'hx-post="{CHECK}"' in html and 'id="support-panel"' in html


def test_after_posting_a_crisis_story_the_next_page_shows_the_panel_once(client_for, member, group):
    client = client_for(member)
    response = client.post(
        reverse("stories:create", kwargs={"slug": group.slug}),
        {"title": "Tonight", "body": CRISIS, "replies_welcome": "yes"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en-GB",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "It sounds like things are really hard right now" in html
    assert "Samaritans" in html
    assert "Let a facilitator know" in html
    # Like a message, it shows once.
    again = client.get(response.request["PATH_INFO"]).content.decode()
    assert "It sounds like things are really hard right now" not in again


def test_after_posting_a_crisis_reply_the_panel_shows(client_for, member, group):
    story = StoryFactory(group=group)
    client = client_for(member)
    response = client.post(
        reverse("stories:reply", kwargs={"slug": group.slug, "pk": story.pk}),
        {"body": "Honestly I just want to die."},
        follow=True,
    )
    assert "It sounds like things are really hard right now" in response.content.decode()


def test_a_calm_story_shows_no_panel(client_for, member, group):
    response = client_for(member).post(
        reverse("stories:create", kwargs={"slug": group.slug}),
        {"title": "Better", "body": "A good day.", "replies_welcome": "yes"},
        follow=True,
    )
    assert "It sounds like things are really hard right now" not in response.content.decode()
