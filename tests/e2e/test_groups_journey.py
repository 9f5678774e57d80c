"""A member joins an open group; another asks to join a request group; a facilitator approves.

Done by keyboard (Enter and Space on focused controls), with axe on every page visited.
"""

import re

import pytest

from groups.models import Group, JoinRequest, Membership
from tests.factories import AdminFactory, GroupFactory, MembershipFactory, UserFactory
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def press(page, locator, key: str = "Enter") -> None:
    """Focus a control and press a key on it, waiting for the page it submits to."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press(key)


@pytest.fixture
def journey_world(transactional_db):
    open_group = GroupFactory(
        name="Anxiety support",
        slug="anxiety-support",
        topic="Anxiety",
        rules="1. **Be kind.**\n2. Keep what is shared here, here.",
    )
    request_group = GroupFactory(
        name="Grief and loss",
        slug="grief-and-loss",
        topic="Grief",
        description="For anyone grieving.",
        join_policy=Group.JoinPolicy.REQUEST,
    )
    facilitator = UserFactory(display_name="Juniper")
    MembershipFactory(group=request_group, user=facilitator, role=Membership.Role.FACILITATOR)
    MembershipFactory(
        group=open_group, user=UserFactory(display_name="Willow"), role=Membership.Role.FACILITATOR
    )
    return {
        "open": open_group,
        "request": request_group,
        "facilitator": facilitator,
        "ash": UserFactory(display_name="Ash"),
        "bluebell": UserFactory(display_name="Bluebell"),
    }


def test_join_request_and_approval_by_keyboard(new_context, journey_world):
    w = journey_world

    # Ash finds an open group in the directory and joins it.
    ash = new_context().new_page()
    sign_in(ash, w["ash"])
    ash.goto("/groups/")
    axe_check(ash, "directory")
    screenshot(ash, "groups-directory")
    press(ash, ash.get_by_role("link", name="Anxiety support"))
    ash.wait_for_url(re.compile(r"/groups/anxiety-support/$"))
    axe_check(ash, "open group, not yet a member")
    screenshot(ash, "groups-detail-non-member")
    ash.get_by_label(re.compile("I have read the group's rules")).focus()
    ash.keyboard.press("Space")
    assert ash.get_by_label(re.compile("I have read the group's rules")).is_checked()
    press(ash, ash.get_by_role("button", name="Join this group"))
    assert ash.get_by_text("Welcome to Anxiety support").is_visible()
    assert ash.get_by_role("heading", name="Members").is_visible()
    axe_check(ash, "group home as member")
    screenshot(ash, "groups-detail-member")
    assert Membership.objects.filter(user=w["ash"], group=w["open"], status="active").exists()

    # Bluebell asks to join a request-to-join group.
    bluebell = new_context().new_page()
    sign_in(bluebell, w["bluebell"])
    bluebell.goto("/groups/grief-and-loss/")
    axe_check(bluebell, "request group, not yet a member")
    bluebell.get_by_label(re.compile("A few words for the facilitators")).fill(
        "I lost my nan last month."
    )
    bluebell.get_by_label(re.compile("I have read the group's rules")).focus()
    bluebell.keyboard.press("Space")
    press(bluebell, bluebell.get_by_role("button", name="Ask to join"))
    assert bluebell.get_by_text("Your request is waiting").is_visible()
    axe_check(bluebell, "request waiting")
    screenshot(bluebell, "groups-request-waiting")
    assert JoinRequest.objects.filter(user=w["bluebell"], status="pending").count() == 1

    # Juniper approves it from the queue with a kind note.
    juniper = new_context().new_page()
    sign_in(juniper, w["facilitator"])
    juniper.goto("/groups/grief-and-loss/requests/")
    axe_check(juniper, "join requests queue")
    screenshot(juniper, "groups-requests-queue")
    assert juniper.get_by_text("I lost my nan last month.").is_visible()
    juniper.get_by_label("A kind note for the person (optional)").fill(
        "Welcome, Bluebell. We're glad you found us."
    )
    press(juniper, juniper.get_by_role("button", name="Approve Bluebell"))
    assert juniper.get_by_text("Bluebell is now a member.").is_visible()
    assert juniper.get_by_text("No one is waiting right now.").is_visible()
    axe_check(juniper, "queue after approval")

    juniper.goto("/groups/grief-and-loss/members/")
    axe_check(juniper, "facilitator member list")
    screenshot(juniper, "groups-facilitator-members")
    juniper.goto("/groups/grief-and-loss/invitations/")
    axe_check(juniper, "facilitator invitations")
    press(juniper, juniper.get_by_role("button", name="Create link"))
    assert juniper.get_by_text("A new invitation link is ready to share.").is_visible()
    axe_check(juniper, "facilitator invitations with a link")
    screenshot(juniper, "groups-facilitator-invitations")

    # Bluebell sees the decision and note on My groups, and is now in the group.
    bluebell.goto("/groups/mine/")
    axe_check(bluebell, "my groups")
    screenshot(bluebell, "groups-mine")
    assert bluebell.get_by_text("Welcome, Bluebell. We're glad you found us.").is_visible()
    bluebell.get_by_role("link", name="Grief and loss").first.focus()
    bluebell.keyboard.press("Enter")
    bluebell.wait_for_url(re.compile(r"/groups/grief-and-loss/$"))
    assert bluebell.get_by_role("heading", name="Members").is_visible()
    axe_check(bluebell, "group home after approval")


def test_staff_pages_and_narrow_screen(new_context, journey_world):
    admin = AdminFactory(display_name="Robin")
    page = new_context().new_page()
    sign_in(page, admin)
    press(page, page.get_by_role("link", name="Staff"))
    page.wait_for_url(re.compile(r"/groups/manage/$"))
    axe_check(page, "staff groups list")
    screenshot(page, "groups-staff-list")
    page.goto("/groups/manage/new/")
    axe_check(page, "staff new group")
    page.goto("/groups/manage/grief-and-loss/facilitators/")
    axe_check(page, "staff facilitators")
    screenshot(page, "groups-staff-facilitators")
    # Stopping someone facilitating asks first, and says they will be told.
    page.get_by_role("link", name=re.compile(r"^Stop .* facilitating")).first.click()
    page.wait_for_url(re.compile(r"/facilitators/\d+/remove/$"))
    assert page.get_by_text("in the app and by e-mail").is_visible()
    axe_check(page, "staff facilitator removal confirmation")
    page.get_by_role("link", name="Back to the facilitators").click()

    narrow = new_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(narrow, journey_world["facilitator"])
    for path in [
        "/groups/",
        "/groups/grief-and-loss/",
        "/groups/grief-and-loss/members/",
        "/groups/grief-and-loss/invitations/",
        "/groups/mine/",
        "/groups/anxiety-support/",
    ]:
        narrow.goto(path)
        axe_check(narrow, f"narrow {path}")
        width = narrow.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways ({width}px)"
    screenshot(narrow, "groups-narrow-group-page")
