"""Celery tasks of the chat app. They take ids only (or nothing) and are safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def chat_presence_sweep() -> int:
    """Beat, every 2 minutes: forget connections a crashed server left in "here now"."""
    return services.chat_presence_sweep()
