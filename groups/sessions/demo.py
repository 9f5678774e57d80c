"""Demo sessions for `manage.py seed_demo`: a weekly evening check-in and a one-off morning
coffee, with Ash going to the next check-in. Idempotent: a session already planned is kept."""

import zoneinfo
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from groups.models import Group
from peersupport.accounts.models import User

from .models import GroupSession, Rsvp, SessionOccurrence
from .services import SessionInput, rsvp_set, session_schedule

HOST_ZONE = "Europe/London"

DEMO_SESSIONS = [
    dict(
        slug="anxiety-support",
        host="willow",
        title="Tuesday evening check-in",
        description=(
            "An hour to check in with each other after the day. Come as you are: you can "
            "listen, or talk when you're ready. Cameras and voices aren't needed; it's the "
            "group chat."
        ),
        weekday=1,  # Tuesday
        hour=19,
        minutes=60,
        capacity=12,
        weeks=8,
        going=["ash", "river"],
    ),
    dict(
        slug="living-with-depression",
        host="willow",
        title="Sunday morning coffee",
        description="A slow start to Sunday. Bring a drink and say hello.",
        weekday=6,  # Sunday
        hour=10,
        minutes=45,
        capacity=None,
        weeks=0,
        going=[],
    ),
]


def _next_local(weekday: int, hour: int) -> datetime:
    """The next such weekday and hour in the host's zone, at least a day ahead (naive)."""
    now = timezone.now().astimezone(zoneinfo.ZoneInfo(HOST_ZONE)).replace(tzinfo=None)
    day = now.replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


@transaction.atomic
def seed(*, users: dict[str, User], log: Callable[[str], None]) -> None:
    made = 0
    for spec in DEMO_SESSIONS:
        group = Group.objects.filter(slug=spec["slug"]).first()
        host = users.get(spec["host"])
        if group is None or host is None:
            continue
        planned = SessionOccurrence.objects.filter(
            group=group,
            session__title=spec["title"],
            session__cancelled_at__isnull=True,
            start__gt=timezone.now(),
        ).exists()
        if planned:
            continue
        start = _next_local(spec["weekday"], spec["hour"])
        series = spec["weeks"] > 0
        session = session_schedule(
            group=group,
            host=host,
            data=SessionInput(
                title=spec["title"],
                description=spec["description"],
                start=start,
                host_timezone=HOST_ZONE,
                duration_minutes=spec["minutes"],
                capacity=spec["capacity"],
                recurrence=GroupSession.Recurrence.WEEKLY if series else "none",
                repeat_until=(start + timedelta(weeks=spec["weeks"] - 1)).date()
                if series
                else None,
            ),
        )
        first = session.occurrences.order_by("start").first()
        for key in spec["going"]:
            if key in users and not Rsvp.objects.filter(occurrence=first, user=users[key]).exists():
                rsvp_set(occurrence=first, user=users[key], going=True)
        made += 1
    log(f"Demo sessions scheduled: {made}.")
