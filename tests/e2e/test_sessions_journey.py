"""A facilitator schedules a session; a member RSVPs, sees the reminder, and joins the room at
the start; the host opens the room, ends the session, and the member checks out. Axe on every
new page, at desktop and phone widths."""

import re
import threading
import zoneinfo
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from groups.chat.models import ChatRoomSettings
from groups.models import Membership
from groups.sessions.models import GroupSession, SessionOccurrence
from groups.sessions.services import session_reminders_send
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _run_reminder_job() -> int:
    """Beat's job, run where a worker would: another thread (Playwright's thread has an event
    loop, and the notification's live push uses async_to_sync)."""
    sent: list[int] = []

    def run() -> None:
        try:
            sent.append(session_reminders_send())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=20)
    return sent[0]


def test_schedule_rsvp_reminder_and_join_the_room_at_the_start(new_context, signed_in):
    group = GroupFactory(name="Evening circle", slug="evening-circle")
    ChatRoomSettings.objects.create(group=group, facilitator_only=True)
    willow = MembershipFactory(
        group=group,
        user=UserFactory(display_name="Willow", timezone="Europe/London"),
        role=Membership.Role.FACILITATOR,
    ).user
    MembershipFactory(
        group=group, user=UserFactory(display_name="Juniper"), role=Membership.Role.FACILITATOR
    )
    ash = MembershipFactory(
        group=group, user=UserFactory(display_name="Ash", timezone="America/New_York")
    ).user

    host = signed_in(new_context(), willow)
    host.goto("/groups/evening-circle/")
    host.get_by_role("link", name="All sessions").click()
    host.get_by_role("link", name="Schedule a session").click()
    axe_check(host, "schedule a session")
    screenshot(host, "session-form")

    # A start in the past is refused kindly, and nothing is saved.
    host.get_by_label("Title").fill("Evening check-in")
    host.get_by_label("Starts").fill("2020-01-01T19:00")
    host.get_by_label("Host's time zone").select_option("Europe/London")
    host.get_by_label("Length (minutes)").fill("60")
    host.get_by_role("button", name="Schedule").click()
    host.get_by_text("That time has already passed").wait_for()
    axe_check(host, "schedule form with errors")
    assert not GroupSession.objects.exists()

    start = (timezone.now() + timedelta(minutes=20)).astimezone(LONDON)
    host.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    host.get_by_label("Description (optional)").fill("An hour together. **Come as you are.**")
    host.get_by_label("Places (optional)").fill("8")
    host.locator("#id_recurrence").select_option("weekly")
    host.get_by_label("Repeats until").fill((start + timedelta(days=21)).strftime("%Y-%m-%d"))
    host.get_by_label("Juniper").check()
    host.get_by_role("button", name="Schedule").click()
    host.get_by_text("The session is scheduled").wait_for()
    axe_check(host, "session page (facilitator)")
    occurrence = SessionOccurrence.objects.order_by("start").first()
    assert SessionOccurrence.objects.count() == 4

    host.goto(f"/groups/evening-circle/sessions/{occurrence.pk}/edit/")
    axe_check(host, "move one date")
    host.goto(f"/groups/evening-circle/sessions/series/{occurrence.session_id}/edit/")
    host.get_by_label("Title").wait_for()
    assert host.get_by_label("Title").input_value() == "Evening check-in"
    axe_check(host, "edit the series")

    # Ash, in New York, sees it in his own time and says he's going.
    member = signed_in(new_context(), ash)
    member.goto("/groups/evening-circle/")
    member.get_by_role("heading", name="Sessions").wait_for()
    axe_check(member, "group home with sessions")
    member.get_by_role("link", name="All sessions").click()
    ny = occurrence.start.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    member.get_by_text(ny.strftime("%H:%M")).first.wait_for()
    member.get_by_text("America/New_York").first.wait_for()
    assert member.get_by_text(re.compile(r"Starts in (19|20|21) minutes")).count() >= 1
    axe_check(member, "sessions list")
    screenshot(member, "sessions-list-member")
    member.get_by_role("link", name="Evening check-in").first.click()
    member.get_by_role("button", name="I'm going").click()
    member.get_by_text("You're going. We'll remind you before it starts.").wait_for()
    axe_check(member, "session page (member)")

    # Beat's reminder job runs (called directly): the reminder is in Ash's notification centre.
    SessionOccurrence.objects.filter(pk=occurrence.pk).update(
        start=timezone.now() + timedelta(minutes=12)
    )
    # Wait for the notifications socket's first message so the live push is not missed.
    expect(member.locator("[data-unread-badge]")).to_have_attribute("aria-label", "0 unread")
    assert _run_reminder_job() == 1
    member.locator("[data-unread-badge]").get_by_text("1").wait_for()  # live, no reload
    member.goto("/notifications/")
    member.get_by_role(
        "link", name=re.compile(r"“Evening check-in” starts in 1[12] minutes")
    ).wait_for()
    axe_check(member, "notification centre with the reminder")

    member.goto("/sessions/")
    member.get_by_role("button", name="Create my calendar address").click()
    member.get_by_label("Your calendar address").wait_for()
    axe_check(member, "my sessions")
    screenshot(member, "sessions-mine")

    # The start arrives: Ash opens the room; it waits for a host; Willow joins and it opens.
    SessionOccurrence.objects.filter(pk=occurrence.pk).update(
        start=timezone.now() - timedelta(seconds=30)
    )
    member.goto("/groups/evening-circle/")
    member.get_by_text("Live now").first.wait_for()
    member.get_by_role("link", name="Join the room").first.click()
    member.locator("#session-banner").get_by_text("Session on now:").wait_for()
    member.locator("#chat-room-state", has_text="It opens when a facilitator joins").wait_for()
    host.goto("/groups/evening-circle/chat/")
    host.locator("#chat-connection", has_text=re.compile(r"^Connected")).wait_for()
    member.locator("#chat-room-state", has_text="A facilitator is here").wait_for()
    axe_check(member, "chat room during a session")
    axe_check(host, "chat room during a session (host)")
    screenshot(member, "sessions-room-banner")

    # Willow ends it; Ash's answer to the check-out is anonymous; "worse" brings support.
    host.get_by_role("button", name="End the session").click()
    host.get_by_text("The session has ended").wait_for()
    member.goto(f"/groups/evening-circle/sessions/{occurrence.pk}/")
    member.get_by_role("heading", name="How are you feeling after the session?").wait_for()
    axe_check(member, "check-out")
    member.get_by_role("button", name="I feel worse").click()
    member.get_by_role("heading", name="We're sorry it left you feeling worse").wait_for()
    axe_check(member, "check-out support")
    host.goto(f"/groups/evening-circle/sessions/{occurrence.pk}/")
    screenshot(host, "session-facilitator-after")
    host.locator("#attended-list").get_by_text("Ash").wait_for()
    host.locator("#checkout-totals").get_by_text("I feel worse: 1").wait_for()
    axe_check(host, "session page after (facilitator)")

    # A phone-width look at the pages.
    phone = new_context(viewport={"width": 375, "height": 800})
    small = phone.new_page()

    sign_in(small, ash)
    for path, name in (
        ("/groups/evening-circle/sessions/", "sessions-list-375"),
        ("/sessions/", "sessions-mine-375"),
        (f"/groups/evening-circle/sessions/{occurrence.pk}/", "session-detail-375"),
    ):
        small.goto(path)
        axe_check(small, name)
        screenshot(small, name)
        assert small.evaluate("document.documentElement.scrollWidth <= 375 + 1")
    host_phone = new_context(viewport={"width": 375, "height": 800}).new_page()
    sign_in(host_phone, willow)
    for path, name in (
        ("/groups/evening-circle/sessions/new/", "session-form-375"),
        (f"/groups/evening-circle/sessions/{occurrence.pk}/", "session-facilitator-375"),
        (f"/groups/evening-circle/sessions/{occurrence.pk + 1}/", "session-next-facilitator-375"),
    ):
        host_phone.goto(path)
        axe_check(host_phone, name)
        screenshot(host_phone, name)
        assert host_phone.evaluate("document.documentElement.scrollWidth <= 375 + 1")


def test_the_profile_suggests_the_browsers_time_zone(new_context, signed_in):
    river = UserFactory(display_name="River", timezone="UTC")
    page = signed_in(new_context(timezone_id="Asia/Tokyo"), river)
    page.goto("/profile/")
    hint = page.locator("[data-tz-suggest]")
    hint.get_by_text("Asia/Tokyo").wait_for()
    axe_check(page, "profile with a time zone suggestion")
    hint.get_by_role("button", name="Use this time zone").click()
    assert page.locator("#id_timezone").input_value() == "Asia/Tokyo"
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()
    river.refresh_from_db()
    assert river.timezone == "Asia/Tokyo"
    page.goto("/sessions/")
    page.get_by_text("Times are shown in your time zone, Asia/Tokyo.").wait_for()
    assert page.locator("[data-tz-suggest]").is_hidden()
