"""Every write about notifications: notify, read state, preferences, unsubscribe, e-mail delivery.

Side effects (the e-mail task, the live unread count) run only after the transaction commits.
"""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from .models import (
    DEFAULT_DELIVERY,
    DIGEST_KIND,
    NEVER_OFF,
    Delivery,
    EmailOutbox,
    GroupFollow,
    Kind,
    Notification,
    NotificationPreference,
    NotificationSettings,
)

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
MAX_EMAIL_ATTEMPTS = 8
# A pending e-mail older than this was probably lost with the broker: the sweeper re-enqueues it.
SWEEP_AFTER = timedelta(minutes=5)


def user_group_name(user_id: int) -> str:
    """The channel-layer group that carries one member's live notification events."""
    return f"user-{user_id}"


# --- reads used by services and tasks --------------------------------------------------------
def delivery_for(*, user, kind: str) -> str:
    """The member's chosen delivery for a kind, or the default."""
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or DEFAULT_DELIVERY.get(kind, Delivery.IN_APP)


def settings_for(user) -> NotificationSettings:
    """The member's notification settings (unsaved defaults if they never changed them)."""
    try:
        return NotificationSettings.objects.get(user=user)
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(user=user)


def unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def _user_tz(user) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


# --- after-commit effects --------------------------------------------------------------------
def push_unread_count(*, user_id: int) -> None:
    """Send the member's unread count to their open pages (best effort: never fails a write)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            user_group_name(user_id),
            {"type": "unread.count", "count": unread_count(user_id=user_id)},
        )
    except Exception:  # noqa: BLE001 - a live badge must never break a write
        log.warning("could not push the unread count to user %s", user_id, exc_info=True)


def enqueue_email(outbox_id: int) -> None:
    """Hand an outbox row to Celery; if the broker is down the sweeper will try again."""
    from .tasks import notification_email_send

    EmailOutbox.objects.filter(pk=outbox_id).update(enqueued_at=timezone.now())
    try:
        notification_email_send.delay(outbox_id)
    except Exception:  # noqa: BLE001 - broker outage: the row stays pending for the sweeper
        log.warning("could not enqueue e-mail %s; the sweeper will retry", outbox_id, exc_info=True)


def enqueue_digest(user_id: int, day: str) -> None:
    from .tasks import notification_digest_send

    try:
        notification_digest_send.delay(user_id, day)
    except Exception:  # noqa: BLE001
        log.warning("could not enqueue the digest for user %s", user_id, exc_info=True)


# --- notify ----------------------------------------------------------------------------------
def _target_key(target: models.Model | None, notification: Notification) -> str:
    if target is None:
        return f"n{notification.pk}"
    return f"{ContentType.objects.get_for_model(target).pk}:{target.pk}"


@transaction.atomic
def notify(
    *,
    recipient,
    kind: str,
    url: str,
    text: str,
    target: models.Model | None = None,
    group=None,
) -> Notification | None:
    """Create an in-app notification as the member prefers; after commit, e-mail and live count.

    Idempotent for a target: while an unread notification of this kind about the same target
    exists, it is refreshed instead of repeated (a retried job must not alert twice).
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind: {kind!r}")
    # Only links inside the site: the centre renders it as a link, e-mails make it absolute.
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError(f"notification links must be site paths, got {url!r}")
    if recipient is None or not recipient.is_active:
        return None
    delivery = delivery_for(user=recipient, kind=kind)
    if delivery == Delivery.OFF and kind not in NEVER_OFF:
        return None
    text = (text or "").strip()[:200]
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    if target is not None:
        existing = (
            Notification.objects.select_for_update()
            .filter(
                recipient=recipient,
                kind=kind,
                target_type=target_type,
                target_id=target.pk,
                read_at__isnull=True,
            )
            .first()
        )
        if existing is not None:
            existing.text, existing.url = text, url
            existing.save(update_fields=["text", "url"])
            return existing
    email_state = {
        Delivery.IMMEDIATE: Notification.EmailState.IMMEDIATE,
        Delivery.DIGEST: Notification.EmailState.DIGEST_PENDING,
    }.get(delivery, Notification.EmailState.NONE)
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        group=group,
        target_type=target_type,
        target_id=target.pk if target is not None else None,
        url=url,
        text=text,
        email_state=email_state,
    )
    if delivery == Delivery.IMMEDIATE and recipient.email:
        now = timezone.now()
        # One e-mail per target per hour window, whatever retries happen.
        outbox, created = EmailOutbox.objects.get_or_create(
            recipient=recipient,
            kind=kind,
            target_key=_target_key(target, notification),
            window_key=now.strftime("%Y-%m-%dT%H"),
            defaults={"notification": notification},
        )
        if created:
            transaction.on_commit(lambda: enqueue_email(outbox.pk))
    transaction.on_commit(lambda: push_unread_count(user_id=recipient.pk))
    return notification


# --- read state ------------------------------------------------------------------------------
@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the member's own notifications read. False if it is not theirs or gone."""
    updated = Notification.objects.filter(
        pk=notification_id, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    exists = updated or Notification.objects.filter(pk=notification_id, recipient=user).exists()
    if updated:
        transaction.on_commit(lambda: push_unread_count(user_id=user.pk))
    return bool(exists)


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    """Mark all the member's notifications read; returns how many changed."""
    updated = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if updated:
        transaction.on_commit(lambda: push_unread_count(user_id=user.pk))
    return updated


# --- preferences -----------------------------------------------------------------------------
@transaction.atomic
def preferences_update(
    *,
    user,
    deliveries: dict[str, str],
    digest_hour: int,
    quiet_start: int | None,
    quiet_end: int | None,
    include_details: bool,
) -> NotificationSettings:
    """Save per-kind delivery and e-mail settings together: all or nothing."""
    for kind, delivery in deliveries.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise ValueError(f"unknown kind or delivery: {kind!r} {delivery!r}")
        if delivery == Delivery.OFF and kind in NEVER_OFF:
            raise ValueError(f"{kind} cannot be turned off")
    if not 0 <= digest_hour <= 23:
        raise ValueError("digest hour must be 0-23")
    if (quiet_start is None) != (quiet_end is None):
        raise ValueError("quiet hours need both a start and an end")
    for hour in (quiet_start, quiet_end):
        if hour is not None and not 0 <= hour <= 23:
            raise ValueError("quiet hours must be 0-23")
    for kind, delivery in deliveries.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
    prefs, _created = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={
            "digest_hour": digest_hour,
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
            "include_details": include_details,
        },
    )
    return prefs


# --- unsubscribe -----------------------------------------------------------------------------
def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed token for one-click unsubscribe from one kind of e-mail (or the digest)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user_id, "k": kind})


def unsubscribe_token_read(token: str) -> tuple[int, str] | None:
    """(user id, kind) for a genuine token, None for a forged or damaged one."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or kind not in [*Kind.values, DIGEST_KIND]:
        return None
    return user_id, kind


@transaction.atomic
def email_unsubscribe(*, token: str):
    """Stop e-mails of the token's kind (they stay in the app). Returns the member, or None."""
    from django.contrib.auth import get_user_model

    parsed = unsubscribe_token_read(token)
    if parsed is None:
        return None
    user_id, kind = parsed
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    if kind == DIGEST_KIND:
        kinds = [k for k in Kind.values if delivery_for(user=user, kind=k) == Delivery.DIGEST]
    else:
        kinds = [kind]
    for k in kinds:
        NotificationPreference.objects.update_or_create(
            user=user, kind=k, defaults={"delivery": Delivery.IN_APP}
        )
    return user


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
    Kind.URGENT_FLAG: gettext_noop("Urgent: someone may need support"),
    Kind.JOIN_REQUEST: gettext_noop("Someone has asked to join a group"),
    Kind.HELD_POST: gettext_noop("A post is waiting for review"),
    Kind.DATA_EXPORT_READY: gettext_noop("Your copy of your data is ready"),
    DIGEST_KIND: gettext_noop("Your daily summary from Peer Support"),
}


def _subject(kind: str) -> str:
    from django.utils.translation import gettext

    return gettext(SUBJECTS.get(kind, "You have a new notification"))


def build_email(*, user, kind: str, context: dict) -> EmailMultiAlternatives:
    """An e-mail with the one-click unsubscribe headers (RFC 8058) for its kind."""
    token = unsubscribe_token(user_id=user.pk, kind=kind)
    unsubscribe_url = _absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))
    context = {
        **context,
        "user": user,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": _absolute(reverse("notifications:preferences")),
        "centre_url": _absolute(reverse("notifications:centre")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = context.get("subject") or _subject(kind)
        body = render_to_string("notifications/email/message.txt", {**context, "subject": subject})
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
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
            if (
                prefs.include_details
                and notification is not None
                and notification.group is not None
            ):
                subject = f"{subject} ({notification.group.name})"
            message = build_email(
                user=user,
                kind=outbox.kind,
                context={
                    "subject": subject,
                    "notification": notification,
                    "include_details": prefs.include_details,
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


# --- fan-out helpers for the safety pipeline and moderation ----------------------------------
def notify_group_moderators(
    *,
    group,
    kind: str,
    url: str,
    text: str,
    target: models.Model | None = None,
    exclude_user_id: int | None = None,
) -> list[Notification]:
    """Notify everyone who may moderate `group` (its facilitators; not site admins), except the actor."""
    from groups.models import Membership
    from groups.permissions import access_for

    candidates = [
        m.user
        for m in Membership.objects.filter(
            group=group, role=Membership.Role.FACILITATOR
        ).select_related("user")
    ]
    sent = []
    for user in candidates:
        # The one permissions module decides who may moderate (a removed facilitator may not).
        if user.pk == exclude_user_id:
            continue
        if user.is_active and access_for(user, group).can_moderate:
            n = notify(recipient=user, kind=kind, url=url, text=text, target=target, group=group)
            if n is not None:
                sent.append(n)
    return sent


def notify_site_admins(
    *,
    kind: str,
    url: str,
    text: str,
    target: models.Model | None = None,
    group=None,
    exclude_user_id: int | None = None,
) -> list[Notification]:
    """Notify every site administrator (e.g. an urgent case nobody acknowledged in time), except the actor."""
    from django.contrib.auth import get_user_model

    from groups.permissions import is_site_admin

    sent = []
    for user in (
        get_user_model().objects.filter(is_staff=True, is_active=True).exclude(pk=exclude_user_id)
    ):
        if is_site_admin(user):
            n = notify(recipient=user, kind=kind, url=url, text=text, target=target, group=group)
            if n is not None:
                sent.append(n)
    return sent


# --- following a group's new stories ---------------------------------------------------------
def group_is_followed(*, user, group) -> bool:
    """Whether the member asked to hear about new stories in `group`."""
    if not user.is_authenticated:
        return False
    return GroupFollow.objects.filter(user=user, group=group).exists()


@transaction.atomic
def group_follow_set(*, user, group, follow: bool) -> bool:
    """Turn "tell me about new stories in this group" on or off; idempotent. Returns the new state."""
    from groups.permissions import check_read_group

    check_read_group(user, group)
    if follow:
        GroupFollow.objects.get_or_create(user=user, group=group)
    else:
        GroupFollow.objects.filter(user=user, group=group).delete()
    return follow


def group_followers(*, group) -> list:
    """Members who follow `group`'s new stories and may still read it."""
    from groups.permissions import access_for

    follows = GroupFollow.objects.filter(group=group, user__is_active=True).select_related("user")
    return [f.user for f in follows if access_for(f.user, group).can_read]
