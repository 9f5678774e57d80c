"""Two members chat live; one drops offline and, back online, sees every missed message once."""

import re

import pytest

from groups.models import Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def log_ids(page) -> list[int]:
    return [
        int(i)
        for i in page.locator("#chat-log li[data-id]").evaluate_all(
            "els => els.map(e => e.dataset.id)"
        )
    ]


def test_two_members_chat_and_a_dropped_connection_misses_nothing(new_context, settings):
    settings.CHAT_FLOOD_MESSAGES = 100
    group = GroupFactory(name="Evening circle", slug="evening-circle")
    ash = MembershipFactory(group=group, user=UserFactory(display_name="Ash")).user
    willow = MembershipFactory(
        group=group, user=UserFactory(display_name="Willow"), role=Membership.Role.FACILITATOR
    ).user

    ash_context, willow_context = new_context(), new_context()
    ash_page, willow_page = ash_context.new_page(), willow_context.new_page()
    sign_in(ash_page, ash.email)
    sign_in(willow_page, willow.email)
    for p in (ash_page, willow_page):
        p.goto("/groups/evening-circle/chat/")
        p.locator("#chat-connection", has_text=re.compile(r"^Connected")).wait_for()
    axe_check(ash_page, "chat room (member)")
    axe_check(willow_page, "chat room (facilitator)")

    composer = ash_page.get_by_label("Your message")
    composer.fill("Hello, is anyone around tonight?")
    composer.press("Enter")
    # Focus stays in the composer, ready for the next line.
    assert ash_page.evaluate("document.activeElement.id") == "id_body"
    willow_page.locator("#chat-log").get_by_text("Hello, is anyone around tonight?").wait_for()
    ash_page.locator("#chat-log li[data-id='1']").wait_for()
    assert ash_page.locator("#chat-log li.is-sending").count() == 0
    ash_page.get_by_text("2 people here now").wait_for()

    ash_context.set_offline(True)
    ash_page.locator("#chat-connection", has_text="Connection lost").wait_for()
    willow_composer = willow_page.get_by_label("Your message")
    for i in range(1, 21):
        willow_composer.fill(f"Message {i} of 20")
        willow_composer.press("Enter")
    willow_page.locator("#chat-log li[data-id='21']").wait_for()
    assert willow_page.locator("#chat-log li.is-sending").count() == 0

    ash_context.set_offline(False)
    ash_page.locator("#chat-log li[data-id='21']").wait_for(timeout=20_000)
    assert log_ids(ash_page) == list(range(1, 22))
    bodies = ash_page.locator("#chat-log li[data-id] .chat-body").all_inner_texts()
    assert bodies[1:] == [f"Message {i} of 20" for i in range(1, 21)]
    screenshot(ash_page, "chat-member")
    screenshot(willow_page, "chat-facilitator")

    # A facilitator removes a message; everyone sees it go, live.
    willow_page.locator("#msg-1 summary").click()
    willow_page.locator("#msg-1").get_by_role("button", name="Remove message").click()
    ash_page.locator("#msg-1").get_by_text("Removed by a facilitator.").wait_for()
    axe_check(willow_page, "chat room after removal")


def test_room_without_javascript_posts_a_form_and_reads_well_on_a_narrow_screen(new_context):
    group = GroupFactory(name="Quiet room", slug="quiet-room")
    river = MembershipFactory(group=group, user=UserFactory(display_name="River")).user
    context = new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, river.email)
    page.goto("/groups/quiet-room/chat/")
    page.get_by_label("Your message").fill("Posting without scripts works too.")
    page.get_by_role("button", name="Send").click()
    assert page.locator("#chat-log").get_by_text("Posting without scripts works too.").is_visible()
    assert page.get_by_role("link", name="Refresh messages").is_visible()
    screenshot(page, "chat-narrow-nojs")

    # axe needs scripts, so the narrow-screen check runs in a second, scripted context.
    narrow = new_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(narrow, river.email)
    narrow.goto("/groups/quiet-room/chat/")
    narrow.locator("#chat-connection", has_text=re.compile(r"^Connected")).wait_for()
    axe_check(narrow, "chat room, narrow")
    screenshot(narrow, "chat-narrow")


def test_the_script_loads_earlier_queues_offline_and_keeps_refused_text_listed(page):
    """The composer's queue, "Load earlier" and the show-name choice, in a real browser."""
    from groups.chat.models import ChatMessage, ChatRoomSettings

    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    group = GroupFactory(name="Long evening", slug="long-evening")
    oak = MembershipFactory(group=group, user=UserFactory(display_name="Oak")).user
    fern = MembershipFactory(group=group, user=UserFactory(display_name="Fern")).user
    for seq in range(1, 61):
        ChatMessage.objects.create(
            group=group, seq=seq, author=fern, client_id=f"earlier-{seq:04d}", body=f"Line {seq}"
        )
    # Slow mode lets Oak's first message through and refuses the second.
    ChatRoomSettings.objects.create(group=group, last_seq=60, slow_mode_seconds=3600)

    sign_in(page, oak.email)
    page.goto("/groups/long-evening/chat/")
    page.locator("#chat-connection", has_text=re.compile(r"^Connected")).wait_for()
    assert log_ids(page) == list(range(11, 61))
    page.get_by_role("link", name="Load earlier messages").click()
    page.locator("#chat-log li[data-id='1']").wait_for()
    assert log_ids(page) == list(range(1, 61))
    assert page.get_by_role("link", name="Load earlier messages").count() == 0

    # Typed while offline: shown as "Sending…", sent once the connection is back, saved once.
    page.context.set_offline(True)
    page.locator("#chat-connection", has_text="Connection lost").wait_for()
    composer = page.get_by_label("Your message")
    composer.fill("Typed on the train")
    composer.press("Enter")
    page.locator("#chat-log li.is-sending", has_text="Sending…").wait_for()
    page.context.set_offline(False)
    page.locator("#chat-log li[data-id='61']", has_text="Typed on the train").wait_for(
        timeout=20_000
    )
    assert page.locator("#chat-log li.is-sending").count() == 0
    assert ChatMessage.objects.filter(author=oak).count() == 1

    # Refused by the room: the line stays, with its words, marked "Not sent — try again", and
    # the reason is shown (issue 14: nothing typed disappears).
    composer.fill("A second thought")
    composer.press("Enter")
    page.locator("#chat-error", has_text="Slow mode is on").wait_for()
    failed = page.locator("#chat-log li.is-failed", has_text="A second thought")
    failed.wait_for()
    assert "Not sent — try again" in failed.inner_text()
    assert composer.input_value() == ""

    page.get_by_label("Show my name in the list of people here now").check()
    page.locator("#chat-presence", has_text="(Oak)").wait_for()
    assert errors == []
