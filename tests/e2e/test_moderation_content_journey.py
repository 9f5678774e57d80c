"""Moderation on real content: a member reports a reply as *someone may be at risk*; a
facilitator sees it first, hides it with a reason from the case page; the reply is gone for
members; its author reads the private notice and can appeal; the reporter sees the outcome.
Also: live chat messages carry a working report link."""

import re

import pytest

from groups.chat.models import ChatMessage
from moderation import services
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    ReplyFactory,
    StoryFactory,
    UserFactory,
)
from tests.live import axe_check, screenshot

pytestmark = pytest.mark.browser


def test_reporting_a_reply_at_risk_through_to_hide_notice_appeal_and_outcome(
    new_context, signed_in
):
    group = GroupFactory(name="Living with low mood", slug="low-mood")
    storyteller = MembershipFactory(group=group, user=UserFactory(display_name="Robin Story")).user
    author = MembershipFactory(group=group, user=UserFactory(display_name="Sam Author")).user
    reporter = MembershipFactory(group=group, user=UserFactory(display_name="Kind Kai")).user
    facilitator = MembershipFactory(
        group=group, user=UserFactory(display_name="Fen Facilitator"), role="facilitator"
    ).user
    story = StoryFactory(
        group=group, author=storyteller, title="Winter evenings", body="The dark comes so early."
    )
    reply = ReplyFactory(
        story=story, author=author, body="I don't think I can keep going much longer."
    )
    type(story).objects.filter(pk=story.pk).update(reply_count=1)
    older = StoryFactory(
        group=group, author=storyteller, title="Bike for sale", body="Selling my old bike, DM me"
    )
    services.report_create(
        reporter=MembershipFactory(group=group).user, content=older, reason="spam"
    )

    # The reporter finds the Report link beside the reply (none beside their own things).
    reporter_page = signed_in(new_context(), reporter)
    reporter_page.goto(story.get_absolute_url())
    axe_check(reporter_page, "story with report links")
    screenshot(reporter_page, "moderation-content-story")
    reporter_page.locator(f"#reply-{reply.pk}").get_by_role(
        "link", name=re.compile("^Report")
    ).click()
    reporter_page.wait_for_url(re.compile(r"/moderation/report/\d+/\d+/$"))
    axe_check(reporter_page, "report a reply")
    reporter_page.get_by_label("Someone may be at risk").check()
    reporter_page.get_by_label(re.compile("Anything else")).fill("They sound very low tonight.")
    reporter_page.get_by_role("button", name="Send report").click()
    reporter_page.wait_for_url(re.compile(r"/moderation/my-reports/$"))
    assert reporter_page.get_by_text("Received: waiting for a facilitator.").is_visible()

    # The facilitator sees the risk case first and the reply itself on the case page.
    fac = signed_in(new_context(), facilitator)
    fac.goto("/moderation/")
    axe_check(fac, "review queue with a reply")
    screenshot(fac, "moderation-content-queue")
    cards = fac.locator(".case-card")
    assert cards.count() == 2
    assert "Someone may be at risk" in cards.nth(0).inner_text()
    cards.nth(0).get_by_role("link").click()
    fac.wait_for_url(re.compile(r"/moderation/cases/\d+/$"))
    axe_check(fac, "case page for a reply")
    # Distressing text stays covered until the facilitator chooses to read it.
    assert not fac.get_by_text("I don't think I can keep going much longer.").first.is_visible()
    fac.get_by_text("This may be distressing. Show the text").click()
    assert fac.get_by_text("I don't think I can keep going much longer.").first.is_visible()
    assert fac.get_by_text(re.compile("A reply to “Winter evenings”")).first.is_visible()
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
    screenshot(fac, "moderation-content-case")
    fac.get_by_role("link", name="See it in place").click()
    axe_check(fac, "story as facilitator with a hidden reply")
    screenshot(fac, "moderation-content-story-facilitator")

    # Members no longer see the reply.
    reporter_page.goto(story.get_absolute_url())
    assert reporter_page.get_by_text("I don't think I can keep going much longer.").count() == 0

    # The author reads the private notice, with the crisis lines, and can appeal.
    author_page = signed_in(new_context(), author)
    author_page.goto("/moderation/notices/")
    axe_check(author_page, "notices for a reply")
    assert author_page.get_by_text(re.compile("hidden your post")).is_visible()
    assert author_page.get_by_role("link", name="see the crisis lines").is_visible()
    assert "Kind Kai" not in author_page.content()
    author_page.get_by_role("link", name="Ask an administrator to look again").click()
    axe_check(author_page, "appeal a hidden reply")
    author_page.get_by_label(re.compile("What would you like")).fill("I was venting; I'm safe now.")
    author_page.get_by_role("button", name="Send appeal").click()
    author_page.wait_for_url(re.compile(r"/moderation/notices/$"))
    assert author_page.get_by_text("Your appeal: Waiting for an administrator.").is_visible()

    # The reporter sees the outcome.
    reporter_page.goto("/moderation/my-reports/")
    assert reporter_page.get_by_text(
        "A facilitator reviewed it and took action. Thank you."
    ).is_visible()


def test_live_chat_messages_carry_a_report_link(new_context, signed_in):
    group = GroupFactory(name="Evening circle", slug="evening-circle")
    member = MembershipFactory(group=group, user=UserFactory(display_name="Mo Member")).user
    other = MembershipFactory(group=group, user=UserFactory(display_name="Oli Other")).user
    page = signed_in(new_context(viewport={"width": 360, "height": 740}), member)
    page.goto(f"/groups/{group.slug}/chat/")
    page.locator("#chat-connection", has_text=re.compile(r"^Connected")).wait_for()
    oli = signed_in(new_context(), other)
    oli.goto(f"/groups/{group.slug}/chat/")
    oli.locator("#chat-connection", has_text=re.compile(r"^Connected")).wait_for()
    oli.locator("#id_body").fill("Hello from Oli")
    oli.get_by_role("button", name="Send").click()
    live = page.locator("li.chat-message", has_text="Hello from Oli")
    live.wait_for()
    sent = ChatMessage.objects.get(body="Hello from Oli")
    link = live.get_by_role("link", name=re.compile("^Report"))
    assert re.search(rf"/moderation/report/\d+/{sent.pk}/$", link.get_attribute("href"))
    page.locator("#id_body").fill("My own words")
    page.get_by_role("button", name="Send").click()
    mine = page.locator("li.chat-message", has_text="My own words").last
    mine.wait_for()
    page.locator("li.is-sending").wait_for(state="detached")
    assert mine.get_by_role("link", name=re.compile("^Report")).count() == 0
    axe_check(page, "chat with report links")
    screenshot(page, "moderation-chat-report-narrow")
    link.click()
    page.wait_for_url(re.compile(r"/moderation/report/"))
    assert page.get_by_text(re.compile("chat message", re.I)).first.is_visible()
