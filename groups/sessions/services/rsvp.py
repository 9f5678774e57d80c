"""Going / not going, and the waiting list: promoted in the order people asked."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import permissions
from peersupport.accounts.models import User

from ..models import Rsvp, SessionOccurrence
from .common import tell, when_for


def _going_count(occurrence: SessionOccurrence) -> int:
    return occurrence.rsvps.filter(status=Rsvp.Status.GOING).count()


def waitlist_promote(occurrence: SessionOccurrence, *, now: datetime | None = None) -> list[Rsvp]:
    """Give free places to the waiting list, first asked first; each promoted member is told.
    The caller holds the occurrence's row lock."""
    now = now or timezone.now()
    capacity = occurrence.session.capacity
    waiting = occurrence.rsvps.filter(status=Rsvp.Status.WAITLISTED).order_by("asked_at", "pk")
    if capacity is not None:
        free = capacity - _going_count(occurrence)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_related("user"))
    for rsvp in promoted:
        rsvp.status, rsvp.updated_at = Rsvp.Status.GOING, now
        rsvp.save(update_fields=["status", "updated_at"])
    title = occurrence.session.title
    tell(
        occurrence,
        [r.user for r in promoted if r.user.is_active],
        lambda u: (
            _("A place opened up: you're now going to “%(title)s” on %(when)s.")
            % {"title": title, "when": when_for(u, occurrence.start)}
        ),
    )
    return promoted


@transaction.atomic
def rsvp_set(
    *, occurrence: SessionOccurrence, user: User, going: bool, now: datetime | None = None
) -> Rsvp:
    """Say going (a place, or the waiting list when full) or not going (the first on the
    waiting list then takes the place). Saying the same twice changes nothing."""
    permissions.check_rsvp_session(user, occurrence.group)
    now = now or timezone.now()
    # One lock per occurrence: two people taking the last place cannot both get it.
    occurrence = (
        SessionOccurrence.objects.select_for_update()
        .select_related("session", "group")
        .get(pk=occurrence.pk)
    )
    if occurrence.is_cancelled or occurrence.session.cancelled_at is not None:
        raise ValidationError(_("This session was cancelled."))
    if occurrence.is_over(now):
        raise ValidationError(_("This session is over."))
    rsvp = Rsvp.objects.filter(occurrence=occurrence, user=user).first()
    before = rsvp.status if rsvp else None
    if going:
        if before in (Rsvp.Status.GOING, Rsvp.Status.WAITLISTED):
            return rsvp
        capacity = occurrence.session.capacity
        full = capacity is not None and _going_count(occurrence) >= capacity
        status = Rsvp.Status.WAITLISTED if full else Rsvp.Status.GOING
    else:
        if before in (None, Rsvp.Status.NOT_GOING):
            if rsvp is None:
                rsvp = Rsvp.objects.create(
                    occurrence=occurrence, user=user, status=Rsvp.Status.NOT_GOING
                )
            return rsvp
        status = Rsvp.Status.NOT_GOING
    if rsvp is None:
        rsvp = Rsvp.objects.create(
            occurrence=occurrence, user=user, status=status, asked_at=now, updated_at=now
        )
    else:
        rsvp.status, rsvp.updated_at = status, now
        if going:
            rsvp.asked_at = now  # back of the queue: the order is when they last asked
        rsvp.save(update_fields=["status", "updated_at", "asked_at"])
    if before == Rsvp.Status.GOING and status == Rsvp.Status.NOT_GOING:
        waitlist_promote(occurrence, now=now)
    return rsvp
