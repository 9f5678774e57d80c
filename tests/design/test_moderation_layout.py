"""Moderation layout (issue 15, item 9): Markdown rendered (sanitised) in the queue and case,
risk cases in their own section first with how long they have waited, and a decision form with
nothing preselected whose parts say when they apply."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from moderation import services
from tests.content import make_post
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(group):
    calm = make_post(
        group=group,
        author=MembershipFactory(group=group).user,
        text="Selling a **bike**, see *details*",
    )
    risky = make_post(
        group=group, author=MembershipFactory(group=group).user, text="I *can't* go on"
    )
    calm_case = services.report_create(
        reporter=MembershipFactory(group=group).user, content=calm, reason="spam"
    ).case
    risk_case = services.report_create(
        reporter=MembershipFactory(group=group).user, content=risky, reason="risk"
    ).case
    return calm_case, risk_case


def test_markdown_filter_renders_and_sanitises():
    out = Template("{% load markup %}{{ text|markdown }}").render(
        Context({"text": "**strong** <script>alert(1)</script> [x](javascript:alert(1))"})
    )
    assert "<strong>strong</strong>" in out
    assert "<script" not in out and 'href="javascript' not in out


def test_queue_renders_markdown_excerpts(client_for, facilitator, cases):
    page = client_for(facilitator).get(reverse("moderation:queue")).content.decode()
    assert "<strong>bike</strong>" in page and "<em>details</em>" in page
    assert "**bike**" not in page


def test_risk_cases_have_their_own_section_first_in_the_danger_colour(
    client_for, facilitator, cases
):
    calm_case, risk_case = cases
    page = client_for(facilitator).get(reverse("moderation:queue")).content.decode()
    risk = page.index('class="risk-section"')
    other = page.index('id="other-heading"')
    # (The urgent banner above links to the risk case too: look from the section on.)
    assert risk < page.index(risk_case.get_absolute_url(), risk) < other
    assert other < page.index(calm_case.get_absolute_url(), risk)
    section = page[risk:other]
    assert "card-danger" in section and "pill pill-danger" in section
    assert re.search(r"Has been waiting \d+\xa0minutes?", section)
    # The calm case is not dressed as a risk.
    assert "card-danger" not in page[other:]


def test_without_risk_cases_there_is_no_risk_section(client_for, facilitator, group):
    post = make_post(group=group, author=MembershipFactory(group=group).user, text="spam")
    services.report_create(
        reporter=MembershipFactory(group=group).user, content=post, reason="spam"
    )
    page = client_for(facilitator).get(reverse("moderation:queue")).content.decode()
    assert "risk-section" not in page


def test_case_form_preselects_nothing_and_labels_each_part(client_for, facilitator, cases):
    calm_case, _ = cases
    page = client_for(facilitator).get(calm_case.get_absolute_url()).content.decode()
    form = page[page.index("data-case-form") : page.index("</form>", page.index("data-case-form"))]
    assert not re.search(r"<input[^>]*\bchecked\b", form)
    for heading in (
        "For any action: the reason",
        "If you redact: the text as it should read",
        "If you mute, or mute as well: for how long",
    ):
        assert heading in form
    assert re.search(r'class="action-fields" data-for="redact"', form)
    assert "js/case_form.js" in page


def test_case_page_renders_the_item_as_markdown(client_for, facilitator, cases):
    calm_case, _ = cases
    page = client_for(facilitator).get(calm_case.get_absolute_url()).content.decode()
    assert "<strong>bike</strong>" in page
