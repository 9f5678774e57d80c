"""Outbox retention: a sent e-mail's outbox row is kept 30 days (beat, nightly)."""

from datetime import datetime, timedelta

from django.utils import timezone

from .models import EmailOutbox

SENT_KEPT = timedelta(days=30)


def outbox_sent_purge(*, now: datetime | None = None) -> int:
    """Delete outbox rows of e-mails sent more than 30 days ago; pending and failed ones stay."""
    now = now or timezone.now()
    count, _ = EmailOutbox.objects.filter(
        status=EmailOutbox.Status.SENT, sent_at__lt=now - SENT_KEPT
    ).delete()
    return count
