"""Celery tasks for chat. They take ids only (or nothing) and are safe to run twice."""

from celery import shared_task

from . import retention


@shared_task(acks_late=True)
def chat_retention_apply() -> int:
    """Beat, nightly: delete chat messages older than each group's retention."""
    return retention.chat_messages_expired_delete()
