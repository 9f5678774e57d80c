"""A member shares a story with a warning; another opens it, reacts, replies and finds it by search."""

import re

import pytest

from groups.models import Membership
from stories.models import Reaction, Reply, Story
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_story_shared_with_warning_is_opened_reacted_to_replied_to_and_found(page, new_context):
    group = GroupFactory(name="Living with anxiety", slug="living-with-anxiety")
    author = MembershipFactory(
        group=group, user=UserFactory(display_name="Calm Otter", email="otter@example.org")
    ).user
    MembershipFactory(
        group=group, user=UserFactory(display_name="Kind Heron", email="heron@example.org")
    )
    MembershipFactory(
        group=group,
        user=UserFactory(display_name="Facilitator Fen", email="fen@example.org"),
        role=Membership.Role.FACILITATOR,
    )

    # The author shares a story with a content warning, by keyboard.
    sign_in(page, author.email)
    page.goto(f"/groups/{group.slug}/stories/")
    axe_check(page, "story list (empty)")
    page.get_by_role("link", name="Share a story").first.click()
    axe_check(page, "story form")
    page.get_by_label("Title").fill("The lighthouse walk")
    page.get_by_label("Your story").fill(
        "I walked to the lighthouse and my chest finally **loosened**."
    )
    page.get_by_label("Grief").check()
    page.get_by_label("I'd welcome replies").check()
    screenshot(page, "stories-form")
    page.get_by_role("button", name="Share story").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/stories/\d+/$"))
    assert page.get_by_role("heading", level=1, name="The lighthouse walk").is_visible()
    axe_check(page, "story page (author)")
    story = Story.objects.get()
    assert story.warnings == "grief"

    # Another member opens it: the body is collapsed behind the warning until they choose.
    other = new_context(viewport={"width": 360, "height": 800})
    reader = other.new_page()
    sign_in(reader, "heron@example.org")
    reader.goto(f"/groups/{group.slug}/stories/")
    axe_check(reader, "story list (reader)")
    screenshot(reader, "stories-list-narrow")
    reader.get_by_role("link", name="The lighthouse walk").click()
    reader.wait_for_url(re.compile(r"/stories/\d+/$"))
    body = reader.get_by_text("my chest finally")
    assert not body.is_visible()
    summary = reader.locator("#story summary").first  # the warning, not the header's menu
    summary.focus()
    reader.keyboard.press("Enter")
    assert body.is_visible()
    axe_check(reader, "story page (reader)")

    # Reacts with htmx: one "React" control opens the four choices; the form swaps in place.
    reader.locator(f"#reactions-story-{story.pk} .reaction-toggle").click()
    hear = reader.locator(f"#reactions-story-{story.pk}").get_by_role("button", name="I hear you")
    hear.click()
    reader.wait_for_selector(f'#reactions-story-{story.pk} button[aria-pressed="true"]')
    assert Reaction.objects.filter(story=story, kind="hear").count() == 1

    # Replies.
    reader.get_by_label("Your reply").fill("Thank you for sharing. The sea helps me too.")
    reader.get_by_label("Reply as “Anonymous member”").check()
    reader.get_by_role("button", name="Post reply").click()
    reader.wait_for_url(re.compile(r"#reply-\d+$"))
    assert reader.get_by_text("The sea helps me too.").is_visible()
    assert Reply.objects.filter(story=story).count() == 1
    axe_check(reader, "story page after reply")
    screenshot(reader, "stories-detail-narrow")

    # Finds it by search across their groups.
    reader.goto("/search/")
    axe_check(reader, "search (empty)")
    reader.get_by_label("Search for").fill("lighthouse")
    reader.get_by_label("Search for").press("Enter")
    reader.wait_for_url(re.compile(r"q=lighthouse"))
    assert reader.get_by_role("link", name="The lighthouse walk").is_visible()
    axe_check(reader, "search results")
    screenshot(reader, "stories-search-narrow")

    # Chooses to always show grief stories; the story opens without the extra step.
    reader.goto("/stories/preferences/")
    axe_check(reader, "warning preferences")
    reader.get_by_role("group", name="Grief").get_by_label("Always show").check()
    reader.get_by_role("button", name="Save my choices").click()
    reader.goto(f"/groups/{group.slug}/stories/{story.pk}/")
    assert reader.get_by_text("my chest finally").is_visible()
    reader.goto(f"/groups/{group.slug}/stories/waiting/")
    axe_check(reader, "waiting for a reply")
    screenshot(reader, "stories-waiting-narrow")

    # The author sees the reply and reaction count on the list.
    page.goto(f"/groups/{group.slug}/stories/")
    assert page.get_by_text("1 reply").is_visible()
    screenshot(page, "stories-list-member")

    # A facilitator sees who wrote the anonymous reply, marked as such, and pins the story.
    fac = new_context().new_page()
    sign_in(fac, "fen@example.org")
    fac.goto(f"/groups/{group.slug}/stories/{story.pk}/")
    assert fac.get_by_text("posted by Kind Heron, shown to facilitators only").is_visible()
    axe_check(fac, "story page (facilitator)")
    fac.get_by_role("button", name="Pin to the top").click()
    fac.wait_for_url(re.compile(r"/stories/\d+/$"))
    assert Story.objects.get(pk=story.pk).is_pinned
    screenshot(fac, "stories-detail-facilitator")
