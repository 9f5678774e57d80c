"""The in-app notification centre: notify, read state, the live unread count, fan-out.

Side effects (the e-mail task, the live unread count) run only after the transaction commits.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from ..models import (
    NEVER_OFF,
    Delivery,
    EmailOutbox,
    Kind,
    Notification,
)
from .outbox import enqueue_email
from .preferences import delivery_for, off_duty_user_ids

log = logging.getLogger(__name__)


def user_group_name(user_id: int) -> str:
    """The channel-layer group that carries one member's live notification events."""
    return f"user-{user_id}"


def unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


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
    """Notify everyone on duty who may moderate `group` (its facilitators; not site admins),
    except the actor. An empty list means nobody was told: callers with an urgent alert then
    turn to the administrators."""
    from groups.permissions import group_moderators

    moderators = list(group_moderators(group))
    off_duty = off_duty_user_ids(u.pk for u in moderators)
    sent = []
    # The one permissions module decides who moderates (a removed facilitator does not).
    for user in moderators:
        if user.pk == exclude_user_id or user.pk in off_duty:
            continue
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
    from groups.permissions import site_admins

    sent = []
    for user in site_admins():
        if user.pk == exclude_user_id:
            continue
        n = notify(recipient=user, kind=kind, url=url, text=text, target=target, group=group)
        if n is not None:
            sent.append(n)
    return sent
