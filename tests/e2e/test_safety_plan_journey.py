"""A member writes a safety plan, meets it when crisis words appear in a reply, keeps it on the
device, opens it and /help/ offline, prints it, shares it for a while, and signing out leaves
nothing behind."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from groups.models import Membership
from peersupport.safety_plan.content import PlanContent
from peersupport.safety_plan.services import safety_plan_save
from tests.factories import GroupFactory, MembershipFactory, StoryFactory, UserFactory
from tests.live import axe_check, sign_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("eager_tasks")]

SHOTS = Path("/tmp/shots/safety-plan")
CACHE_COUNT = "async () => (await caches.keys()).length"
WORKERS = "async () => (await navigator.serviceWorker.getRegistrations()).length"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _no_csp_errors(page) -> None:
    csp = [e for e in page.watch.console_errors if "Content Security Policy" in e or "Refused" in e]
    assert csp == [], csp
    assert page.watch.foreign_requests == []


def test_write_meet_keep_offline_print_share_and_sign_out(new_context, live_url):
    group = GroupFactory(name="Living with anxiety", slug="plan-journey")
    member = MembershipFactory(group=group, user=UserFactory(display_name="Quiet Fox")).user
    facilitator = MembershipFactory(
        group=group, user=UserFactory(display_name="Willow F"), role=Membership.Role.FACILITATOR
    ).user
    author = MembershipFactory(group=group, user=UserFactory(display_name="Morning Lark")).user
    story = StoryFactory(group=group, author=author, title="How are we all doing this week?")

    context = new_context(extra_http_headers={"Accept-Language": "en-GB,en;q=0.8"})
    page = context.new_page()
    page.watch = watch(page, live_url)
    sign_in(page, member)

    # --- write the plan, half-done, from the member's menu ---
    page.goto("/profile/")
    page.get_by_role("link", name="Your safety plan").first.click()
    expect(page.get_by_role("heading", name="Your safety plan", level=1)).to_be_visible()
    axe_check(page, "safety plan, empty")
    page.get_by_role("link", name="Start your plan").click()
    page.get_by_label("My coping strategies").fill("Hold an ice cube\nWalk to the river")
    page.get_by_label("Name 1").first.fill("Auntie Bryony")
    page.get_by_label("Phone 1").first.fill("07700 900123")
    page.get_by_label("My reasons for living").fill("<b>My cat</b>, Miso")
    for width, name in ((1280, "edit-1280"), (375, "edit-375")):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, name)
    axe_check(page, "safety plan form")
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_text("Your safety plan is saved")).to_be_visible()
    expect(page.get_by_text("Last updated")).to_be_visible()
    expect(page.get_by_text("<b>My cat</b>, Miso")).to_be_visible()
    expect(page.get_by_role("link", name="07700 900123")).to_have_attribute(
        "href", "tel:07700900123"
    )
    for width, name in ((1280, "plan-1280"), (375, "plan-375")):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, name)
    axe_check(page, "safety plan")
    page.set_viewport_size({"width": 1280, "height": 900})

    # --- print: the plan alone, large, on one page ---
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Keep on this device")).to_be_hidden()
    shot(page, "print")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    page.emulate_media(media="screen")

    # --- crisis words in a reply: the plan comes first ---
    page.goto(story.get_absolute_url())
    page.get_by_label("Your reply").fill("Honestly I just want to die. I can't do this anymore.")
    panel = page.locator("#support-panel")
    expect(panel.get_by_text("Hold an ice cube")).to_be_visible()
    expect(panel.get_by_role("link", name="07700 900123")).to_be_visible()
    expect(panel.get_by_role("heading", name="Samaritans")).to_be_visible()
    box_plan = panel.get_by_text("Hold an ice cube").bounding_box()
    box_lines = panel.get_by_role("heading", name="Samaritans").bounding_box()
    assert box_plan["y"] < box_lines["y"]
    for width, name in ((1280, "panel-1280"), (375, "panel-375")):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, name)
    axe_check(page, "reply form with the plan in the support panel")
    page.set_viewport_size({"width": 1280, "height": 900})

    # --- keep on this device, then remove, then keep again ---
    page.goto("/me/safety-plan/")
    expect(page.get_by_text("Only do this on a device that is yours alone.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove from this device")).to_be_hidden()
    page.get_by_role("button", name="Keep on this device").click()
    expect(page.get_by_text("A copy is kept on this device.")).to_be_visible()
    assert page.evaluate(CACHE_COUNT) == 1 and page.evaluate(WORKERS) == 1
    expect(page.get_by_role("button", name="Keep on this device")).to_be_hidden()
    page.get_by_role("button", name="Remove from this device").click()
    expect(page.get_by_text("There is no copy on this device.")).to_be_visible()
    assert page.evaluate(CACHE_COUNT) == 0 and page.evaluate(WORKERS) == 0
    page.get_by_role("button", name="Keep on this device").click()
    expect(page.get_by_text("A copy is kept on this device.")).to_be_visible()
    axe_check(page, "safety plan, kept on this device")

    # Changed on the server after keeping: offline, the kept copy (not the server) answers.
    safety_plan_save(owner=member, content=PlanContent(coping=["Changed on the server"]))

    # --- offline: /help/ and the plan still open ---
    context.set_offline(True)
    # Really offline: a page that was never kept does not open (in a tab of its own, so its
    # error page cannot interrupt the next navigation).
    probe = context.new_page()
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED|net::"):
        probe.goto(f"/groups/{group.slug}/")
    probe.close()
    page.goto("/help/")
    expect(page.get_by_role("heading", name="Get help now", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Open your safety plan")).to_be_visible()
    shot(page, "offline-help")
    page.goto("/me/safety-plan/")
    expect(page.get_by_text("Hold an ice cube")).to_be_visible()
    expect(page.get_by_text("Changed on the server")).to_have_count(0)
    shot(page, "offline-plan")
    context.set_offline(False)
    page.goto("/help/")
    axe_check(page, "Get help now with the plan's link")
    for width, name in ((1280, "help-1280"), (375, "help-375")):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, name)
    page.set_viewport_size({"width": 1280, "height": 900})

    # --- share with the group's facilitators, then stop ---
    page.goto("/me/safety-plan/")
    page.get_by_label("Which group's facilitators?").select_option(label=group.name)
    page.get_by_role("button", name="Share for 24 hours").click()
    expect(page.get_by_text("can read your plan for the next 24 hours")).to_be_visible()
    fac = new_context().new_page()
    fac.watch = watch(fac, live_url)
    sign_in(fac, facilitator)
    fac.goto("/moderation/")
    fac.get_by_role("link", name="Safety plans shared with you").click()
    axe_check(fac, "plans shared with a facilitator")
    shot(fac, "shared-list-1280")
    fac.get_by_role("link", name=re.compile("Quiet Fox")).click()
    expect(fac.get_by_role("heading", name="Quiet Fox's safety plan")).to_be_visible()
    expect(fac.get_by_text("Changed on the server")).to_be_visible()
    expect(fac.locator("main form")).to_have_count(0)
    axe_check(fac, "a shared safety plan, read-only")
    shot(fac, "shared-1280")
    fac.set_viewport_size({"width": 375, "height": 800})
    shot(fac, "shared-375")
    shared_url = fac.url
    page.get_by_role("button", name=f"Stop sharing with {group.name}").click()
    expect(page.get_by_text("Stopped sharing")).to_be_visible()
    assert fac.goto(shared_url).status == 404
    _no_csp_errors(fac)

    # --- signing out clears the kept copy and the worker ---
    assert page.evaluate(CACHE_COUNT) == 1
    page.locator("details.menu:visible > summary").first.click()  # the header menu holds it
    with page.expect_navigation():  # sign-out clears the copies, then the page changes
        page.get_by_role("button", name="Sign out").click()
    page.wait_for_function(f"({CACHE_COUNT})().then(n => n === 0)")
    page.wait_for_function(f"({WORKERS})().then(n => n === 0)")
    assert page.evaluate(CACHE_COUNT) == 0 and page.evaluate(WORKERS) == 0
    _no_csp_errors(page)


def test_signing_out_from_another_page_clears_the_kept_copy_without_the_script(
    new_context, live_url
):
    """Clear-Site-Data alone (JavaScript off on the sign-out page) empties the cache."""
    member = UserFactory(display_name="Still Heron")
    safety_plan_save(owner=member, content=PlanContent(coping=["Tea"]))
    context = new_context()
    page = context.new_page()
    sign_in(page, member)
    page.goto("/me/safety-plan/")
    page.get_by_role("button", name="Keep on this device").click()
    expect(page.get_by_text("A copy is kept on this device.")).to_be_visible()
    # A form that the script does not know, posting to the sign-out URL.
    page.evaluate(
        """() => {
          const f = document.querySelector("form[data-sign-out]");
          const copy = f.cloneNode(true);
          copy.removeAttribute("data-sign-out");
          document.body.append(copy);
          copy.submit();
        }"""
    )
    page.wait_for_url(re.compile(r"/$"))
    page.wait_for_function(f"({CACHE_COUNT})().then(n => n === 0)")
    page.wait_for_function(f"({WORKERS})().then(n => n === 0)")
