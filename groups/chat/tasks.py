"""Celery tasks of the chat app. They take ids only (or nothing) and are safe to run twice."""

from celery import shared_task

from . import presence, retention


@shared_task
def chat_presence_sweep() -> int:
    """Beat, every 2 minutes: forget connections a crashed server left in "here now"."""
    return presence.chat_presence_sweep()


@shared_task(acks_late=True)
def chat_retention_apply() -> int:
    """Beat, nightly: delete chat messages older than each group's retention."""
    return retention.chat_messages_expired_delete()
