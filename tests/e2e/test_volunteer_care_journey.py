"""Volunteer care in a real browser: a facilitator goes off duty and back; after closing a risk
case, says "this was hard"; the administrator reads it on the group's workload page. Axe on
every page. Group content is played by the test stand-in adapter."""

import re

import pytest
from playwright.sync_api import expect

from tests.content import make_post
from tests.factories import AdminFactory, GroupFactory, MembershipFactory, UserFactory
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_off_duty_this_was_hard_and_the_workload_page(new_context):
    from moderation import services

    group = GroupFactory(name="Living with low mood", slug="low-mood-care")
    author = MembershipFactory(group=group).user
    fen = MembershipFactory(
        group=group, user=UserFactory(display_name="Fen Facilitator"), role="facilitator"
    ).user
    admin = AdminFactory(display_name="Admin Ari")
    case = services.report_create(
        reporter=MembershipFactory(group=group).user,
        content=make_post(group=group, author=author, text="I can't keep going."),
        reason="risk",
    ).case
    services.case_claim(actor=fen, case=case)
    services.case_dismiss(
        actor=fen,
        case=case,
        reason="Reached out; they are safe tonight.",
        no_outreach_reason="Spoke to them in the chat room instead.",
    )

    page = new_context().new_page()
    sign_in(page, fen)
    page.goto("/notifications/preferences/")
    assert page.get_by_text("urgent alerts can't be switched off").is_visible()
    page.get_by_role("button", name="Go off duty").click()
    expect(page.get_by_text("You're off duty.")).to_be_visible()
    axe_check(page, "preferences, off duty")
    page.get_by_role("button", name="I'm back on duty").click()
    expect(page.get_by_role("button", name="Go off duty")).to_be_visible()

    page.goto(case.get_absolute_url())
    expect(page.get_by_role("heading", name="Was that hard?")).to_be_visible()
    axe_check(page, "closed risk case with the check-in offer")
    page.get_by_label("Anything you'd like them to know (optional)").fill("It stayed with me.")
    page.get_by_role("button", name="This was hard: let an administrator know").click()
    expect(page.get_by_text("An administrator has been told privately")).to_be_visible()
    screenshot(page, "volunteer-care-this-was-hard")

    admin_page = new_context().new_page()
    sign_in(admin_page, admin)
    admin_page.goto(f"/groups/manage/{group.slug}/facilitators/")
    admin_page.get_by_role("link", name=re.compile("Who carries what")).click()
    admin_page.wait_for_url(re.compile(r"/workload/$"))
    expect(admin_page.get_by_text("It stayed with me.")).to_be_visible()
    expect(admin_page.get_by_role("row", name=re.compile("Fen Facilitator"))).to_be_visible()
    axe_check(admin_page, "group workload")
    screenshot(admin_page, "volunteer-care-workload")
