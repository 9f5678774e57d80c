"""Reads for session pages, with every select_related/prefetch_related in one place."""

from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from groups import permissions
from groups.models import Group
from peersupport.accounts.models import User

from .models import Attendance, CalendarFeed, CheckOut, Rsvp, SessionOccurrence

# People often arrive a little early: the room shows the session (and counts them) from this
# long before the start.
EARLY_ARRIVAL = timedelta(minutes=10)
# Cards say "starts in N minutes" from this close.
STARTS_SOON = timedelta(minutes=60)


def _base() -> QuerySet[SessionOccurrence]:
    return (
        SessionOccurrence.objects.select_related("session", "session__host", "group")
        .prefetch_related("session__cohosts")
        .annotate(going_count=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING)))
    )


def _with_my_rsvp(qs: QuerySet[SessionOccurrence], user: User | None) -> QuerySet:
    if user is None or not user.is_authenticated:
        return qs
    return qs.prefetch_related(
        Prefetch("rsvps", queryset=Rsvp.objects.filter(user=user), to_attr="my_rsvps")
    )


def decorate(occurrences: list[SessionOccurrence], *, now: datetime | None = None) -> list:
    """Put what the cards show on each: `state` (live, soon, upcoming, over, cancelled),
    `minutes_to_start`, `my_status`."""
    now = now or timezone.now()
    for o in occurrences:
        mine = getattr(o, "my_rsvps", None)
        o.my_status = mine[0].status if mine else None
        o.minutes_to_start = max(1, int((o.start - now).total_seconds() // 60) + 1)
        if o.is_cancelled or o.session.cancelled_at is not None:
            o.state = "cancelled"
        elif o.is_live(now):
            o.state = "live"
        elif o.is_over(now):
            o.state = "over"
        elif o.start - now <= STARTS_SOON:
            o.state = "soon"
        else:
            o.state = "upcoming"
        capacity = o.session.capacity
        o.places_left = (
            None if capacity is None else max(0, capacity - getattr(o, "going_count", 0))
        )
    return occurrences


def occurrence_list_for_group(
    *, group: Group, user: User | None, limit: int | None = None, now: datetime | None = None
) -> list[SessionOccurrence]:
    """Upcoming and live occurrences of the group's sessions (cancelled ones shown as such
    for a day, so people who planned to come see why)."""
    now = now or timezone.now()
    qs = (
        _with_my_rsvp(_base(), user)
        .filter(group=group, start__gt=now - timedelta(minutes=180))
        .exclude(cancelled_at__lt=now - timedelta(days=1))
    )
    rows = [o for o in qs.order_by("start", "pk") if not o.is_over(now)]
    if limit is not None:
        rows = [o for o in rows if not o.is_cancelled][:limit]
    return decorate(rows, now=now)


def occurrence_list_for_member(
    *, user: User, now: datetime | None = None
) -> list[SessionOccurrence]:
    """ "My sessions": occurrences the member is going to or waiting for, in groups they can
    still read, from a week ago (so the check-out is at hand) onwards."""
    now = now or timezone.now()
    # A subquery, not a join on rsvps: the going count is annotated over the same relation.
    mine = Rsvp.objects.filter(
        user=user, status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED]
    ).values("occurrence_id")
    qs = _with_my_rsvp(_base(), user).filter(
        pk__in=mine,
        group__in=permissions.filter_groups_readable(Group.objects.all(), user),
        start__gt=now - timedelta(days=7),
    )
    rows = decorate(list(qs.order_by("start", "pk")), now=now)
    attended = set(
        Attendance.objects.filter(
            user=user, checked_out=False, occurrence__in=[o.pk for o in rows]
        ).values_list("occurrence_id", flat=True)
    )
    for o in rows:
        o.can_check_out = o.pk in attended and o.state == "over"
    return rows


def occurrence_get(*, group: Group, pk: int, user: User | None) -> SessionOccurrence:
    from django.shortcuts import get_object_or_404

    occurrence = get_object_or_404(_with_my_rsvp(_base(), user), group=group, pk=pk)
    decorate([occurrence])
    return occurrence


def occurrence_people(occurrence: SessionOccurrence) -> dict:
    """For facilitators: who is going, who waits (in order), who attended, check-out totals."""
    rsvps = list(
        occurrence.rsvps.exclude(status=Rsvp.Status.NOT_GOING)
        .select_related("user")
        .order_by("asked_at", "pk")
    )
    totals = dict.fromkeys(CheckOut.Feeling.values, 0)
    for row in (
        CheckOut.objects.filter(occurrence=occurrence).values("feeling").annotate(n=Count("pk"))
    ):
        totals[row["feeling"]] = row["n"]
    return {
        "going": [r.user for r in rsvps if r.status == Rsvp.Status.GOING],
        "waitlisted": [r.user for r in rsvps if r.status == Rsvp.Status.WAITLISTED],
        "attended": [a.user for a in occurrence.attendances.select_related("user")],
        "checkout_totals": [(label, totals[value]) for value, label in CheckOut.Feeling.choices],
        "checkout_count": sum(totals.values()),
    }


def feed_for_user(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def feed_occurrences(*, token: str, now: datetime | None = None) -> tuple[CalendarFeed, list]:
    """The feed's owner and the occurrences they are going to (a month back, and ahead),
    in groups they can still read. Raises CalendarFeed.DoesNotExist for an unknown token."""
    now = now or timezone.now()
    feed = CalendarFeed.objects.select_related("user").get(token=token)
    user = feed.user
    if not user.is_active:
        raise CalendarFeed.DoesNotExist
    qs = (
        SessionOccurrence.objects.select_related("session", "group")
        .filter(
            rsvps__user=user,
            rsvps__status=Rsvp.Status.GOING,
            group__in=permissions.filter_groups_readable(Group.objects.all(), user),
            start__gt=now - timedelta(days=30),
        )
        .order_by("start", "pk")
    )
    return feed, list(qs)


def occurrence_live_for_room(
    group_id: int, *, now: datetime | None = None
) -> SessionOccurrence | None:
    """The occurrence happening in the group's room now (or about to start), if any."""
    now = now or timezone.now()
    candidates = (
        SessionOccurrence.objects.filter(
            group_id=group_id,
            cancelled_at__isnull=True,
            session__cancelled_at__isnull=True,
            start__lte=now + EARLY_ARRIVAL,
            start__gt=now - timedelta(minutes=180),
        )
        .select_related("session", "session__host", "group")
        .prefetch_related("session__cohosts")
        .order_by("start")
    )
    for occurrence in candidates:
        if now < occurrence.effective_end:
            return decorate([occurrence], now=now)[0]
    return None
