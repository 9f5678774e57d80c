"""Celery tasks for notifications. They take ids only, reload, and do nothing the second time."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from . import selectors, services

log = logging.getLogger(__name__)

# Transient failures worth retrying with exponential backoff (capped at ten minutes).
RETRY_ON = (SMTPException, OSError, ConnectionError, DatabaseError)
RETRY_KWARGS = {
    "autoretry_for": RETRY_ON,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": services.MAX_EMAIL_ATTEMPTS,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "default_retry_delay": 10,
}


@shared_task(bind=True, **RETRY_KWARGS)
def notification_email_send(self, outbox_id: int) -> str:
    """Send one outbox e-mail; in quiet hours it waits for the sweeper after they end."""
    deferred = services.outbox_deliver(outbox_id=outbox_id)
    # In quiet hours no countdown message is sent: on Redis a long ETA outlives the visibility
    # timeout and is redelivered again and again. The row keeps `not_before`; the sweeper
    # sends it once quiet hours are over.
    return "deferred" if deferred is not None else "done"


@shared_task(bind=True, **RETRY_KWARGS)
def notification_digest_send(self, user_id: int, date: str) -> str:
    """Make (once) and send the member's digest for their local `date`."""
    outbox_id = services.digest_prepare(user_id=user_id, day=date)
    if outbox_id is None:
        return "nothing"
    deferred = services.outbox_deliver(outbox_id=outbox_id)
    # In quiet hours no countdown message is sent: on Redis a long ETA outlives the visibility
    # timeout and is redelivered again and again. The row keeps `not_before`; the sweeper
    # sends it once quiet hours are over.
    return "deferred" if deferred is not None else "done"


@shared_task(**RETRY_KWARGS)
def notification_digests_due() -> int:
    """Beat, every 15 minutes: enqueue a digest for each member whose hour has come."""
    due = selectors.digest_recipients_due(now=timezone.now())
    for user_id, day in due:
        services.enqueue_digest(user_id, day)
    return len(due)


@shared_task(**RETRY_KWARGS)
def notification_outbox_sweep() -> int:
    """Beat: re-enqueue pending e-mails that a broker outage or dead worker may have lost."""
    ids = services.outbox_due_for_sweep(now=timezone.now())
    for outbox_id in ids:
        services.enqueue_email(outbox_id)
    return len(ids)


@shared_task(**RETRY_KWARGS)
def notification_outbox_purge() -> int:
    """Beat, nightly: delete outbox rows of e-mails sent more than 30 days ago."""
    from .retention import outbox_sent_purge

    return outbox_sent_purge()
