"""A reply reaches the story's author live; the notification links to the reply itself."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import GroupFactory, MembershipFactory, StoryFactory, UserFactory
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_a_reply_raises_the_authors_count_live_and_the_link_opens_the_reply(new_context):
    group = GroupFactory(name="Evening walkers", slug="evening-walkers")
    author = MembershipFactory(group=group, user=UserFactory(display_name="Bluebell")).user
    replier = MembershipFactory(group=group, user=UserFactory(display_name="River")).user
    story = StoryFactory(group=group, author=author, title="A long week")

    author_page = new_context().new_page()
    sign_in(author_page, author)
    author_page.goto(f"/groups/{group.slug}/")
    badge = author_page.locator("[data-unread-badge]")
    # The socket's first message says 0: after it, a push cannot be missed.
    expect(badge).to_have_attribute("aria-label", "0 unread")
    axe_check(author_page, "group page with the follow toggle")
    author_page.get_by_role("button", name="Tell me about new stories in this group").click()
    expect(
        author_page.get_by_text("We'll let you know when someone shares a new story here.")
    ).to_be_visible()
    axe_check(author_page, "group page after following")
    screenshot(author_page, "notifications-group-follow")

    replier_page = new_context().new_page()
    sign_in(replier_page, replier)
    replier_page.goto(f"/groups/{group.slug}/stories/{story.pk}/")
    axe_check(replier_page, "story before the reply")
    replier_page.get_by_label("Your reply").fill("Thinking of you. The evenings help me too.")
    replier_page.get_by_label(re.compile("Anonymous member")).check()
    replier_page.get_by_role("button", name="Post reply").click()
    expect(replier_page.get_by_text("Thinking of you. The evenings help me too.")).to_be_visible()

    expect(badge).to_have_text("1")
    expect(badge).to_be_visible()
    screenshot(author_page, "notifications-reply-live-badge")

    author_page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    author_page.wait_for_url(re.compile(r"/notifications/$"))
    link = author_page.get_by_role("link", name=re.compile("replied to your story"))
    expect(link).to_have_text(re.compile("Anonymous member replied to your story"))
    expect(author_page.get_by_text("River")).to_have_count(0)
    axe_check(author_page, "centre with a reply notification")
    screenshot(author_page, "notifications-reply-centre")
    link.click()
    author_page.wait_for_url(re.compile(rf"/stories/{story.pk}/#reply-\d+$"))
    reply_id = author_page.url.rsplit("#", 1)[1]
    expect(author_page.locator(f"#{reply_id}")).to_contain_text("The evenings help me too.")
    axe_check(author_page, "story opened at the reply")
    screenshot(author_page, "notifications-reply-opened")


def test_the_follow_toggle_fits_a_narrow_screen(new_context):
    group = GroupFactory(name="Morning light", slug="morning-light")
    member = MembershipFactory(group=group, user=UserFactory(display_name="Quietfox")).user
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(page, member)
    page.goto(f"/groups/{group.slug}/")
    page.get_by_role("button", name="Tell me about new stories in this group").click()
    page.get_by_role("button", name="Stop telling me about new stories").click()
    expect(
        page.get_by_text("You won't hear about new stories in this group any more.")
    ).to_be_visible()
    axe_check(page, "narrow group page after unfollowing")
    screenshot(page, "notifications-group-follow-narrow")
