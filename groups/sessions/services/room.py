"""The session in the room: who attended, ending it, host notes and the anonymous check-out."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import permissions
from groups.models import Group
from peersupport.accounts.models import User

from ..models import Attendance, CheckOut, SessionOccurrence
from ..selectors import occurrence_live_for_room

# The check-out stays open this long after the session.
CHECKOUT_DAYS = 7


def attendance_record(
    *, group: Group, user: User, now: datetime | None = None
) -> Attendance | None:
    """Someone opened the group's room: if a session is on, they attended it (once)."""
    if user is None or not user.is_authenticated:
        return None
    if not permissions.can_read_group(user, group):
        return None
    occurrence = occurrence_live_for_room(group.pk, now=now)
    if occurrence is None:
        return None
    try:
        with transaction.atomic():
            attendance, _created = Attendance.objects.get_or_create(
                occurrence=occurrence, user=user, defaults={"joined_at": now or timezone.now()}
            )
    except IntegrityError:
        attendance = Attendance.objects.get(occurrence=occurrence, user=user)
    return attendance


@transaction.atomic
def occurrence_end(
    *, occurrence: SessionOccurrence, actor: User, now: datetime | None = None
) -> bool:
    """A host ends the session now (the banner goes; the check-out opens)."""
    permissions.check_host_session(actor, occurrence.group, occurrence.session.host_ids())
    now = now or timezone.now()
    occurrence = SessionOccurrence.objects.select_for_update().get(pk=occurrence.pk)
    if occurrence.is_cancelled or not occurrence.start <= now < occurrence.effective_end:
        return False
    occurrence.ended_at = now
    occurrence.save(update_fields=["ended_at"])
    return True


@transaction.atomic
def occurrence_notes_update(
    *, occurrence: SessionOccurrence, actor: User, notes: str
) -> SessionOccurrence:
    """Host notes, for the group's facilitators only."""
    permissions.check_see_session_attendance(actor, occurrence.group)
    occurrence = SessionOccurrence.objects.select_for_update().get(pk=occurrence.pk)
    occurrence.host_notes = notes.strip()
    occurrence.save(update_fields=["host_notes"])
    return occurrence


def checkout_open_for(
    occurrence: SessionOccurrence, user: User, *, now: datetime | None = None
) -> bool:
    """Whether this member may answer the check-out now: they attended, it is over, they have
    not answered, and it ended within the last week."""
    now = now or timezone.now()
    if not occurrence.is_over(now) or now > occurrence.effective_end + timedelta(
        days=CHECKOUT_DAYS
    ):
        return False
    return Attendance.objects.filter(occurrence=occurrence, user=user, checked_out=False).exists()


@transaction.atomic
def checkout_submit(
    *, occurrence: SessionOccurrence, user: User, feeling: str, now: datetime | None = None
) -> bool:
    """Record one anonymous answer. The member's row only says they answered; the answer has
    no member and no time on it, so facilitators see totals and nothing else. Once only."""
    permissions.check_see_sessions(user, occurrence.group)
    if feeling not in CheckOut.Feeling.values:
        raise ValidationError({"feeling": _("Please choose one of the answers.")})
    if not checkout_open_for(occurrence, user, now=now):
        return False
    marked = Attendance.objects.filter(occurrence=occurrence, user=user, checked_out=False).update(
        checked_out=True
    )
    if not marked:
        return False  # a double tap: the first answer counts
    CheckOut.objects.create(occurrence=occurrence, feeling=feeling)
    return True
