"""A member's header count rises live when something arrives; the centre and settings pages."""

import re
import threading

import pytest
from django.db import connection, transaction
from playwright.sync_api import expect

from peersupport.notifications import services
from peersupport.notifications.models import Kind
from tests.factories import UserFactory
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def _notify_from_another_thread(user, text: str) -> None:
    # The Playwright thread has an event loop running; notify's after-commit push uses
    # async_to_sync, so the service is called where a real web request would: another thread.
    def run() -> None:
        try:
            with transaction.atomic():
                services.notify(
                    recipient=user, kind=Kind.REPLY_TO_MY_STORY, url="/notifications/", text=text
                )
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=10)


def test_header_count_rises_live_and_centre_marks_read(page):
    member = UserFactory(display_name="Calm Heron")
    sign_in(page, member)
    badge = page.locator("[data-unread-badge]")
    expect(badge).to_be_hidden()
    # Wait for the socket's first message so the push is not missed.
    expect(badge).to_have_attribute("aria-label", "0 unread")

    _notify_from_another_thread(member, "Someone replied to your story")
    expect(badge).to_have_text("1")
    expect(badge).to_be_visible()
    expect(badge).to_have_attribute("aria-label", "1 unread")
    expect(page.locator("[data-unread-live]")).to_have_text("1 unread")
    screenshot(page, "notifications-header-live")

    page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    axe_check(page, "notification centre")
    screenshot(page, "notifications-centre")
    page.get_by_role("button", name=re.compile(r"^Mark as read")).click()
    expect(page.locator("[data-unread-badge]")).to_have_text("0")
    expect(page.get_by_role("button", name=re.compile(r"^Mark as read"))).to_have_count(0)

    page.get_by_role("link", name="Choose what reaches you, and how").click()
    page.wait_for_url(re.compile(r"/notifications/preferences/$"))
    axe_check(page, "notification preferences")
    page.get_by_label("A reply to my story").select_option("digest")
    page.get_by_label("Quiet hours start").select_option("22")
    page.get_by_label("Quiet hours end").select_option("7")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    screenshot(page, "notifications-preferences")


def test_preferences_show_field_errors_and_centre_works_on_a_narrow_screen(new_context):
    member = UserFactory(display_name="Narrow Newt")
    context = new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, member)
    _notify_from_another_thread(member, "A new reply is waiting for you")
    page.goto("/notifications/")
    axe_check(page, "narrow notification centre")
    screenshot(page, "notifications-centre-narrow")
    page.goto("/notifications/preferences/")
    page.get_by_label("Quiet hours start").select_option("22")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Please choose both a start and an end")).to_be_visible()
    axe_check(page, "narrow preferences with errors")
    screenshot(page, "notifications-preferences-narrow-errors")
