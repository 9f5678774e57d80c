"""Notification preferences: per-kind delivery, e-mail settings, one-click unsubscribe."""

from __future__ import annotations

import zoneinfo

from django.core import signing
from django.db import transaction
from django.utils import timezone

from ..models import (
    DEFAULT_DELIVERY,
    DIGEST_KIND,
    NEVER_OFF,
    Delivery,
    Kind,
    NotificationPreference,
    NotificationSettings,
)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


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


def _user_tz(user) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


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
    if kind in NEVER_OFF:
        # Urgent alerts have no one-click unsubscribe (a facilitator on leave goes off duty).
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


# --- off duty --------------------------------------------------------------------------------
def is_off_duty(user) -> bool:
    """Whether a facilitator has set themself off duty (their alerts go to others meanwhile)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return NotificationSettings.objects.filter(user=user, off_duty_since__isnull=False).exists()


def off_duty_user_ids(user_ids) -> set[int]:
    """Which of these people are off duty."""
    return set(
        NotificationSettings.objects.filter(
            user_id__in=list(user_ids), off_duty_since__isnull=False
        ).values_list("user_id", flat=True)
    )


@transaction.atomic
def duty_set(*, user, off_duty: bool) -> NotificationSettings:
    """Go off duty (alerts go to the other facilitators, else administrators) or back on."""
    prefs, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    if off_duty and prefs.off_duty_since is None:
        prefs.off_duty_since = timezone.now()
    elif not off_duty:
        prefs.off_duty_since = None
    prefs.save(update_fields=["off_duty_since"])
    return prefs
