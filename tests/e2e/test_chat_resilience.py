"""Chat in a real browser when things go wrong: refused messages stay on the page, and with no
live updates (Redis down) the page says so and its form still posts (issue 14, items 1 and 2)."""

import re
import socket

import pytest
from channels.layers import channel_layers

from groups.chat.models import ChatMessage
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_refused_messages_stay_listed_with_their_text_and_can_be_tried_again(new_context, settings):
    settings.CHAT_FLOOD_MESSAGES = 1
    settings.CHAT_FLOOD_SECONDS = 3
    group = GroupFactory(name="Morning circle", slug="morning-circle")
    ash = MembershipFactory(group=group, user=UserFactory(display_name="Ash")).user
    page = new_context().new_page()
    sign_in(page, ash.email)
    page.goto("/groups/morning-circle/chat/")
    page.locator("#chat-connection", has_text=re.compile(r"^Connected")).wait_for()

    composer = page.get_by_label("Your message")
    for text in ("First thought", "Second thought", "Third thought"):
        composer.fill(text)
        composer.press("Enter")
    page.locator("#chat-log li[data-id='1']").wait_for()
    failed = page.locator("#chat-log li.is-failed")
    failed.nth(1).wait_for()
    assert failed.count() == 2
    assert failed.locator(".chat-body").all_inner_texts() == ["Second thought", "Third thought"]
    assert failed.first.locator(".chat-state").inner_text().startswith("Not sent — try again")
    axe_check(page, "chat room with a message not sent")
    screenshot(page, "chat-not-sent")

    page.wait_for_timeout(3200)  # the flood window passes
    failed.first.get_by_role("button", name="Try again").click()
    page.locator("#chat-log li[data-id='2']").get_by_text("Second thought").wait_for()
    assert page.locator("#chat-log li.is-failed").count() == 1
    assert list(ChatMessage.objects.order_by("seq").values_list("body", flat=True)) == [
        "First thought",
        "Second thought",
    ]


def test_without_live_updates_the_page_says_so_and_the_form_still_posts(new_context, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    # A channel layer on a Redis that is not there, as when Redis is down.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{closed_port}/0"]},
        }
    }
    channel_layers.backends.clear()
    try:
        group = GroupFactory(name="Night circle", slug="night-circle")
        river = MembershipFactory(group=group, user=UserFactory(display_name="River")).user
        page = new_context().new_page()
        sign_in(page, river.email)
        page.goto("/groups/night-circle/chat/")
        page.locator(
            "#chat-connection", has_text="Live updates are paused — your messages still send."
        ).wait_for()
        axe_check(page, "chat room, live updates paused")
        composer = page.get_by_label("Your message")
        composer.fill("Is the form still working?")
        composer.press("Enter")
        page.locator("#chat-log li[data-id='1']").get_by_text(
            "Is the form still working?"
        ).wait_for()
        assert ChatMessage.objects.get().body == "Is the form still working?"
    finally:
        channel_layers.backends.clear()
