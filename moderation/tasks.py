"""Celery tasks for the safety pipeline. They take ids only, reload, and do nothing twice."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from . import safety

RETRY_KWARGS = {
    # Transient database trouble is worth retrying with exponential backoff (capped).
    "autoretry_for": (DatabaseError, ConnectionError, OSError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
    "reject_on_worker_lost": True,
    # A scan is quick; these bound a stuck one well inside the broker's visibility timeout.
    "soft_time_limit": 60,
    "time_limit": 90,
}


@shared_task(**RETRY_KWARGS)
def safety_scan_run(scan_id: int) -> str:
    """Scan one posted item (crisis language, watched words, spam) and act on the verdict."""
    return safety.safety_scan_perform(scan_id=scan_id, now=timezone.now())


@shared_task(**RETRY_KWARGS)
def safety_scan_sweep() -> int:
    """Beat, every 2 minutes: re-enqueue scans a broker outage or dead worker left pending."""
    ids = safety.scans_due_for_sweep(now=timezone.now())
    for scan_id in ids:
        try:
            safety_scan_run.delay(scan_id)
        except Exception:  # noqa: BLE001 - still down: the next sweep tries again
            break
    return len(ids)


@shared_task(**RETRY_KWARGS)
def safety_escalations_due() -> int:
    """Beat, every minute: alert administrators about urgent cases nobody acknowledged in time."""
    now = timezone.now()
    done = 0
    for case_id in safety.cases_due_for_escalation(now=now):
        if safety.case_escalate(case_id=case_id, now=now) is not None:
            done += 1
    return done


@shared_task(**RETRY_KWARGS)
def safety_scan_details_purge() -> int:
    """Beat, nightly: clear what scans older than 90 days matched; the verdict stays."""
    from .retention import safety_scan_details_purge as purge

    return purge()


@shared_task(**RETRY_KWARGS)
def case_follow_ups_due() -> int:
    """Beat, every minute: remind facilitators of the follow-ups they planned that are due."""
    from . import selectors
    from .services import protocol

    now = timezone.now()
    return sum(
        1
        for follow_up_id in selectors.follow_ups_due(now=now)
        if protocol.case_follow_up_remind(follow_up_id=follow_up_id, now=now)
    )
