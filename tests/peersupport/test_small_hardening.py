"""Small hardening (issue 14, item 10): a kind CSRF-failure page, a Permissions-Policy header,
and reaction forms that are not many landmarks with the same name."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from stories.models import Reaction
from tests.factories import ReplyFactory, StoryFactory

pytestmark = pytest.mark.django_db


def test_a_failed_csrf_check_gets_a_calm_branded_page(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Please try that again" in body
    assert "Get help now" in body  # the site's own header and help link
    assert "CSRF verification failed" not in body
    assert "<style" not in body and " style=" not in body


def test_every_response_turns_off_camera_microphone_geolocation_and_payment(client):
    for url in ["/", "/healthz", "/accounts/login/", "/no/such/page/"]:
        policy = client.get(url).headers.get("Permissions-Policy", "")
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy, (url, feature)


def test_reaction_controls_on_a_story_page_are_not_landmarks_with_the_same_name(
    client_for, member, group
):
    story = StoryFactory(group=group)
    for _ in range(2):
        reply = ReplyFactory(story=story)
        Reaction.objects.create(user=member, reply=reply, kind="hear")
    client = client_for(member)
    body = client.get(story.get_absolute_url()).content.decode()
    # One compact control per post: a "React" link each, and no reaction form on the page.
    assert len(re.findall(r'<a class="reaction-toggle"', body)) == 3
    assert not re.findall(r'<form\b[^>]*class="reactions', body)
    # A form with an accessible name is a landmark; landmarks must have unique names.
    landmarks = re.findall(r'<(?:form|section|nav|aside)\b[^>]*aria-label="([^"]*)"', body)
    assert len(landmarks) == len(set(landmarks))
    # The opened picker is one form without a name, its buttons grouped under one.
    url = re.search(r'<a class="reaction-toggle" href="([^"]+)"', body).group(1)
    picker = client.get(url, headers={"HX-Request": "true"}).content.decode()
    forms = re.findall(r'<form\b[^>]*class="reactions is-open"[^>]*>', picker)
    assert len(forms) == 1 and "aria-label=" not in forms[0]
    assert picker.count('role="group" aria-label="Support reactions"') == 1
