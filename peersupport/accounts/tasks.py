"""Celery tasks for accounts. They take ids only, reload, and do nothing the second time."""

from celery import shared_task
from django.db import DatabaseError

from . import deletion
from .privacy import export

EXPORT_RETRY_KWARGS = {
    "autoretry_for": (OSError, DatabaseError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": export.MAX_ATTEMPTS,
    "acks_late": True,
    "reject_on_worker_lost": True,
}

DELETION_RETRY_KWARGS = {
    "autoretry_for": (DatabaseError, ConnectionError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "max_retries": 8,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


@shared_task(**EXPORT_RETRY_KWARGS)
def data_export_build(export_id: int) -> str:
    """Build the member's ZIP (once) and tell them after commit."""
    return export.data_export_build(export_id=export_id)


@shared_task(**EXPORT_RETRY_KWARGS)
def data_exports_sweep() -> int:
    """Beat, every 5 minutes: expired exports' files go at once; lost builds are re-enqueued."""
    expired = export.data_exports_expire()
    ids = export.data_exports_due_for_sweep()
    export.data_exports_enqueue(ids)
    return expired + len(ids)


@shared_task(**DELETION_RETRY_KWARGS)
def account_purge(deletion_id: int) -> bool:
    """Purge one account whose grace period is over (a no-op if done or cancelled)."""
    return deletion.account_purge(deletion_id=deletion_id)


@shared_task(**DELETION_RETRY_KWARGS)
def account_purges_due() -> int:
    """Beat, hourly: purge every account whose 14-day grace period has ended."""
    ids = deletion.deletions_due()
    for deletion_id in ids:
        account_purge.delay(deletion_id)
    return len(ids)
