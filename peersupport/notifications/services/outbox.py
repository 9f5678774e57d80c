"""E-mail delivery through the outbox: enqueue, quiet hours, build, send once, digests, sweep."""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from groups import permissions

from ..models import (
    DIGEST_KIND,
    NEVER_OFF,
    SUBJECT_NEVER_NAMES,
    EmailOutbox,
    Kind,
    Notification,
    NotificationSettings,
)
from .preferences import _user_tz, settings_for, unsubscribe_token

log = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 8
# A pending e-mail older than this was probably lost with the broker: the sweeper re-enqueues it.
SWEEP_AFTER = timedelta(minutes=5)


def enqueue_email(outbox_id: int) -> None:
    """Hand an outbox row to Celery; if the broker is down the sweeper will try again."""
    from ..tasks import notification_email_send

    EmailOutbox.objects.filter(pk=outbox_id).update(enqueued_at=timezone.now())
    try:
        notification_email_send.delay(outbox_id)
    except Exception:  # noqa: BLE001 - broker outage: the row stays pending for the sweeper
        log.warning("could not enqueue e-mail %s; the sweeper will retry", outbox_id, exc_info=True)


def enqueue_digest(user_id: int, day: str) -> None:
    from ..tasks import notification_digest_send

    try:
        notification_digest_send.delay(user_id, day)
    except Exception:  # noqa: BLE001
        log.warning("could not enqueue the digest for user %s", user_id, exc_info=True)


# --- e-mail delivery -------------------------------------------------------------------------
def quiet_until(*, user, prefs: NotificationSettings, now: datetime) -> datetime | None:
    """When quiet hours end, if `now` falls inside the member's quiet hours; else None."""
    if prefs.quiet_start is None or prefs.quiet_end is None or prefs.quiet_start == prefs.quiet_end:
        return None
    local = now.astimezone(_user_tz(user))
    start, end, hour = prefs.quiet_start, prefs.quiet_end, local.hour
    inside = start <= hour < end if start < end else (hour >= start or hour < end)
    if not inside:
        return None
    end_local = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if end_local <= local:
        end_local += timedelta(days=1)
    return end_local.astimezone(zoneinfo.ZoneInfo("UTC"))


def _absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


# Marked for translation here, translated when the e-mail is built.
SUBJECTS: dict[str, str] = {
    Kind.REPLY_TO_MY_STORY: gettext_noop("You have a new reply"),
    Kind.REPLY_IN_FOLLOWED_STORY: gettext_noop("There is a new reply in a story you follow"),
    Kind.REACTION_SUMMARY: gettext_noop("People responded to your story"),
    Kind.MENTION: gettext_noop("Someone mentioned you"),
    Kind.JOIN_REQUEST_DECIDED: gettext_noop("Your request to join a group has an answer"),
    Kind.MODERATION_OUTCOME: gettext_noop("A moderation decision about your post"),
    Kind.NEW_STORY_IN_FOLLOWED_GROUP: gettext_noop("There is a new story in a group you follow"),
    Kind.NEW_REPORT: gettext_noop("A new report is waiting for review"),
    Kind.URGENT_FLAG: gettext_noop("Urgent: someone in one of your groups may need support"),
    Kind.JOIN_REQUEST: gettext_noop("Someone has asked to join a group"),
    Kind.HELD_POST: gettext_noop("A post is waiting for review"),
    Kind.ROLE_CHANGED: gettext_noop("Your role in a group has changed"),
    Kind.CHECK_IN: gettext_noop("A facilitator would welcome a check-in"),
    Kind.DATA_EXPORT_READY: gettext_noop("Your copy of your data is ready"),
    Kind.SESSION_REMINDER: gettext_noop("A session you're going to starts soon"),
    Kind.SESSION_UPDATE: gettext_noop("There's news about a session you're going to"),
    Kind.CONTACT_MESSAGE: gettext_noop("A new message from the contact form"),
    DIGEST_KIND: gettext_noop("Your daily summary from %(site)s"),
}


def _subject(kind: str) -> str:
    from django.utils.translation import gettext

    # The site's own name (SITE_NAME), never the host name.
    return gettext(SUBJECTS.get(kind, "You have a new notification")) % {"site": settings.SITE_NAME}


def build_email(*, user, kind: str, context: dict) -> EmailMultiAlternatives:
    """An e-mail with the one-click unsubscribe headers (RFC 8058) for its kind.

    Urgent alerts (NEVER_OFF) carry none: someone may be at risk, so one stray click must not
    silence them; the e-mail says why and points to the off-duty switch instead.
    """
    headers = {"Auto-Submitted": "auto-generated"}
    unsubscribe_url = ""
    if kind not in NEVER_OFF:
        token = unsubscribe_token(user_id=user.pk, kind=kind)
        unsubscribe_url = _absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    context = {
        **context,
        "user": user,
        "unsubscribe_url": unsubscribe_url,
        "never_off": kind in NEVER_OFF,
        "preferences_url": _absolute(reverse("notifications:preferences")),
        "centre_url": _absolute(reverse("notifications:centre")),
        "SITE_NAME": settings.SITE_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = context.get("subject") or _subject(kind)
        body = render_to_string("notifications/email/message.txt", {**context, "subject": subject})
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[user.email],
        headers=headers,
    )
    return message


@dataclass
class Deferred:
    until: datetime


def outbox_deliver(*, outbox_id: int, now: datetime | None = None) -> Deferred | None:
    """Send one outbox e-mail once. Gone or already sent → no-op; quiet hours → Deferred."""
    now = now or timezone.now()
    try:
        return _outbox_deliver(outbox_id=outbox_id, now=now)
    except Exception as exc:
        # Recorded outside the rolled-back transaction, so attempts really count.
        EmailOutbox.objects.filter(pk=outbox_id, status=EmailOutbox.Status.PENDING).update(
            attempts=models.F("attempts") + 1, last_error=str(exc)[:200]
        )
        EmailOutbox.objects.filter(
            pk=outbox_id, status=EmailOutbox.Status.PENDING, attempts__gte=MAX_EMAIL_ATTEMPTS
        ).update(status=EmailOutbox.Status.FAILED)
        raise


def _outbox_deliver(*, outbox_id: int, now: datetime) -> Deferred | None:
    with transaction.atomic():
        # The row lock makes a redelivered duplicate wait, then see "sent" and stop.
        outbox = (
            EmailOutbox.objects.select_for_update(of=("self",))
            .select_related("recipient", "notification", "notification__group")
            .filter(pk=outbox_id)
            .first()
        )
        if outbox is None or outbox.status != EmailOutbox.Status.PENDING:
            return None
        user = outbox.recipient
        if not user.is_active or not user.email:
            outbox.status = EmailOutbox.Status.FAILED
            outbox.last_error = "recipient inactive or without e-mail"
            outbox.save(update_fields=["status", "last_error"])
            return None
        if not permissions.can_receive_email(user):
            # Never to an unconfirmed address (groups.permissions explains why); the
            # notification itself stays in the member's centre.
            outbox.status = EmailOutbox.Status.FAILED
            outbox.last_error = "address not confirmed"
            outbox.save(update_fields=["status", "last_error"])
            return None
        prefs = settings_for(user)
        until = quiet_until(user=user, prefs=prefs, now=now)
        if until is not None:
            outbox.not_before = until
            outbox.save(update_fields=["not_before"])
            return Deferred(until)
        digested: list[int] = []
        if outbox.kind == DIGEST_KIND:
            message, digested = _digest_message(user=user, prefs=prefs, window=outbox.window_key)
        else:
            notification = outbox.notification
            subject = _subject(outbox.kind)
            # An urgent alert never names the group or quotes anything, whatever the member
            # chose: it may be read on a lock screen, and the link says the rest.
            include_details = prefs.include_details and outbox.kind not in NEVER_OFF
            if (
                include_details
                and notification is not None
                and notification.group is not None
                and outbox.kind not in SUBJECT_NEVER_NAMES
            ):
                subject = f"{subject} ({notification.group.name})"
            message = build_email(
                user=user,
                kind=outbox.kind,
                context={
                    "subject": subject,
                    "notification": notification,
                    "include_details": include_details,
                    "link": _absolute(notification.url)
                    if notification
                    else _absolute(reverse("notifications:centre")),
                },
            )
        message.send(fail_silently=False)
        outbox.attempts += 1
        outbox.status = EmailOutbox.Status.SENT
        outbox.sent_at = now
        outbox.save(update_fields=["status", "sent_at", "attempts"])
        if digested:
            Notification.objects.filter(pk__in=digested).update(
                email_state=Notification.EmailState.DIGESTED
            )
    return None


def _digest_message(
    *, user, prefs: NotificationSettings, window: str
) -> tuple[EmailMultiAlternatives, list[int]]:
    pending = list(
        Notification.objects.filter(
            recipient=user, email_state=Notification.EmailState.DIGEST_PENDING
        )
        .select_related("group")
        .order_by("created_at")[:50]
    )
    counts: dict[str, int] = {}
    for n in pending:
        counts[n.kind] = counts.get(n.kind, 0) + 1
    labels = dict(Kind.choices)
    message = build_email(
        user=user,
        kind=DIGEST_KIND,
        context={
            "digest": True,
            "digest_lines": [(labels[k], c) for k, c in counts.items()],
            "notifications": pending,
            "include_details": prefs.include_details,
            "link": _absolute(reverse("notifications:centre")),
            "day": window,
        },
    )
    return message, [n.pk for n in pending]


@transaction.atomic
def digest_prepare(*, user_id: int, day: str) -> int | None:
    """Create the day's digest outbox row if there is anything to send; returns its id."""
    try:
        date.fromisoformat(day)
    except ValueError:
        return None
    if not Notification.objects.filter(
        recipient_id=user_id, email_state=Notification.EmailState.DIGEST_PENDING
    ).exists():
        return None
    try:
        with transaction.atomic():
            outbox, _created = EmailOutbox.objects.get_or_create(
                recipient_id=user_id, kind=DIGEST_KIND, target_key="digest", window_key=day
            )
    except IntegrityError:
        # The recipient was deleted meanwhile.
        return None
    if outbox.status != EmailOutbox.Status.PENDING:
        return None
    EmailOutbox.objects.filter(pk=outbox.pk).update(enqueued_at=timezone.now())
    return outbox.pk


def outbox_due_for_sweep(*, now: datetime | None = None) -> list[int]:
    """Ids of pending e-mails that were enqueued long ago (or never) and are not deferred."""
    now = now or timezone.now()
    stale = now - SWEEP_AFTER
    ids = list(
        EmailOutbox.objects.filter(
            status=EmailOutbox.Status.PENDING, attempts__lt=MAX_EMAIL_ATTEMPTS
        )
        .filter(models.Q(enqueued_at__isnull=True) | models.Q(enqueued_at__lt=stale))
        .filter(models.Q(not_before__isnull=True) | models.Q(not_before__lte=now))
        .filter(created_at__lt=stale)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    if ids:
        EmailOutbox.objects.filter(pk__in=ids).update(enqueued_at=now)
    return ids
