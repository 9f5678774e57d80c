"""Chat retention: messages older than their room's retention are deleted (beat, nightly)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .models import DEFAULT_RETENTION_DAYS, MIN_RETENTION_DAYS, ChatMessage, ChatRoomSettings

BATCH = 1000


def chat_messages_expired_delete(*, now: datetime | None = None) -> int:
    """Delete every message older than its group's retention (365 days unless chosen); idempotent."""
    now = now or timezone.now()
    chosen = dict(ChatRoomSettings.objects.values_list("group_id", "retention_days"))
    # No room keeps less than the minimum, so younger messages are never candidates.
    group_ids = (
        ChatMessage.objects.filter(created_at__lt=now - timedelta(days=MIN_RETENTION_DAYS))
        .values_list("group_id", flat=True)
        .distinct()
    )
    deleted = 0
    for group_id in list(group_ids):
        cutoff = now - timedelta(days=chosen.get(group_id, DEFAULT_RETENTION_DAYS))
        while True:
            # Small batches: a year of a busy room never holds a long lock on the table.
            ids = list(
                ChatMessage.objects.filter(group_id=group_id, created_at__lt=cutoff).values_list(
                    "pk", flat=True
                )[:BATCH]
            )
            if not ids:
                break
            with transaction.atomic():
                count, _ = ChatMessage.objects.filter(pk__in=ids).delete()
            deleted += count
    return deleted
