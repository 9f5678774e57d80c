"""Helpers the session services share: telling people, and times in their own zone."""

import zoneinfo
from collections.abc import Iterable
from datetime import datetime

from django.utils import dateformat

from peersupport.accounts.models import User
from peersupport.notifications.models import Kind
from peersupport.notifications.services import notify

from ..models import Rsvp, SessionOccurrence


def when_for(user: User, moment: datetime) -> str:
    """A time as the member reads it: in their own time zone, e.g. "Tue 3 Dec, 19:00"."""
    try:
        tz = zoneinfo.ZoneInfo(user.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return dateformat.format(moment.astimezone(tz), "D j M, H:i")


def people_going(occurrence: SessionOccurrence, *, waitlisted: bool = False) -> list[User]:
    statuses = [Rsvp.Status.GOING] + ([Rsvp.Status.WAITLISTED] if waitlisted else [])
    return [
        r.user
        for r in occurrence.rsvps.filter(status__in=statuses).select_related("user")
        if r.user.is_active
    ]


def tell(
    occurrence: SessionOccurrence,
    people: Iterable[User],
    text_for,
    *,
    kind: str = Kind.SESSION_UPDATE,
) -> int:
    """Notify each person (in-app, and by e-mail as they prefer) about one occurrence."""
    url = occurrence.get_absolute_url()
    told = 0
    for user in people:
        if notify(
            recipient=user,
            kind=kind,
            url=url,
            text=text_for(user),
            target=occurrence,
            group=occurrence.group,
        ):
            told += 1
    return told
