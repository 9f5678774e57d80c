"""Periodic jobs of scheduled sessions (beat, and the in-process scheduler of `make run`)."""

from celery import shared_task

from .services import session_reminders_send


@shared_task(acks_late=True, reject_on_worker_lost=True)
def session_reminders_due() -> int:
    """Send the session reminders that are due; idempotent (each reminder goes once)."""
    return session_reminders_send()
