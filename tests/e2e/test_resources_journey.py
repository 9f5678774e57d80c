"""An administrator curates and publishes a resource, a facilitator features it for a group,
a member finds it in the library and on the group's resources; the help page follows the country."""

import re

import pytest

from groups.models import Membership
from tests.factories import (
    AdminFactory,
    CategoryFactory,
    GroupFactory,
    MembershipFactory,
    UserFactory,
)
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_admin_curates_facilitator_features_member_finds(new_context):
    admin = AdminFactory(display_name="Robin")
    group = GroupFactory(name="Sleep and worry", slug="sleep-and-worry")
    facilitator = MembershipFactory(
        group=group, user=UserFactory(display_name="Willow"), role=Membership.Role.FACILITATOR
    ).user
    member = MembershipFactory(group=group, user=UserFactory(display_name="Ash")).user
    CategoryFactory(name="Coping day to day", slug="coping-day-to-day")

    # The administrator writes, previews and publishes an article.
    page = new_context().new_page()
    sign_in(page, admin)
    page.goto("/staff/resources/")
    axe_check(page, "staff dashboard")
    screenshot(page, "resources-staff-dashboard")
    page.get_by_role("link", name="New resource").first.click()
    page.get_by_label("Kind").select_option("article")
    page.get_by_label("Title").fill("Winding down for sleep")
    page.get_by_label("Summary").fill("Small steps for a calmer night.")
    page.get_by_label("Article text").fill("## Before bed\n\nPut the phone in another room.")
    page.get_by_label("Coping day to day").check()
    page.get_by_label("Tags").fill("sleep, worry")
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_role("heading", name="Preview (not saved yet)").is_visible()
    axe_check(page, "staff form preview")
    screenshot(page, "resources-staff-preview")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url(re.compile(r"/staff/resources/\d+/$"))
    axe_check(page, "staff resource page")
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_text("Published. It is now in the library.").is_visible()
    screenshot(page, "resources-staff-published")

    # The facilitator features it for the group.
    page = new_context().new_page()
    sign_in(page, facilitator)
    page.goto(f"/groups/{group.slug}/resources/")
    axe_check(page, "group resources (facilitator)")
    page.get_by_role("button", name="Feature “Winding down for sleep”").click()
    assert page.get_by_text("is now featured for this group").is_visible()
    screenshot(page, "resources-group-facilitator")

    # A member finds it on the group's resources and in the library.
    page = new_context().new_page()
    sign_in(page, member)
    page.goto(f"/groups/{group.slug}/resources/")
    assert page.get_by_role("link", name="Winding down for sleep").is_visible()
    assert page.get_by_role("button", name=re.compile("Feature|Remove")).count() == 0
    axe_check(page, "group resources (member)")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Resources").click()
    page.get_by_label("Search the library").fill("sleep")
    page.get_by_role("button", name="Search").click()
    axe_check(page, "library search")
    screenshot(page, "resources-library-member")
    page.get_by_role("link", name="Winding down for sleep").click()
    assert page.get_by_role("heading", level=1, name="Winding down for sleep").is_visible()
    assert page.get_by_text("Reviewed by Robin").is_visible()
    axe_check(page, "resource detail")
    screenshot(page, "resources-detail-member")

    # ...and suggests another one for the administrators' queue.
    page.goto("/resources/")
    page.get_by_role("link", name="Suggest a resource").click()
    axe_check(page, "suggest")
    page.get_by_label("Title or topic").fill("Sleep diary template")
    page.get_by_label("Web address (optional)").fill("https://example.org/sleep-diary")
    page.get_by_role("button", name="Send suggestion").click()
    assert page.get_by_text("An administrator will look at your suggestion").is_visible()


def test_help_page_follows_the_browser_country_and_remembers_a_choice(new_context):
    from django.core.management import call_command

    call_command("seed_crisis_lines")
    context = new_context(
        locale="en-GB", java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Get help now").first.click()
    assert page.get_by_role("heading", name="Samaritans").is_visible()
    assert page.get_by_role("link", name="Call 116 123").get_attribute("href") == "tel:116123"
    screenshot(page, "resources-help-gb-narrow")
    page.get_by_label("Your country").select_option("AU")
    page.get_by_role("button", name="Show lines").click()
    assert page.get_by_role("heading", name="Lifeline Australia").is_visible()
    page.goto("/help/")
    assert page.get_by_role("heading", name="Lifeline Australia").is_visible()
    assert page.get_by_role("link", name="000").is_visible()
    page.goto("/resources/")
    screenshot(page, "resources-library-narrow")
    page.get_by_role("link", name="Lifeline Australia").click()
    assert page.get_by_role("link", name="Call 13 11 14").get_attribute("href") == "tel:131114"
    screenshot(page, "resources-detail-crisis-line-narrow")
    # axe needs script; check the same page in a script-enabled context.
    page = new_context(locale="en-US").new_page()
    page.goto("/help/")
    assert page.get_by_role("heading", name="988 Suicide & Crisis Lifeline").is_visible()
    axe_check(page, "help")
    screenshot(page, "resources-help-us")
