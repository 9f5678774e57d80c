"""Celery tasks for accounts. They take ids only and do nothing the second time."""

from celery import shared_task
from django.db import DatabaseError

from . import deletion

RETRY_KWARGS = {
    "autoretry_for": (DatabaseError, ConnectionError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "max_retries": 8,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


@shared_task(**RETRY_KWARGS)
def account_purge(deletion_id: int) -> bool:
    """Purge one account whose grace period is over (a no-op if done or cancelled)."""
    return deletion.account_purge(deletion_id=deletion_id)


@shared_task(**RETRY_KWARGS)
def account_purges_due() -> int:
    """Beat, hourly: purge every account whose 14-day grace period has ended."""
    ids = deletion.deletions_due()
    for deletion_id in ids:
        account_purge.delay(deletion_id)
    return len(ids)
