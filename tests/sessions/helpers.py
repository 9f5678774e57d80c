"""Making sessions for tests: straight rows (any time, past or future) or through the service."""

from datetime import datetime, timedelta

from django.utils import timezone

from groups.sessions.models import GroupSession, Rsvp, SessionOccurrence


def make_occurrence(
    group,
    host,
    *,
    start: datetime | None = None,
    minutes: int = 60,
    capacity: int | None = None,
    title: str = "Evening check-in",
    recurrence: str = GroupSession.Recurrence.NONE,
) -> SessionOccurrence:
    start = start or timezone.now() + timedelta(days=2)
    session = GroupSession.objects.create(
        group=group,
        title=title,
        description="A calm hour together.",
        description_html="<p>A calm hour together.</p>",
        start=start,
        host_timezone="Europe/London",
        duration_minutes=minutes,
        capacity=capacity,
        recurrence=recurrence,
        repeat_until=(start + timedelta(days=30)).date()
        if recurrence != GroupSession.Recurrence.NONE
        else None,
        host=host,
    )
    return SessionOccurrence.objects.create(
        session=session, group=group, start=start, duration_minutes=minutes
    )


def going(occurrence: SessionOccurrence, user) -> Rsvp:
    return Rsvp.objects.create(occurrence=occurrence, user=user, status=Rsvp.Status.GOING)
