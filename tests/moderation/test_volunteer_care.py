"""Volunteer care: distressing text covered in the queue and case until revealed."""

import re

from django.urls import reverse

from moderation import services
from moderation.models import Reason
from tests.factories import MembershipFactory, StoryFactory
from tests.moderation.standin import make_post

RISKY = "I do not think I can keep going much longer."
CALM = "Selling my old bike, DM me"


def _covered(page: str, text: str) -> bool:
    """Whether `text` appears only inside a closed <details class="covered">."""
    for match in re.finditer(r'<details class="covered">(.*?)</details>', page, re.S):
        if text in match.group(1):
            return True
    return False


def _report(group, content, reason):
    return services.report_create(
        reporter=MembershipFactory(group=group).user, content=content, reason=reason
    ).case


def test_risk_cases_are_covered_in_the_queue_and_case_page_and_routine_ones_are_not(
    client_for, group, member, facilitator
):
    risky = _report(group, make_post(group=group, author=member, text=RISKY), Reason.RISK)
    other = MembershipFactory(group=group).user
    _report(group, make_post(group=group, author=other, text=CALM), Reason.SPAM)
    client = client_for(facilitator)
    queue = client.get(reverse("moderation:queue")).text
    assert _covered(queue, RISKY)
    assert "This may be distressing. Show the text" in queue
    assert CALM in queue and not _covered(queue, CALM)
    # Closed by default: no "open" attribute anywhere.
    assert '<details class="covered" open' not in queue
    case_page = client.get(risky.get_absolute_url()).text
    assert _covered(case_page, RISKY)


def test_a_story_with_content_warnings_is_covered_and_names_its_warnings(
    client_for, group, facilitator
):
    story = StoryFactory(group=group, body="It was a long night.", warnings="self-harm,grief")
    case = _report(group, story, Reason.OTHER)
    assert not case.is_urgent and case.content_warnings
    assert case.is_distressing
    client = client_for(facilitator)
    queue = client.get(reverse("moderation:queue")).text
    assert _covered(queue, "It was a long night.")
    assert "content warnings:" in queue
    assert _covered(client.get(case.get_absolute_url()).text, "It was a long night.")
