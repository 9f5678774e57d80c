"""Reads for the notification pages and the digest beat job."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.contrib.auth import get_user_model

from .models import DIGEST_KIND, EmailOutbox, Notification, NotificationSettings

CENTRE_PAGE_SIZE = 50


def notification_list_for_user(*, user, limit: int = CENTRE_PAGE_SIZE) -> list[Notification]:
    """The member's latest notifications, newest first (the text is stored, so no joins)."""
    return list(
        Notification.objects.filter(recipient=user)
        .only("pk", "kind", "url", "text", "created_at", "read_at", "recipient_id")
        .order_by("-created_at", "-pk")[:limit]
    )


def digest_recipients_due(*, now: datetime) -> list[tuple[int, str]]:
    """(user id, local date) for members whose digest hour has come today and who have news.

    Each member's hour is read in their own time zone; a digest already made for that local
    day is skipped, so running this every 15 minutes sends at most one digest a day.
    """
    users = (
        get_user_model()
        .objects.filter(
            is_active=True, notifications__email_state=Notification.EmailState.DIGEST_PENDING
        )
        .distinct()
        .select_related("notification_settings")
        .only("pk", "timezone", "notification_settings__digest_hour")
    )
    default_hour = NotificationSettings._meta.get_field("digest_hour").default
    candidates: list[tuple[int, str]] = []
    for user in users:
        try:
            tz = zoneinfo.ZoneInfo(user.timezone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = zoneinfo.ZoneInfo("UTC")
        local = now.astimezone(tz)
        try:
            hour = user.notification_settings.digest_hour
        except NotificationSettings.DoesNotExist:
            hour = default_hour
        if local.hour >= hour:
            candidates.append((user.pk, local.date().isoformat()))
    if not candidates:
        return []
    done = set(
        EmailOutbox.objects.filter(
            kind=DIGEST_KIND,
            recipient_id__in=[u for u, _ in candidates],
            window_key__in={d for _, d in candidates},
        ).values_list("recipient_id", "window_key")
    )
    return [(u, d) for u, d in candidates if (u, d) not in done]
