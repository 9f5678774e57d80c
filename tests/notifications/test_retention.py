"""Outbox retention: sent e-mail rows go 30 days after sending; nothing else does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peersupport.notifications import tasks
from peersupport.notifications.models import EmailOutbox
from peersupport.notifications.retention import outbox_sent_purge
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _row(user, n, status, sent_days_ago, now):
    return EmailOutbox.objects.create(
        recipient=user,
        kind="mention",
        target_key=f"t{n}",
        window_key="w",
        status=status,
        sent_at=(now - timedelta(days=sent_days_ago)) if sent_days_ago is not None else None,
    )


def test_sent_rows_older_than_30_days_are_deleted_and_nothing_else():
    now = timezone.now()
    user = UserFactory()
    old_sent = _row(user, 1, EmailOutbox.Status.SENT, 31, now)
    new_sent = _row(user, 2, EmailOutbox.Status.SENT, 29, now)
    pending = _row(user, 3, EmailOutbox.Status.PENDING, None, now)
    failed = _row(user, 4, EmailOutbox.Status.FAILED, None, now)
    assert outbox_sent_purge(now=now) == 1
    left = set(EmailOutbox.objects.values_list("pk", flat=True))
    assert left == {new_sent.pk, pending.pk, failed.pk}
    assert old_sent.pk not in left


def test_the_purge_task_is_idempotent():
    now = timezone.now()
    _row(UserFactory(), 1, EmailOutbox.Status.SENT, 45, now)
    assert tasks.notification_outbox_purge() == 1
    assert tasks.notification_outbox_purge() == 0
