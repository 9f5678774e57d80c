"""When an account is purged: the member's RSVPs, attendance, reminders and calendar feed go,
silently; sessions they hosted stay for the group without a host name; places they held in
sessions still to come pass to the waiting list. Connected in SessionsConfig.ready()."""

from django.db import transaction
from django.utils import timezone

from peersupport.accounts.signals import account_purging

from .models import Attendance, CalendarFeed, GroupSession, Rsvp, SessionOccurrence, SessionReminder
from .services.rsvp import waitlist_promote


def purge_member_sessions(sender: object, *, user_id: int, **kwargs) -> None:
    with transaction.atomic():
        freed = list(
            Rsvp.objects.filter(
                user_id=user_id, status=Rsvp.Status.GOING, occurrence__start__gt=timezone.now()
            ).values_list("occurrence_id", flat=True)
        )
        Rsvp.objects.filter(user_id=user_id).delete()
        Attendance.objects.filter(user_id=user_id).delete()
        SessionReminder.objects.filter(user_id=user_id).delete()
        CalendarFeed.objects.filter(user_id=user_id).delete()
        GroupSession.objects.filter(host_id=user_id).update(host=None)
        GroupSession.cohosts.through.objects.filter(user_id=user_id).delete()
        for occurrence in SessionOccurrence.objects.select_for_update().filter(pk__in=freed):
            waitlist_promote(occurrence)


def connect() -> None:
    account_purging.connect(purge_member_sessions, dispatch_uid="sessions-account-purging")
