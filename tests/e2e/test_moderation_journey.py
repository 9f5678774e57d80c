"""A member reports a post as *someone may be at risk*; a facilitator sees it first in the
queue and hides it with a reason; the author reads the private notice and appeals; the
reporter sees the outcome. The post is a real story."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.content import make_post
from tests.factories import (
    AdminFactory,
    GroupFactory,
    MembershipFactory,
    UserFactory,
)
from tests.live import axe_check, screenshot

pytestmark = pytest.mark.browser


def test_risk_report_to_hide_notice_appeal_and_outcome(new_context, signed_in):
    group = GroupFactory(name="Living with low mood", slug="low-mood")
    author = MembershipFactory(group=group, user=UserFactory(display_name="Sam Author")).user
    reporter = MembershipFactory(group=group, user=UserFactory(display_name="Kind Kai")).user
    facilitator = MembershipFactory(
        group=group, user=UserFactory(display_name="Fen Facilitator"), role="facilitator"
    ).user
    admin = AdminFactory(display_name="Admin Ari")
    calm_author = MembershipFactory(group=group).user
    older = make_post(group=group, author=calm_author, text="Selling my old bike, DM me")
    risky = make_post(
        group=group, author=author, text="I don't think I can keep going much longer."
    )
    from moderation import services

    services.report_create(
        reporter=MembershipFactory(group=group).user, content=older, reason="spam"
    )
    ct = ContentType.objects.get_for_model(risky)

    # The reporter asks a facilitator to look.
    reporter_page = signed_in(new_context(), reporter)
    reporter_page.goto(f"/moderation/report/{ct.pk}/{risky.pk}/")
    axe_check(reporter_page, "report form")
    screenshot(reporter_page, "moderation-report-form")
    reporter_page.get_by_label("Someone may be at risk").check()
    reporter_page.get_by_label(re.compile("Anything else")).fill("They sound very low tonight.")
    reporter_page.get_by_role("button", name="Send report").click()
    reporter_page.wait_for_url(re.compile(r"/moderation/my-reports/$"))
    assert reporter_page.get_by_text("Received: waiting for a facilitator.").is_visible()
    axe_check(reporter_page, "my reports")

    # The facilitator sees the risk case first, with its age.
    fac = signed_in(new_context(), facilitator)
    fac.goto("/moderation/")
    axe_check(fac, "review queue")
    screenshot(fac, "moderation-queue")
    cards = fac.locator(".case-card")
    assert cards.count() == 2
    assert "Someone may be at risk" in cards.nth(0).inner_text()
    assert "waiting" in cards.nth(0).inner_text()
    cards.nth(0).get_by_role("link").click()
    fac.wait_for_url(re.compile(r"/moderation/cases/\d+/$"))
    axe_check(fac, "case page")
    assert fac.get_by_text("Kind Kai").first.is_visible()
    fac.get_by_role("button", name="Claim this case").click()
    fac.get_by_label("Hide it", exact=True).check()
    fac.get_by_label("Which rule or concern").select_option("risk")
    fac.get_by_label("Reason (for the audit log)").fill(
        "Worried for their safety; reaching out privately."
    )
    fac.get_by_label(re.compile("A kind note to the member")).fill(
        "We're thinking of you. Please reach out."
    )
    fac.get_by_role("button", name="Apply").click()
    assert fac.get_by_text(re.compile("The member has been told privately")).is_visible()
    screenshot(fac, "moderation-case")

    # The author reads the private notice, with the crisis lines, and appeals once.
    author_page = signed_in(new_context(), author)
    author_page.goto("/moderation/notices/")
    axe_check(author_page, "notices")
    screenshot(author_page, "moderation-notices")
    assert author_page.get_by_text(re.compile("hidden your post")).is_visible()
    assert author_page.get_by_role("link", name="see the crisis lines").is_visible()
    assert "Kind Kai" not in author_page.content()
    author_page.get_by_role("link", name="Ask an administrator to look again").click()
    axe_check(author_page, "appeal form")
    author_page.get_by_label(re.compile("What would you like")).fill(
        "I was venting; I'm safe, and I've called a friend."
    )
    author_page.get_by_role("button", name="Send appeal").click()
    author_page.wait_for_url(re.compile(r"/moderation/notices/$"))
    assert author_page.get_by_text("Your appeal: Waiting for an administrator.").is_visible()
    assert author_page.get_by_role("link", name="Ask an administrator to look again").count() == 0

    # The reporter sees the outcome.
    reporter_page.goto("/moderation/my-reports/")
    assert reporter_page.get_by_text(
        "A facilitator reviewed it and took action. Thank you."
    ).is_visible()

    # An administrator (not the facilitator who acted) decides the appeal.
    admin_page = signed_in(new_context(), admin)
    admin_page.goto("/moderation/appeals/")
    axe_check(admin_page, "appeals")
    screenshot(admin_page, "moderation-appeals")
    admin_page.get_by_label("Reverse the decision").check()
    admin_page.get_by_label(re.compile("Your note to the member")).fill(
        "Thank you for explaining. Your post is back."
    )
    admin_page.get_by_role("button", name="Decide").click()
    assert admin_page.get_by_text("No appeals are waiting.").is_visible()
    author_page.goto("/moderation/notices/")
    assert author_page.get_by_text(re.compile("reversed the decision")).is_visible()
    assert author_page.get_by_text("Your appeal: Decision overturned.").is_visible()


def test_moderation_pages_on_a_narrow_screen(new_context, signed_in):
    group = GroupFactory(name="Narrow group", slug="narrow")
    facilitator = MembershipFactory(
        group=group, user=UserFactory(display_name="Narrow Fen"), role="facilitator"
    ).user
    from moderation import services

    post = make_post(group=group, author=MembershipFactory(group=group).user, text="A" * 300)
    case = services.report_create(
        reporter=MembershipFactory(group=group).user, content=post, reason="risk"
    ).case
    page = signed_in(new_context(viewport={"width": 360, "height": 740}), facilitator)
    for path, name in [
        ("/moderation/", "queue"),
        (f"/moderation/cases/{case.pk}/", "case"),
        ("/moderation/audit/", "audit"),
        ("/moderation/held/", "held"),
        (f"/moderation/groups/{group.slug}/watched-words/", "words"),
    ]:
        page.goto(path)
        axe_check(page, f"narrow {name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways ({width}px)"
    screenshot(page, "moderation-case-narrow")
