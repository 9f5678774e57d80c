"""Expanding a session's start into its occurrences, in the host's local time (pure functions)."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

from .models import MAX_OCCURRENCES, GroupSession

STEP_DAYS = {GroupSession.Recurrence.WEEKLY: 7, GroupSession.Recurrence.FORTNIGHTLY: 14}


def zone(name: str) -> zoneinfo.ZoneInfo | None:
    """The named IANA zone, or None for a name that is not one."""
    if not name or name not in zoneinfo.available_timezones():
        return None
    return zoneinfo.ZoneInfo(name)


def local_to_utc(local: datetime, tz_name: str) -> datetime:
    """A wall-clock time in the host's zone (naive) as an aware UTC instant."""
    return local.replace(tzinfo=zoneinfo.ZoneInfo(tz_name)).astimezone(UTC)


def expand(
    *, start: datetime, tz_name: str, recurrence: str, repeat_until: date | None
) -> list[datetime]:
    """Every start of a series (aware UTC), from `start` up to and including `repeat_until`.

    Weekly and fortnightly steps are taken on the host's wall clock, not in UTC: a session at
    19:00 in London stays at 19:00 there when the clocks change (its UTC instant moves).
    """
    if recurrence not in STEP_DAYS or repeat_until is None:
        return [start.astimezone(UTC)]
    tz = zoneinfo.ZoneInfo(tz_name)
    first_local = start.astimezone(tz).replace(tzinfo=None)
    starts = []
    for i in range(MAX_OCCURRENCES):
        local = first_local + timedelta(days=STEP_DAYS[recurrence] * i)
        if local.date() > repeat_until:
            break
        starts.append(local.replace(tzinfo=tz).astimezone(UTC))
    return starts
