"""Capacity and the waiting list; reminders 24 hours and 15 minutes before, exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from groups.sessions import services
from groups.sessions.models import Rsvp, SessionReminder
from groups.sessions.tasks import session_reminders_due
from peersupport.notifications.models import EmailOutbox, Kind, Notification, NotificationSettings
from tests.factories import MembershipFactory
from tests.sessions.helpers import going, make_occurrence


def members(group, n):
    return [MembershipFactory(group=group).user for _ in range(n)]


def status(occurrence, user) -> str:
    return Rsvp.objects.get(occurrence=occurrence, user=user).status


# --- capacity and waiting list ----------------------------------------------------------------
def test_a_full_session_puts_people_on_the_waiting_list_and_promotes_them_in_order(
    group, facilitator
):
    occurrence = make_occurrence(group, facilitator, capacity=2)
    a, b, c, d = members(group, 4)
    for user in (a, b, c, d):
        services.rsvp_set(occurrence=occurrence, user=user, going=True)
    assert [status(occurrence, u) for u in (a, b, c, d)] == [
        "going",
        "going",
        "waitlisted",
        "waitlisted",
    ]
    services.rsvp_set(occurrence=occurrence, user=a, going=False)
    assert [status(occurrence, u) for u in (a, b, c, d)] == [
        "not_going",
        "going",
        "going",
        "waitlisted",
    ]
    told = Notification.objects.get(recipient=c, kind=Kind.SESSION_UPDATE)
    assert "A place opened up" in told.text
    assert not Notification.objects.filter(recipient=d).exists()
    services.rsvp_set(occurrence=occurrence, user=b, going=False)
    assert status(occurrence, d) == "going"
    # Someone coming back joins the end of the queue.
    services.rsvp_set(occurrence=occurrence, user=a, going=True)
    assert status(occurrence, a) == "waitlisted"


def test_saying_going_twice_changes_nothing(group, facilitator, member):
    occurrence = make_occurrence(group, facilitator, capacity=1)
    first = services.rsvp_set(occurrence=occurrence, user=member, going=True)
    again = services.rsvp_set(occurrence=occurrence, user=member, going=True)
    assert first.pk == again.pk and again.status == Rsvp.Status.GOING
    assert Rsvp.objects.count() == 1


def test_leaving_the_waiting_list_promotes_nobody_and_keeps_the_place_taken(group, facilitator):
    occurrence = make_occurrence(group, facilitator, capacity=1)
    a, b, c = members(group, 3)
    for user in (a, b, c):
        services.rsvp_set(occurrence=occurrence, user=user, going=True)
    services.rsvp_set(occurrence=occurrence, user=b, going=False)
    assert [status(occurrence, u) for u in (a, b, c)] == ["going", "not_going", "waitlisted"]


def test_no_rsvp_to_a_cancelled_or_finished_session(group, facilitator, member):
    cancelled = make_occurrence(group, facilitator)
    services.occurrence_cancel(occurrence=cancelled, actor=facilitator)
    with pytest.raises(ValidationError):
        services.rsvp_set(occurrence=cancelled, user=member, going=True)
    over = make_occurrence(group, facilitator, start=timezone.now() - timedelta(hours=3))
    with pytest.raises(ValidationError):
        services.rsvp_set(occurrence=over, user=member, going=True)
    assert not Rsvp.objects.exists()


def test_a_non_member_cannot_rsvp(group, facilitator, non_member):
    from django.http import Http404

    occurrence = make_occurrence(group, facilitator)
    with pytest.raises(Http404):
        services.rsvp_set(occurrence=occurrence, user=non_member, going=True)


def test_a_muted_member_may_still_come(group, facilitator, muted_member):
    occurrence = make_occurrence(group, facilitator)
    assert services.rsvp_set(occurrence=occurrence, user=muted_member, going=True).status == "going"


def test_the_rsvp_page_says_where_you_stand(client_for, group, facilitator, member):
    occurrence = make_occurrence(group, facilitator, capacity=1)
    going(occurrence, facilitator)
    response = client_for(member).post(
        f"/groups/{group.slug}/sessions/{occurrence.pk}/rsvp/", {"going": "yes"}, follow=True
    )
    assert "you&#x27;re on the waiting list" in response.content.decode()


# --- reminders ---------------------------------------------------------------------------------
@pytest.fixture
def soon(group, facilitator, member):
    occurrence = make_occurrence(
        group, facilitator, start=timezone.now() + timedelta(hours=20), title="Tuesday circle"
    )
    going(occurrence, member)
    return occurrence


def reminders_for(user):
    return list(Notification.objects.filter(recipient=user, kind=Kind.SESSION_REMINDER))


def test_the_day_before_reminder_goes_once_in_app_and_by_e_mail(
    soon, member, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_reminders_send() == 1
        assert services.session_reminders_send() == 0
    (note,) = reminders_for(member)
    assert "Tuesday circle" in note.text
    assert note.url == soon.get_absolute_url()
    assert EmailOutbox.objects.filter(recipient=member, kind=Kind.SESSION_REMINDER).count() == 1
    assert [m.subject for m in mail.outbox] == ["A session you're going to starts soon"]


def test_a_redelivered_task_sends_nothing_twice(soon, member):
    session_reminders_due.apply()
    session_reminders_due.apply()  # the broker hands the same job out again
    assert len(reminders_for(member)) == 1
    assert SessionReminder.objects.count() == 1


def test_the_fifteen_minute_reminder_comes_separately_and_once(soon, member, group):
    services.session_reminders_send()
    later = soon.start - timedelta(minutes=14)
    assert services.session_reminders_send(now=later) == 1
    assert services.session_reminders_send(now=later + timedelta(minutes=1)) == 0
    day, quarter = sorted(reminders_for(member), key=lambda n: n.pk)
    assert "starts in 14 minutes" in quarter.text
    assert EmailOutbox.objects.filter(recipient=member, kind=Kind.SESSION_REMINDER).count() == 2


def test_after_an_outage_only_the_reminder_still_useful_is_sent(soon, member):
    # The scheduler was down all day: it comes back 10 minutes before the start.
    assert services.session_reminders_send(now=soon.start - timedelta(minutes=10)) == 1
    assert list(SessionReminder.objects.values_list("which", flat=True)) == ["15m"]
    # ...and once it has started, nothing more is sent.
    assert services.session_reminders_send(now=soon.start + timedelta(minutes=1)) == 0


def test_no_reminder_for_those_not_going_a_cancelled_session_or_someone_who_left(
    soon, member, group, facilitator
):
    waiting = MembershipFactory(group=group).user
    Rsvp.objects.create(occurrence=soon, user=waiting, status=Rsvp.Status.WAITLISTED)
    left = MembershipFactory(group=group).user
    going(soon, left)
    from groups.models import Membership

    Membership.objects.filter(user=left, group=group).update(status=Membership.Status.LEFT)
    assert services.session_reminders_send() == 1
    assert not reminders_for(waiting) and not reminders_for(left)
    other = make_occurrence(group, facilitator, start=timezone.now() + timedelta(minutes=10))
    going(other, waiting)
    services.occurrence_cancel(occurrence=other, actor=facilitator)
    assert services.session_reminders_send() == 0


def test_e_mail_subjects_never_name_the_group_or_session_even_when_details_are_allowed(
    soon, member, group, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.update_or_create(user=member, defaults={"include_details": True})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_reminders_send()
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_cancel(occurrence=soon, actor=soon.session.host)
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "A session you're going to starts soon",
        "There's news about a session you're going to",
    ]
    for subject in subjects:
        assert group.name not in subject and "Tuesday circle" not in subject


def test_only_facilitators_may_end_notes_or_see_people(group, member):
    occurrence = make_occurrence(group, member, start=timezone.now() - timedelta(minutes=1))
    with pytest.raises(PermissionDenied):
        services.occurrence_notes_update(occurrence=occurrence, actor=member, notes="x")


def test_the_reminder_job_is_on_beats_schedule_and_the_in_process_scheduler_runs_it(
    soon, member, settings
):
    from peersupport.scheduler import InProcessBeat

    entry = settings.CELERY_BEAT_SCHEDULE["session-reminders-due"]
    assert entry["task"] == "groups.sessions.tasks.session_reminders_due"
    beat = InProcessBeat(beat_schedule={"session-reminders-due": entry})
    assert beat.tick() == ["session-reminders-due"]
    assert len(reminders_for(member)) == 1
    beat.last_run["session-reminders-due"] = None
    beat.tick()  # again: nothing twice
    assert len(reminders_for(member)) == 1
