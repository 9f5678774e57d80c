"""Scheduling: time zones and daylight saving, bad input refused with nothing saved, edits and
cancellations (those going are told)."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.models import Membership
from groups.sessions import services
from groups.sessions.models import GroupSession, SessionOccurrence
from groups.sessions.recurrence import expand
from peersupport.notifications.models import Kind, Notification
from tests.factories import MembershipFactory
from tests.sessions.helpers import going, make_occurrence

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def data(**overrides) -> services.SessionInput:
    values = dict(
        title="Evening check-in",
        start=(timezone.now() + timedelta(days=3)).replace(tzinfo=None, second=0, microsecond=0),
        host_timezone="UTC",
        duration_minutes=60,
    )
    values.update(overrides)
    return services.SessionInput(**values)


# --- time zones and daylight saving ----------------------------------------------------------
def test_weekly_series_keeps_its_london_wall_clock_time_across_the_clocks_going_forward(
    group, facilitator
):
    now = datetime(2027, 3, 1, 12, tzinfo=UTC)
    session = services.session_schedule(
        group=group,
        host=facilitator,
        data=data(
            start=datetime(2027, 3, 18, 19, 0),
            host_timezone="Europe/London",
            recurrence=GroupSession.Recurrence.WEEKLY,
            repeat_until=date(2027, 4, 8),
        ),
        now=now,
    )
    starts = list(session.occurrences.values_list("start", flat=True))
    assert [s.astimezone(LONDON).strftime("%d %H:%M") for s in starts] == [
        "18 19:00",
        "25 19:00",
        "01 19:00",
        "08 19:00",
    ]
    # GMT before 28 March, BST after: the UTC instant moves an hour earlier.
    assert [s.astimezone(UTC).hour for s in starts] == [19, 19, 18, 18]


def test_fortnightly_series_keeps_new_york_time_when_the_clocks_go_back():
    starts = expand(
        start=datetime(2027, 10, 27, 22, 30, tzinfo=UTC),  # 18:30 EDT
        tz_name="America/New_York",
        recurrence=GroupSession.Recurrence.FORTNIGHTLY,
        repeat_until=date(2027, 11, 30),
    )
    assert [s.astimezone(NEW_YORK).strftime("%m-%d %H:%M") for s in starts] == [
        "10-27 18:30",
        "11-10 18:30",
        "11-24 18:30",
    ]
    assert [s.hour for s in starts] == [22, 23, 23]


def test_the_start_is_read_in_the_hosts_time_zone(group, facilitator):
    start = (timezone.now() + timedelta(days=10)).astimezone(NEW_YORK)
    local = start.replace(tzinfo=None, second=0, microsecond=0)
    session = services.session_schedule(
        group=group,
        host=facilitator,
        data=data(start=local, host_timezone="America/New_York"),
    )
    assert session.start == local.replace(tzinfo=NEW_YORK).astimezone(UTC)
    assert session.host_timezone == "America/New_York"


# --- bad input: field errors, nothing saved --------------------------------------------------
@pytest.mark.parametrize(
    "field, overrides",
    [
        ("start", {"start": datetime(2020, 1, 1, 19, 0)}),
        ("duration_minutes", {"duration_minutes": 14}),
        ("duration_minutes", {"duration_minutes": 181}),
        ("capacity", {"capacity": 0}),
        ("host_timezone", {"host_timezone": "Mars/Olympus_Mons"}),
        ("repeat_until", {"recurrence": "weekly", "repeat_until": None}),
        ("repeat_until", {"recurrence": "weekly", "repeat_until": date(2020, 1, 1)}),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_saved(group, facilitator, field, overrides):
    with pytest.raises(ValidationError) as refused:
        services.session_schedule(group=group, host=facilitator, data=data(**overrides))
    assert field in refused.value.error_dict
    assert GroupSession.objects.count() == 0
    assert SessionOccurrence.objects.count() == 0


def test_a_series_ending_before_it_starts_is_refused(group, facilitator):
    start = data().start
    with pytest.raises(ValidationError) as refused:
        services.session_schedule(
            group=group,
            host=facilitator,
            data=data(recurrence="weekly", repeat_until=start.date() - timedelta(days=1)),
        )
    assert "The series has to end after it starts." in refused.value.message_dict["repeat_until"][0]
    assert GroupSession.objects.count() == 0


def test_overlapping_sessions_of_the_same_host_are_refused(group, facilitator):
    first = services.session_schedule(group=group, host=facilitator, data=data())
    with pytest.raises(ValidationError) as refused:
        services.session_schedule(
            group=group,
            host=facilitator,
            data=data(title="Another", start=data().start + timedelta(minutes=30)),
        )
    assert "overlaps" in refused.value.message_dict["start"][0]
    assert list(GroupSession.objects.all()) == [first]


def test_a_series_overlapping_a_cohosts_session_is_refused(group, facilitator):
    cohost = MembershipFactory(group=group, role=Membership.Role.FACILITATOR).user
    one_off = data(start=data().start + timedelta(days=7))
    services.session_schedule(group=group, host=cohost, data=one_off)
    with pytest.raises(ValidationError):
        services.session_schedule(
            group=group,
            host=facilitator,
            data=data(
                cohosts=[cohost],
                recurrence="weekly",
                repeat_until=(data().start + timedelta(days=21)).date(),
            ),
        )
    assert GroupSession.objects.count() == 1


def test_back_to_back_sessions_are_fine_and_other_hosts_may_overlap(group, facilitator):
    services.session_schedule(group=group, host=facilitator, data=data())
    services.session_schedule(
        group=group, host=facilitator, data=data(start=data().start + timedelta(minutes=60))
    )
    other = MembershipFactory(group=group, role=Membership.Role.FACILITATOR).user
    services.session_schedule(group=group, host=other, data=data())
    assert GroupSession.objects.count() == 3


def test_a_cohost_must_be_one_of_the_groups_facilitators(group, facilitator, member):
    with pytest.raises(ValidationError) as refused:
        services.session_schedule(group=group, host=facilitator, data=data(cohosts=[member]))
    assert "cohosts" in refused.value.error_dict


def test_the_view_shows_kind_field_errors_and_saves_nothing(client_for, group, facilitator):
    response = client_for(facilitator).post(
        f"/groups/{group.slug}/sessions/new/",
        {
            "title": "Too long",
            "start": "2020-01-01T19:00",
            "host_timezone": "Not/AZone",
            "duration_minutes": 500,
            "capacity": 0,
            "recurrence": "weekly",
            "repeat_until": "2019-01-01",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "We don&#x27;t recognise that time zone" in text
    assert "between 15 minutes and 180 minutes" in text
    assert "at least one place" in text
    assert GroupSession.objects.count() == 0


def test_the_view_schedules_and_members_see_it_in_their_own_time_zone(
    client_for, group, facilitator, member
):
    start = (timezone.now() + timedelta(days=4)).astimezone(LONDON)
    local = start.strftime("%Y-%m-%dT%H:%M")
    response = client_for(facilitator).post(
        f"/groups/{group.slug}/sessions/new/",
        {
            "title": "Weekly circle",
            "start": local,
            "host_timezone": "Europe/London",
            "duration_minutes": 60,
            "capacity": "",
            "recurrence": "none",
            "repeat_until": "",
        },
    )
    assert response.status_code == 302
    occurrence = SessionOccurrence.objects.get()
    member.timezone = "Asia/Tokyo"
    member.save()
    page = client_for(member).get(occurrence.get_absolute_url()).content.decode()
    tokyo = occurrence.start.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert tokyo.strftime("%H:%M") in page
    assert "Asia/Tokyo" in page


# --- edits and cancellations -----------------------------------------------------------------
def test_cancelling_one_occurrence_tells_those_going_and_leaves_the_series(
    group, facilitator, member
):
    session = services.session_schedule(
        group=group,
        host=facilitator,
        data=data(recurrence="weekly", repeat_until=(data().start + timedelta(days=14)).date()),
    )
    first, second, third = session.occurrences.all()
    going(second, member)
    assert services.occurrence_cancel(occurrence=second, actor=facilitator)
    second.refresh_from_db()
    assert second.is_cancelled
    assert not SessionOccurrence.objects.filter(pk__in=[first.pk, third.pk]).exclude(
        cancelled_at=None
    )
    told = Notification.objects.get(recipient=member)
    assert told.kind == Kind.SESSION_UPDATE and "cancelled" in told.text


def test_cancelling_a_series_cancels_what_is_to_come_and_tells_everyone_going(
    group, facilitator, member
):
    session = services.session_schedule(
        group=group,
        host=facilitator,
        data=data(recurrence="weekly", repeat_until=(data().start + timedelta(days=14)).date()),
    )
    for o in session.occurrences.all():
        going(o, member)
    assert services.session_cancel(session=session, actor=facilitator) == 3
    assert not session.occurrences.filter(cancelled_at=None).exists()
    assert Notification.objects.filter(recipient=member, kind=Kind.SESSION_UPDATE).count() == 3


def test_moving_one_date_detaches_it_and_a_later_series_edit_leaves_it(group, facilitator, member):
    start = data().start
    session = services.session_schedule(
        group=group,
        host=facilitator,
        data=data(recurrence="weekly", repeat_until=(start + timedelta(days=14)).date()),
    )
    first, second, third = session.occurrences.all()
    going(second, member)
    moved_to = start + timedelta(days=8)
    services.occurrence_update(
        occurrence=second, actor=facilitator, start_local=moved_to, duration_minutes=90
    )
    second.refresh_from_db()
    assert second.is_detached and second.duration_minutes == 90
    assert second.start == moved_to.replace(tzinfo=UTC)
    assert "moved" in Notification.objects.get(recipient=member).text

    later = start + timedelta(hours=2)
    services.session_update(
        session=session,
        actor=facilitator,
        data=data(
            title="Renamed circle",
            start=later,
            recurrence="weekly",
            repeat_until=(start + timedelta(days=14)).date(),
        ),
    )
    second.refresh_from_db()
    assert second.start == moved_to.replace(tzinfo=UTC)  # kept its own time
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.start == later.replace(tzinfo=UTC)
    assert third.start == (later + timedelta(days=14)).replace(tzinfo=UTC)
    session.refresh_from_db()
    assert session.title == "Renamed circle"


def test_shortening_a_series_cancels_the_dates_that_fall_away(group, facilitator, member):
    start = data().start
    session = services.session_schedule(
        group=group,
        host=facilitator,
        data=data(recurrence="weekly", repeat_until=(start + timedelta(days=21)).date()),
    )
    last = session.occurrences.last()
    going(last, member)
    services.session_update(
        session=session,
        actor=facilitator,
        data=data(
            start=start, recurrence="weekly", repeat_until=(start + timedelta(days=7)).date()
        ),
    )
    assert session.occurrences.filter(cancelled_at=None).count() == 2
    last.refresh_from_db()
    assert last.is_cancelled
    assert Notification.objects.filter(recipient=member, kind=Kind.SESSION_UPDATE).exists()


def test_a_member_cannot_schedule(group, member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.session_schedule(group=group, host=member, data=data())
    assert GroupSession.objects.count() == 0


def test_only_hosts_and_administrators_may_end_a_session(group, facilitator, admin):
    from django.core.exceptions import PermissionDenied

    other = MembershipFactory(group=group, role=Membership.Role.FACILITATOR).user
    occurrence = make_occurrence(group, facilitator, start=timezone.now() - timedelta(minutes=5))
    with pytest.raises(PermissionDenied):
        services.occurrence_end(occurrence=occurrence, actor=other)
    assert services.occurrence_end(occurrence=occurrence, actor=admin)
    occurrence.refresh_from_db()
    assert occurrence.ended_at is not None and not occurrence.is_live()
