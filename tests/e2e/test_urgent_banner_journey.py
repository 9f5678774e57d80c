"""Urgent is unmistakable: a member reports a post as *someone may be at risk*; both of the
group's facilitators see a banner (and the tab title) appear live on whatever page they are on;
the member sees none; one facilitator claims the case and the banner clears live for the other.
Group content is played by the test stand-in adapter."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from tests.content import make_post
from tests.factories import TEST_PASSWORD, GroupFactory, MembershipFactory, UserFactory
from tests.live import axe_check, screenshot, watch

pytestmark = pytest.mark.browser


@pytest.fixture
def sign_in(live_url):
    pages = []

    def do(context, user):
        page = context.new_page()
        page.watch = watch(page, live_url)
        pages.append(page)
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label(re.compile(r"^Password:?$")).fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/$"))
        return page

    yield do
    for page in pages:
        assert page.watch.foreign_requests == []
        assert [
            e
            for e in page.watch.console_errors
            if "Content Security Policy" in e or "Refused to" in e
        ] == []


def _wait_for_socket(page) -> None:
    # The socket's first frames set the badge's label: after that no push can be missed.
    expect(page.locator("[data-unread-badge]")).to_have_attribute(
        "aria-label", re.compile("unread")
    )
    page.wait_for_timeout(300)


def test_urgent_banner_appears_live_for_facilitators_only_and_clears_on_claim(new_context, sign_in):
    group = GroupFactory(name="Living with low mood", slug="low-mood-banner")
    author = MembershipFactory(group=group, user=UserFactory(display_name="Sam Author")).user
    reporter = MembershipFactory(group=group, user=UserFactory(display_name="Kind Kai")).user
    fen = MembershipFactory(
        group=group, user=UserFactory(display_name="Fen Facilitator"), role="facilitator"
    ).user
    gus = MembershipFactory(
        group=group, user=UserFactory(display_name="Gus Facilitator"), role="facilitator"
    ).user
    risky = make_post(group=group, author=author, text="I don't think I can keep going.")
    ct = ContentType.objects.get_for_model(risky)

    fen_page = sign_in(new_context(), fen)
    fen_page.goto(f"/groups/{group.slug}/")
    gus_page = sign_in(new_context(), gus)
    banner = fen_page.locator("[data-urgent-banner]")
    expect(banner).to_be_hidden()
    expect(gus_page.locator("[data-urgent-banner]")).to_be_hidden()
    _wait_for_socket(fen_page)
    _wait_for_socket(gus_page)

    # The member reports the post as a risk.
    reporter_page = sign_in(new_context(), reporter)
    reporter_page.goto(f"/moderation/report/{ct.pk}/{risky.pk}/")
    reporter_page.get_by_label("Someone may be at risk").check()
    reporter_page.get_by_role("button", name="Send report").click()
    reporter_page.wait_for_url(re.compile(r"/moderation/my-reports/$"))

    # Both facilitators see it at once, without reloading; the member sees nothing.
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("may need support now")
    expect(fen_page).to_have_title(re.compile(r"^Urgent · "))
    expect(gus_page.locator("[data-urgent-banner]")).to_be_visible()
    expect(reporter_page.locator("[data-urgent-banner]")).to_have_count(0)
    reporter_page.goto(f"/groups/{group.slug}/")
    expect(reporter_page.locator("[data-urgent-banner]")).to_have_count(0)
    assert not reporter_page.title().startswith("Urgent")
    axe_check(fen_page, "group page with the urgent banner")
    screenshot(fen_page, "urgent-banner")

    # Gus follows the banner and claims the case; Fen's banner clears live.
    gus_page.get_by_role("link", name="Look now").click()
    gus_page.wait_for_url(re.compile(r"/moderation/cases/\d+/$"))
    gus_page.get_by_role("button", name="Claim this case").click()
    expect(banner).to_be_hidden()
    expect(fen_page).not_to_have_title(re.compile(r"^Urgent"))
    expect(gus_page.locator("[data-urgent-banner]")).to_be_hidden()
