"""Background jobs for the library."""

from celery import shared_task

from .services import review_reminder_send


@shared_task
def resource_review_reminder_send() -> int:
    """Weekly: e-mail administrators the resources not reviewed for a year (once per week)."""
    return review_reminder_send()
