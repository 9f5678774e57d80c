"""Reminders 24 hours and 15 minutes before a session, to those going, each exactly once.

A `SessionReminder` row, unique per (occurrence, member, which), is written in the same
transaction as the notification: a redelivered or concurrent job finds it and sends nothing.
The beat job looks at every occurrence whose reminder time has come and which has not started,
so a run after an outage sends what is still useful; the 24-hour reminder is skipped once the
15-minute one is due (two at once would only be noise).
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import permissions
from peersupport.notifications.models import Kind
from peersupport.notifications.services import notify

from ..models import Rsvp, SessionOccurrence, SessionReminder
from .common import when_for

log = logging.getLogger(__name__)

SOON = timedelta(minutes=15)
DAY_BEFORE = timedelta(hours=24)


def _due(now: datetime) -> list[tuple[SessionOccurrence, str]]:
    live = SessionOccurrence.objects.filter(
        cancelled_at__isnull=True, session__cancelled_at__isnull=True, start__gt=now
    ).select_related("session", "group")
    soon = [(o, SessionReminder.Which.SOON) for o in live.filter(start__lte=now + SOON)]
    day = [
        (o, SessionReminder.Which.DAY_BEFORE)
        for o in live.filter(start__gt=now + SOON, start__lte=now + DAY_BEFORE)
    ]
    return soon + day


def _text(user, occurrence: SessionOccurrence, which: str, now: datetime) -> str:
    title = occurrence.session.title
    if which == SessionReminder.Which.SOON:
        minutes = max(1, round((occurrence.start - now).total_seconds() / 60))
        return _("“%(title)s” starts in %(minutes)d minutes. Join from the group's chat.") % {
            "title": title,
            "minutes": minutes,
        }
    return _("Reminder: “%(title)s” is on %(when)s.") % {
        "title": title,
        "when": when_for(user, occurrence.start),
    }


def _send_one(occurrence: SessionOccurrence, rsvp: Rsvp, which: str, now: datetime) -> bool:
    try:
        with transaction.atomic():
            reminder, created = SessionReminder.objects.get_or_create(
                occurrence=occurrence, user=rsvp.user, which=which, defaults={"sent_at": now}
            )
            if not created:
                return False
            notify(
                recipient=rsvp.user,
                kind=Kind.SESSION_REMINDER,
                url=occurrence.get_absolute_url(),
                text=_text(rsvp.user, occurrence, which, now),
                # Each reminder is its own target: the 15-minute one is not folded into an
                # unread 24-hour one, and its e-mail has its own outbox row.
                target=reminder,
                group=occurrence.group,
            )
    except IntegrityError:
        # Another worker wrote the same reminder at the same moment: it is theirs to send.
        return False
    return True


def session_reminders_send(*, now: datetime | None = None) -> int:
    """Send every reminder that is due and not sent yet; returns how many went."""
    now = now or timezone.now()
    sent = 0
    for occurrence, which in _due(now):
        going = occurrence.rsvps.filter(status=Rsvp.Status.GOING, user__is_active=True)
        already = set(
            SessionReminder.objects.filter(occurrence=occurrence, which=which).values_list(
                "user_id", flat=True
            )
        )
        for rsvp in going.select_related("user"):
            if rsvp.user_id in already:
                continue
            if not permissions.can_read_group(rsvp.user, occurrence.group):
                continue  # left or was removed since saying they'd go
            if _send_one(occurrence, rsvp, which, now):
                sent += 1
    if sent:
        log.info("sent %d session reminders", sent)
    return sent
