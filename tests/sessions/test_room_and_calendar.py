"""The session in the room, afterwards (notes, anonymous check-out), calendars and pages."""

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from groups.chat.models import ChatPresence
from groups.chat.services import room_settings_for, room_state
from groups.models import Group
from groups.sessions import services
from groups.sessions.models import Attendance, CalendarFeed, CheckOut, Rsvp
from tests.factories import GroupFactory, MembershipFactory
from tests.sessions.helpers import going, make_occurrence


@pytest.fixture
def live(group, facilitator):
    return make_occurrence(
        group, facilitator, start=timezone.now() - timedelta(minutes=2), title="Open circle"
    )


# --- the room ----------------------------------------------------------------------------------
def test_the_room_shows_a_session_banner_and_counts_who_came(client_for, group, live, member):
    page = client_for(member).get(f"/groups/{group.slug}/chat/").content.decode()
    assert 'id="session-banner"' in page and "Open circle" in page
    assert "End the session" not in page  # members don't end it
    assert list(Attendance.objects.values_list("user_id", flat=True)) == [member.pk]
    client_for(member).get(f"/groups/{group.slug}/chat/")
    assert Attendance.objects.count() == 1


def test_no_banner_and_no_attendance_outside_a_session(client_for, group, facilitator, member):
    make_occurrence(group, facilitator, start=timezone.now() + timedelta(hours=3))
    page = client_for(member).get(f"/groups/{group.slug}/chat/").content.decode()
    assert 'id="session-banner"' not in page
    assert not Attendance.objects.exists()


def test_a_facilitator_only_room_opens_when_a_host_joins(group, live, facilitator, member):
    room = room_settings_for(group)
    room.facilitator_only = True
    room.save()
    ChatPresence.objects.create(group=group, user=member, channel_name="m1", is_moderator=False)
    assert room_state(group.pk)["open"] is False
    ChatPresence.objects.create(group=group, user=facilitator, channel_name="f1", is_moderator=True)
    assert room_state(group.pk)["open"] is True


def test_a_host_ends_the_session_from_the_room(client_for, group, live, facilitator):
    page = client_for(facilitator).get(f"/groups/{group.slug}/chat/").content.decode()
    assert "End the session" in page
    response = client_for(facilitator).post(f"/groups/{group.slug}/sessions/{live.pk}/end/")
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.ended_at is not None
    page = client_for(facilitator).get(f"/groups/{group.slug}/chat/").content.decode()
    assert 'id="session-banner"' not in page


# --- afterwards --------------------------------------------------------------------------------
def test_the_check_out_is_anonymous_once_only_and_shown_as_totals(
    client_for, group, live, facilitator, member
):
    other = MembershipFactory(group=group).user
    for who in (member, other):
        services.attendance_record(group=group, user=who)
    services.occurrence_end(occurrence=live, actor=facilitator)
    url = f"/groups/{group.slug}/sessions/{live.pk}/check-out/"
    client_for(member).post(url, {"feeling": "less_alone"})
    client_for(member).post(url, {"feeling": "worse"})  # a second tap counts for nothing
    client_for(other).post(url, {"feeling": "less_alone"})
    assert sorted(CheckOut.objects.values_list("feeling", flat=True)) == [
        "less_alone",
        "less_alone",
    ]
    # The answer carries no member and no time.
    assert {f.name for f in CheckOut._meta.get_fields()} == {"id", "occurrence", "feeling"}
    page = client_for(facilitator).get(live.get_absolute_url()).content.decode()
    assert "I feel less alone: 2" in page and "I feel worse: 0" in page
    member_page = client_for(member).get(live.get_absolute_url()).content.decode()
    assert "less alone: 2" not in member_page and 'id="attended-list"' not in member_page


def test_only_those_who_attended_may_check_out(client_for, group, live, facilitator, member):
    services.occurrence_end(occurrence=live, actor=facilitator)
    client_for(member).post(
        f"/groups/{group.slug}/sessions/{live.pk}/check-out/", {"feeling": "same"}
    )
    assert not CheckOut.objects.exists()


def test_feeling_worse_shows_the_support_panel(client_for, group, live, facilitator, member):
    services.attendance_record(group=group, user=member)
    services.occurrence_end(occurrence=live, actor=facilitator)
    response = client_for(member).post(
        f"/groups/{group.slug}/sessions/{live.pk}/check-out/", {"feeling": "worse"}, follow=True
    )
    page = response.content.decode()
    assert 'id="checkout-support"' in page and "Let a facilitator know" in page


def test_attendance_and_host_notes_are_for_facilitators_only(
    client_for, group, live, facilitator, member
):
    services.attendance_record(group=group, user=member)
    client_for(facilitator).post(
        f"/groups/{group.slug}/sessions/{live.pk}/notes/", {"notes": "Gentle, six came."}
    )
    page = client_for(facilitator).get(live.get_absolute_url()).content.decode()
    assert "Gentle, six came." in page and 'id="attended-list"' in page
    assert member.display_name in page
    member_page = client_for(member).get(live.get_absolute_url()).content.decode()
    assert "Gentle, six came." not in member_page and 'id="attended-list"' not in member_page


# --- calendars ---------------------------------------------------------------------------------
def test_a_sessions_ics_file_parses(client_for, group, facilitator, member):
    occurrence = make_occurrence(group, facilitator, title="Calm, together; on Sunday")
    response = client_for(member).get(f"/groups/{group.slug}/sessions/{occurrence.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Calm, together; on Sunday"
    assert event.decoded("DTSTART") == occurrence.start.replace(microsecond=0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=60)
    assert str(event["LOCATION"]) == group.name


def _feed_events(client, token):
    response = client.get(f"/sessions/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_lists_sessions_going_to_and_never_names_private_groups_unless_chosen(
    client, client_for, group, facilitator, member
):
    private = GroupFactory(name="Quiet harbour", visibility=Group.Visibility.UNLISTED)
    MembershipFactory(group=private, user=member)
    host = MembershipFactory(group=private, role="facilitator").user
    listed_one = make_occurrence(group, facilitator, title="Listed circle")
    private_one = make_occurrence(private, host, title="Harbour evening")
    not_going = make_occurrence(
        group, facilitator, title="Not for me", start=timezone.now() + timedelta(days=5)
    )
    going(listed_one, member)
    going(private_one, member)
    Rsvp.objects.create(occurrence=not_going, user=member, status=Rsvp.Status.NOT_GOING)
    client_for(member).post("/sessions/calendar/", {"action": "replace"})
    token = CalendarFeed.objects.get(user=member).token
    events = _feed_events(client, token)
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == ["Listed circle", "Peer Support session"]
    body = client.get(f"/sessions/calendar/{token}.ics").content.decode()
    assert "Quiet harbour" not in body and "Harbour evening" not in body
    assert private.slug not in body

    client_for(member).post(
        "/sessions/calendar/", {"action": "settings", "name_private_groups": "on"}
    )
    summaries = sorted(str(e["SUMMARY"]) for e in _feed_events(client, token))
    assert summaries == ["Harbour evening", "Listed circle"]


def test_replacing_the_feed_address_revokes_the_old_one(client, client_for, member):
    client_for(member).post("/sessions/calendar/", {"action": "replace"})
    old = CalendarFeed.objects.get(user=member).token
    client_for(member).post("/sessions/calendar/", {"action": "replace"})
    new = CalendarFeed.objects.get(user=member).token
    assert old != new
    assert client.get(f"/sessions/calendar/{old}.ics").status_code == 404
    assert client.get(f"/sessions/calendar/{new}.ics").status_code == 200
    client_for(member).post("/sessions/calendar/", {"action": "delete"})
    assert client.get(f"/sessions/calendar/{new}.ics").status_code == 404


def test_the_feed_drops_a_group_the_member_left(client, group, facilitator, member):
    from groups.models import Membership

    going(make_occurrence(group, facilitator), member)
    feed = CalendarFeed.objects.create(user=member)
    assert len(_feed_events(client, feed.token)) == 1
    Membership.objects.filter(user=member, group=group).update(status=Membership.Status.LEFT)
    assert _feed_events(client, feed.token) == []


# --- pages -------------------------------------------------------------------------------------
def test_the_group_home_shows_upcoming_sessions_to_members_only(
    client_for, group, facilitator, member, non_member
):
    make_occurrence(
        group, facilitator, start=timezone.now() + timedelta(minutes=9), title="Soon circle"
    )
    page = client_for(member).get(f"/groups/{group.slug}/").content.decode()
    assert "Soon circle" in page
    assert "Starts in 9 minutes" in page or "Starts in 10 minutes" in page
    outsider = client_for(non_member).get(f"/groups/{group.slug}/").content.decode()
    assert "Soon circle" not in outsider


def test_cards_say_live_now(client_for, group, live, member):
    page = client_for(member).get(f"/groups/{group.slug}/sessions/").content.decode()
    assert "Live now" in page and "Join the room" in page


def test_my_sessions_lists_what_the_member_is_going_to(client_for, group, facilitator, member):
    mine = make_occurrence(group, facilitator, title="Mine")
    make_occurrence(group, facilitator, title="Not mine", start=timezone.now() + timedelta(days=4))
    going(mine, member)
    page = client_for(member).get("/sessions/").content.decode()
    assert "Mine" in page and "Not mine" not in page


@pytest.mark.parametrize("path", ["/groups/{slug}/sessions/", "/sessions/", "/groups/{slug}/"])
def test_session_lists_take_the_same_queries_for_3_and_30_sessions(
    client_for, group, facilitator, member, path, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(member)
    url = path.format(slug=group.slug)

    def add(n, offset):
        for i in range(n):
            o = make_occurrence(
                group,
                facilitator,
                start=timezone.now() + timedelta(days=2, hours=2 * (i + offset)),
                title=f"S{i + offset}",
            )
            going(o, member)
            o.session.cohosts.add(facilitator)

    add(3, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    add(27, 3)
    with django_assert_num_queries(len(three.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_data_export_holds_the_members_sessions_but_no_check_out_answer(
    group, live, facilitator, member
):
    from groups.sessions.privacy import collect_sessions

    going(live, member)
    services.attendance_record(group=group, user=member)
    services.occurrence_end(occurrence=live, actor=facilitator)
    services.checkout_submit(occurrence=live, user=member, feeling="worse")
    rows = collect_sessions(member)
    assert sorted(r["kind"] for r in rows) == ["attended", "rsvp"]
    assert all("worse" not in str(r.values()) for r in rows)
    assert [r["kind"] for r in collect_sessions(facilitator)] == ["hosted"]


def test_a_purged_account_leaves_no_rsvp_and_its_place_goes_to_the_waiting_list(
    group, facilitator, member
):
    from peersupport.accounts.models import User
    from peersupport.accounts.signals import account_purging

    occurrence = make_occurrence(group, facilitator, capacity=1)
    waiting = MembershipFactory(group=group).user
    services.rsvp_set(occurrence=occurrence, user=member, going=True)
    services.rsvp_set(occurrence=occurrence, user=waiting, going=True)
    CalendarFeed.objects.create(user=member)
    account_purging.send(sender=User, user_id=member.pk, keep_replies=True)
    assert not Rsvp.objects.filter(user=member).exists()
    assert not CalendarFeed.objects.filter(user=member).exists()
    assert Rsvp.objects.get(user=waiting).status == "going"


def test_my_sessions_counts_everyones_places_not_just_mine(client_for, group, facilitator, member):
    occurrence = make_occurrence(group, facilitator, capacity=5, title="Counted")
    going(occurrence, member)
    for _ in range(2):
        going(occurrence, MembershipFactory(group=group).user)
    page = client_for(member).get("/sessions/").content.decode()
    assert "2 places left." in page
