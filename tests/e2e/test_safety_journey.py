"""A member writes crisis words in a reply: the support panel appears while writing and after
posting, and the group's facilitator's header count rises live."""

import pytest
from playwright.sync_api import expect

from groups.models import Membership
from tests.factories import GroupFactory, MembershipFactory, StoryFactory, UserFactory
from tests.live import axe_check, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("eager_tasks")]

PANEL = "It sounds like things are really hard right now"


def test_crisis_reply_shows_support_and_alerts_the_facilitator_live(new_context):
    group = GroupFactory(name="Living with anxiety", slug="living-with-anxiety-e2e")
    member = MembershipFactory(group=group, user=UserFactory(display_name="Quiet Fox")).user
    facilitator = MembershipFactory(
        group=group, user=UserFactory(display_name="Willow F"), role=Membership.Role.FACILITATOR
    ).user
    # Someone else's story, so the facilitator's only new notification is the urgent alert.
    author = MembershipFactory(group=group, user=UserFactory(display_name="Morning Lark")).user
    story = StoryFactory(group=group, author=author, title="How are we all doing this week?")

    fac_page = new_context().new_page()
    sign_in(fac_page, facilitator)
    badge = fac_page.locator("[data-unread-badge]")
    expect(badge).to_have_attribute("aria-label", "0 unread")

    page = new_context(extra_http_headers={"Accept-Language": "en-GB,en;q=0.8"}).new_page()
    sign_in(page, member)
    page.goto(story.get_absolute_url())
    page.get_by_label("Your reply").fill("Honestly I just want to die. I can't do this anymore.")
    panel = page.locator("#support-panel")
    expect(panel.get_by_text(PANEL)).to_be_visible()
    expect(panel.get_by_role("heading", name="Samaritans")).to_be_visible()
    axe_check(page, "reply form with the support panel")
    screenshot(page, "safety-compose-panel")

    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Your reply is posted")).to_be_visible()
    expect(page.get_by_role("heading", name=PANEL)).to_be_visible()
    axe_check(page, "story page after a crisis reply")
    screenshot(page, "safety-after-post-panel")

    # The facilitator's count rose without a reload.
    expect(badge).to_have_text("1")
    screenshot(fac_page, "safety-facilitator-header-live")

    # The member asks for a facilitator to know, privately.
    page.get_by_role("button", name="Let a facilitator know").first.click()
    expect(page.get_by_text("will reach out to you privately")).to_be_visible()


def test_support_panel_on_a_narrow_screen(new_context):
    group = GroupFactory(slug="narrow-safety")
    member = MembershipFactory(group=group, user=UserFactory(display_name="Narrow Owl")).user
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(page, member)
    page.goto(f"/groups/{group.slug}/stories/new/")
    page.get_by_label("Your story").fill("I'm going to end it all tonight.")
    expect(page.locator("#support-panel").get_by_text(PANEL)).to_be_visible()
    axe_check(page, "narrow story form with the support panel")
    screenshot(page, "safety-compose-panel-narrow")
