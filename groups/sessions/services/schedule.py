"""Scheduling, editing and cancelling sessions and single occurrences of a series."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import permissions
from groups.models import Group
from peersupport.accounts.models import User
from peersupport.markdown import render_markdown

from ..models import (
    MAX_DURATION,
    MAX_SERIES_DAYS,
    MIN_DURATION,
    GroupSession,
    SessionOccurrence,
)
from ..recurrence import expand, local_to_utc, zone
from .common import people_going, tell, when_for
from .rsvp import waitlist_promote


@dataclass
class SessionInput:
    """What a facilitator chose: `start` is a wall-clock time in `host_timezone`."""

    title: str
    start: datetime
    host_timezone: str
    duration_minutes: int
    description: str = ""
    capacity: int | None = None
    recurrence: str = GroupSession.Recurrence.NONE
    repeat_until: date | None = None
    cohosts: list[User] = field(default_factory=list)


def _check(
    *,
    group: Group,
    host: User,
    data: SessionInput,
    replacing: list[int],
    now: datetime,
) -> list[datetime]:
    """Every domain rule of a schedule, as field errors; returns the occurrences' starts."""
    errors: dict[str, str] = {}
    if zone(data.host_timezone) is None:
        errors["host_timezone"] = _(
            "We don't recognise that time zone. Please choose one from the list."
        )
    if not MIN_DURATION <= (data.duration_minutes or 0) <= MAX_DURATION:
        errors["duration_minutes"] = _(
            "A session can last between %(min)d minutes and %(max)d minutes."
        ) % {"min": MIN_DURATION, "max": MAX_DURATION}
    if data.capacity is not None and data.capacity < 1:
        errors["capacity"] = _(
            "A session needs at least one place. Leave this empty if there's no limit."
        )
    if data.recurrence not in GroupSession.Recurrence.values:
        errors["recurrence"] = _("Please choose how often the session repeats.")
    candidates = set(permissions.session_cohost_candidates(group).values_list("pk", flat=True))
    if any(u.pk not in candidates or u.pk == host.pk for u in data.cohosts):
        errors["cohosts"] = _("Co-hosts are chosen from this group's other facilitators.")
    start = None
    if "host_timezone" not in errors:
        start = local_to_utc(data.start, data.host_timezone)
        if start <= now:
            errors["start"] = _("That time has already passed. Please choose a time in the future.")
    series = data.recurrence != GroupSession.Recurrence.NONE
    if series:
        first_day = data.start.date()
        if data.repeat_until is None:
            errors["repeat_until"] = _("Please choose the last date the series runs until.")
        elif data.repeat_until < first_day:
            errors["repeat_until"] = _("The series has to end after it starts.")
        elif data.repeat_until > first_day + timedelta(days=MAX_SERIES_DAYS):
            errors["repeat_until"] = _(
                "A series can run for up to a year. You can extend it later."
            )
    if errors:
        raise ValidationError(errors)
    starts = expand(
        start=start,
        tz_name=data.host_timezone,
        recurrence=data.recurrence,
        repeat_until=data.repeat_until if series else None,
    )
    clash = _host_clash(
        host_ids={host.pk, *(u.pk for u in data.cohosts)},
        starts=starts,
        minutes=data.duration_minutes,
        replacing=replacing,
    )
    if clash is not None:
        raise ValidationError({"start": clash})
    return starts


def _host_clash(
    *, host_ids: set[int], starts: list[datetime], minutes: int, replacing: list[int]
) -> str | None:
    """A kind sentence if any start overlaps another session one of these people hosts."""
    length = timedelta(minutes=minutes)
    existing = list(
        SessionOccurrence.objects.filter(
            Q(session__host_id__in=host_ids) | Q(session__cohosts__in=host_ids),
            cancelled_at__isnull=True,
            session__cancelled_at__isnull=True,
            start__lt=max(starts) + length,
            start__gt=min(starts) - timedelta(minutes=MAX_DURATION),
        )
        .exclude(pk__in=replacing)
        .distinct()
        .only("start", "duration_minutes", "ended_at")
    )
    for start in starts:
        for other in existing:
            if other.start < start + length and start < other.end:
                return _(
                    "This overlaps another session with the same host, starting at "
                    "%(when)s (UTC). Please choose another time."
                ) % {"when": other.start.strftime("%Y-%m-%d %H:%M")}
    return None


@transaction.atomic
def session_schedule(
    *, group: Group, host: User, data: SessionInput, now: datetime | None = None
) -> GroupSession:
    """Schedule a session (or a series) in the group; nothing is saved if any rule fails."""
    permissions.check_schedule_sessions(host, group)
    now = now or timezone.now()
    starts = _check(group=group, host=host, data=data, replacing=[], now=now)
    series = data.recurrence != GroupSession.Recurrence.NONE
    session = GroupSession.objects.create(
        group=group,
        title=data.title.strip(),
        description=data.description,
        description_html=render_markdown(data.description) if data.description else "",
        start=starts[0],
        host_timezone=data.host_timezone,
        duration_minutes=data.duration_minutes,
        capacity=data.capacity,
        recurrence=data.recurrence,
        repeat_until=data.repeat_until if series else None,
        host=host,
    )
    session.cohosts.set(data.cohosts)
    SessionOccurrence.objects.bulk_create(
        SessionOccurrence(
            session=session,
            group=group,
            start=s,
            duration_minutes=data.duration_minutes,
            series_index=i,
        )
        for i, s in enumerate(starts)
    )
    return session


def _lock_session(session: GroupSession) -> GroupSession:
    return GroupSession.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def session_update(
    *, session: GroupSession, actor: User, data: SessionInput, now: datetime | None = None
) -> GroupSession:
    """Change a session, or a series from its next date on (the form shows that date's time).

    Each later date keeps its place in the series and moves to its new time (its RSVPs with
    it); dates already over and dates moved on their own stay; dates past a shortened end are
    cancelled; new ones are added. Those going to a date that moved or went are told."""
    group = session.group
    permissions.check_schedule_sessions(actor, group)
    now = now or timezone.now()
    session = _lock_session(session)
    later = list(
        session.occurrences.select_for_update().filter(start__gt=now).order_by("series_index")
    )
    movable = [o for o in later if not o.is_detached and not o.is_cancelled]
    # The slot the form's start stands for: the next date that follows the series.
    anchor = movable[0].series_index if movable else session.occurrences.count()
    host = session.host or actor
    starts = _check(group=group, host=host, data=data, replacing=[o.pk for o in movable], now=now)
    series = data.recurrence != GroupSession.Recurrence.NONE
    session.title = data.title.strip()
    session.description = data.description
    session.description_html = render_markdown(data.description) if data.description else ""
    if not session.occurrences.filter(start__lte=now).exists():
        session.start = starts[0]
    session.host_timezone = data.host_timezone
    session.duration_minutes = data.duration_minutes
    session.capacity = data.capacity
    session.recurrence = data.recurrence
    session.repeat_until = data.repeat_until if series else None
    session.updated_at = now
    session.save()
    session.cohosts.set(data.cohosts)
    by_slot = {o.series_index: o for o in later if o.series_index >= anchor}
    last_slot = anchor + len(starts) - 1
    for slot, occurrence in by_slot.items():
        if slot > last_slot:
            if not occurrence.is_cancelled:
                _cancel_one(occurrence, now=now, title=session.title)
            continue
        if occurrence.is_detached or occurrence.is_cancelled:
            continue
        start = starts[slot - anchor]
        moved = occurrence.start != start or occurrence.duration_minutes != data.duration_minutes
        occurrence.start, occurrence.duration_minutes = start, data.duration_minutes
        occurrence.save(update_fields=["start", "duration_minutes"])
        if moved:
            tell(
                occurrence,
                people_going(occurrence, waitlisted=True),
                lambda u, o=occurrence: (
                    _("“%(title)s” has moved to %(when)s.")
                    % {"title": session.title, "when": when_for(u, o.start)}
                ),
            )
        waitlist_promote(occurrence)
    taken = set(session.occurrences.values_list("series_index", flat=True))
    SessionOccurrence.objects.bulk_create(
        SessionOccurrence(
            session=session,
            group=group,
            start=start,
            duration_minutes=data.duration_minutes,
            series_index=anchor + j,
        )
        for j, start in enumerate(starts)
        if anchor + j not in taken
    )
    return session


def _cancel_one(occurrence: SessionOccurrence, *, now: datetime, title: str) -> None:
    occurrence.cancelled_at = now
    occurrence.save(update_fields=["cancelled_at"])
    tell(
        occurrence,
        people_going(occurrence, waitlisted=True),
        lambda u: (
            _("“%(title)s” on %(when)s is cancelled. We're sorry for the change.")
            % {"title": title, "when": when_for(u, occurrence.start)}
        ),
    )


@transaction.atomic
def session_cancel(*, session: GroupSession, actor: User, now: datetime | None = None) -> int:
    """Cancel a session or a whole series (what is still to come); those going are told.
    Returns how many occurrences were cancelled."""
    permissions.check_moderate_group(actor, session.group)
    now = now or timezone.now()
    session = _lock_session(session)
    if session.cancelled_at is not None:
        return 0
    session.cancelled_at = now
    session.save(update_fields=["cancelled_at"])
    upcoming = list(
        session.occurrences.select_for_update().filter(start__gt=now, cancelled_at__isnull=True)
    )
    for occurrence in upcoming:
        _cancel_one(occurrence, now=now, title=session.title)
    return len(upcoming)


@transaction.atomic
def occurrence_update(
    *,
    occurrence: SessionOccurrence,
    actor: User,
    start_local: datetime,
    duration_minutes: int,
    now: datetime | None = None,
) -> SessionOccurrence:
    """Move or lengthen one occurrence of a series (in the host's time zone); it then keeps
    its own time when the series is edited. Those going are told."""
    session = occurrence.session
    permissions.check_schedule_sessions(actor, occurrence.group)
    now = now or timezone.now()
    occurrence = SessionOccurrence.objects.select_for_update().get(pk=occurrence.pk)
    if occurrence.is_cancelled or occurrence.start <= now:
        raise ValidationError(
            {"start": _("This session has already started or was cancelled, so it can't move.")}
        )
    data = SessionInput(
        title=session.title,
        start=start_local,
        host_timezone=session.host_timezone,
        duration_minutes=duration_minutes,
        cohosts=list(session.cohosts.all()),
    )
    (start,) = _check(
        group=occurrence.group,
        host=session.host or actor,
        data=data,
        replacing=[occurrence.pk],
        now=now,
    )
    occurrence.start, occurrence.duration_minutes = start, duration_minutes
    occurrence.is_detached = True
    occurrence.save(update_fields=["start", "duration_minutes", "is_detached"])
    tell(
        occurrence,
        people_going(occurrence, waitlisted=True),
        lambda u: (
            _("“%(title)s” has moved to %(when)s.")
            % {"title": session.title, "when": when_for(u, start)}
        ),
    )
    return occurrence


@transaction.atomic
def occurrence_cancel(
    *, occurrence: SessionOccurrence, actor: User, now: datetime | None = None
) -> bool:
    """Cancel one occurrence (the rest of a series stays); those going are told."""
    permissions.check_moderate_group(actor, occurrence.group)
    now = now or timezone.now()
    occurrence = SessionOccurrence.objects.select_for_update().get(pk=occurrence.pk)
    if occurrence.is_cancelled or occurrence.is_over(now):
        return False
    _cancel_one(occurrence, now=now, title=occurrence.session.title)
    return True
