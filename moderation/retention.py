"""Safety-scan retention: what a scan matched is kept 90 days; the verdict stays."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import SafetyScan

DETAILS_KEPT = timedelta(days=90)


def safety_scan_details_purge(*, now: datetime | None = None) -> int:
    """Clear match details (matched words, phrase, text hash) of scans older than 90 days.

    The verdict (crisis, category, spam, watched-word action, rules version, case) is kept.
    Idempotent: cleared rows no longer match.
    """
    now = now or timezone.now()
    has_details = ~Q(matched={}) | ~Q(watched_word_phrase="") | ~Q(text_hash="")
    return (
        SafetyScan.objects.filter(created_at__lt=now - DETAILS_KEPT)
        .filter(has_details)
        .update(matched={}, watched_word_phrase="", text_hash="")
    )
