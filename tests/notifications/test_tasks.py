"""Tasks: called twice they work once; quiet hours defer; digests at the member's hour."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from peersupport.notifications import selectors, services, tasks
from peersupport.notifications.models import (
    DIGEST_KIND,
    Delivery,
    EmailOutbox,
    Kind,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from tests.factories import NotificationFactory, UserFactory

UTC = ZoneInfo("UTC")


def _pending_outbox(user, **kwargs):
    notification = NotificationFactory(
        recipient=user, email_state=Notification.EmailState.IMMEDIATE
    )
    return EmailOutbox.objects.create(
        recipient=user,
        kind=notification.kind,
        target_key=f"n{notification.pk}",
        window_key="w",
        notification=notification,
        **kwargs,
    )


@pytest.mark.django_db
def test_email_task_called_twice_sends_once(recipient):
    outbox = _pending_outbox(recipient)
    tasks.notification_email_send(outbox.pk)
    tasks.notification_email_send(outbox.pk)
    assert len(mail.outbox) == 1
    outbox.refresh_from_db()
    assert outbox.status == EmailOutbox.Status.SENT
    assert outbox.attempts == 1
    assert outbox.sent_at is not None


@pytest.mark.django_db
def test_outbox_is_unique_per_recipient_kind_target_and_window(recipient):
    from django.db import IntegrityError, transaction

    outbox = _pending_outbox(recipient)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailOutbox.objects.create(
            recipient=recipient, kind=outbox.kind, target_key=outbox.target_key, window_key="w"
        )


@pytest.mark.django_db
def test_email_task_for_a_missing_outbox_row_is_a_clean_no_op():
    assert tasks.notification_email_send(987654) == "done"
    assert mail.outbox == []


@pytest.mark.django_db
def test_digest_task_for_a_missing_member_is_a_clean_no_op():
    assert tasks.notification_digest_send(987654, "2026-11-25") == "nothing"
    assert tasks.notification_digest_send(987654, "not-a-date") == "nothing"


@pytest.mark.django_db
def test_quiet_hours_defer_the_email_until_they_end(recipient):
    # London in November is UTC+0: quiet from 22:00 to 07:00.
    NotificationSettings.objects.create(user=recipient, quiet_start=22, quiet_end=7)
    outbox = _pending_outbox(recipient)
    night = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    deferred = services.outbox_deliver(outbox_id=outbox.pk, now=night)
    assert deferred is not None
    assert deferred.until == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    assert mail.outbox == []
    outbox.refresh_from_db()
    assert outbox.status == EmailOutbox.Status.PENDING
    assert outbox.not_before == deferred.until
    # The sweeper leaves it alone until the quiet time is over.
    assert outbox.pk not in services.outbox_due_for_sweep(now=night + timedelta(minutes=30))
    morning = datetime(2026, 11, 26, 7, 5, tzinfo=UTC)
    assert services.outbox_deliver(outbox_id=outbox.pk, now=morning) is None
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_quiet_hours_use_the_members_time_zone():
    user = UserFactory(timezone="America/New_York")
    NotificationSettings.objects.create(user=user, quiet_start=22, quiet_end=7)
    prefs = services.settings_for(user)
    # 03:00 UTC is 22:00 in New York: quiet. 12:00 UTC is 07:00 there: not quiet.
    assert (
        services.quiet_until(user=user, prefs=prefs, now=datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
        is not None
    )
    assert (
        services.quiet_until(user=user, prefs=prefs, now=datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
        is None
    )


@pytest.mark.django_db
def test_quiet_hours_within_one_day_are_respected(recipient):
    NotificationSettings.objects.create(user=recipient, quiet_start=9, quiet_end=17)
    prefs = services.settings_for(recipient)
    assert services.quiet_until(
        user=recipient, prefs=prefs, now=datetime(2026, 11, 25, 12, tzinfo=UTC)
    )
    assert (
        services.quiet_until(
            user=recipient, prefs=prefs, now=datetime(2026, 11, 25, 18, tzinfo=UTC)
        )
        is None
    )


def _digest_pending(user, n=2):
    NotificationFactory.create_batch(
        n,
        recipient=user,
        kind=Kind.REACTION_SUMMARY,
        email_state=Notification.EmailState.DIGEST_PENDING,
    )


@pytest.mark.django_db
def test_digest_is_due_at_the_members_hour_in_their_time_zone():
    tokyo = UserFactory(timezone="Asia/Tokyo")  # UTC+9
    NotificationSettings.objects.create(user=tokyo, digest_hour=8)
    london = UserFactory(timezone="Europe/London")  # UTC+0 in November, default hour 18
    quiet = UserFactory(timezone="Asia/Tokyo")  # nothing to send
    _digest_pending(tokyo)
    _digest_pending(london)
    assert quiet
    assert selectors.digest_recipients_due(now=datetime(2026, 11, 24, 22, 45, tzinfo=UTC)) == [
        (london.pk, "2026-11-24")
    ]
    # 23:00 UTC is 08:00 the next day in Tokyo.
    due = selectors.digest_recipients_due(now=datetime(2026, 11, 24, 23, 0, tzinfo=UTC))
    assert sorted(due) == sorted([(tokyo.pk, "2026-11-25"), (london.pk, "2026-11-24")])
    assert selectors.digest_recipients_due(now=datetime(2026, 11, 25, 12, 0, tzinfo=UTC)) == [
        (tokyo.pk, "2026-11-25")
    ]


@pytest.mark.django_db
def test_digest_is_sent_once_per_member_per_day(recipient):
    _digest_pending(recipient, n=3)
    assert tasks.notification_digest_send(recipient.pk, "2026-11-25") == "done"
    assert tasks.notification_digest_send(recipient.pk, "2026-11-25") == "nothing"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Reactions to my story: 3" in message.body
    assert not Notification.objects.filter(
        email_state=Notification.EmailState.DIGEST_PENDING
    ).exists()
    # Already made for that day: the selector skips the member.
    _digest_pending(recipient)
    now = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    assert selectors.digest_recipients_due(now=now) == []


@pytest.mark.django_db
def test_digest_never_contains_post_text_unless_opted_in(recipient):
    NotificationFactory(
        recipient=recipient,
        kind=Kind.REACTION_SUMMARY,
        text="my private words",
        email_state=Notification.EmailState.DIGEST_PENDING,
    )
    tasks.notification_digest_send(recipient.pk, "2026-11-25")
    assert "my private words" not in mail.outbox[0].body
    NotificationSettings.objects.create(user=recipient, include_details=True)
    NotificationFactory(
        recipient=recipient,
        kind=Kind.REACTION_SUMMARY,
        text="my private words",
        email_state=Notification.EmailState.DIGEST_PENDING,
    )
    tasks.notification_digest_send(recipient.pk, "2026-11-26")
    assert "my private words" in mail.outbox[1].body


@pytest.mark.django_db
def test_digests_due_beat_job_enqueues_and_sends(recipient):
    NotificationPreference.objects.create(
        user=recipient, kind=Kind.MENTION, delivery=Delivery.DIGEST
    )
    services.notify(recipient=recipient, kind=Kind.MENTION, url="/x/", text="hi")
    NotificationSettings.objects.create(user=recipient, digest_hour=0)
    assert tasks.notification_digests_due() == 1
    assert len(mail.outbox) == 1
    assert tasks.notification_digests_due() == 0
    assert EmailOutbox.objects.get(kind=DIGEST_KIND).status == EmailOutbox.Status.SENT


@pytest.mark.django_db
def test_sweeper_re_enqueues_only_stale_pending_rows(recipient):
    stale = _pending_outbox(recipient)
    fresh_user = UserFactory()
    fresh = _pending_outbox(fresh_user)
    sent = _pending_outbox(UserFactory(), status=EmailOutbox.Status.SENT)
    long_ago = timezone.now() - timedelta(minutes=30)
    EmailOutbox.objects.filter(pk__in=[stale.pk, sent.pk]).update(
        created_at=long_ago, enqueued_at=long_ago
    )
    EmailOutbox.objects.filter(pk=fresh.pk).update(enqueued_at=timezone.now())
    assert services.outbox_due_for_sweep(now=timezone.now()) == [stale.pk]
    # Just re-enqueued: not picked again at once.
    assert services.outbox_due_for_sweep(now=timezone.now()) == []


@pytest.mark.django_db
def test_sweeper_beat_job_delivers_an_email_the_broker_lost(recipient):
    outbox = _pending_outbox(recipient)
    EmailOutbox.objects.filter(pk=outbox.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    assert tasks.notification_outbox_sweep() == 1
    outbox.refresh_from_db()
    assert outbox.status == EmailOutbox.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_smtp_server_counts_attempts_and_leaves_the_row_pending(recipient, monkeypatch):
    from smtplib import SMTPServerDisconnected

    outbox = _pending_outbox(recipient)

    def refuse(*args, **kwargs):
        raise SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    with pytest.raises(SMTPServerDisconnected):
        services.outbox_deliver(outbox_id=outbox.pk)
    outbox.refresh_from_db()
    assert outbox.status == EmailOutbox.Status.PENDING
    assert outbox.attempts == 1
    assert "went away" in outbox.last_error


@pytest.mark.django_db
def test_enqueue_survives_a_broker_outage(recipient, monkeypatch):
    outbox = _pending_outbox(recipient)

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.notification_email_send, "delay", broker_down)
    services.enqueue_email(outbox.pk)  # does not raise
    outbox.refresh_from_db()
    assert outbox.status == EmailOutbox.Status.PENDING


def test_tasks_retry_with_backoff_and_late_acks():
    for task in (tasks.notification_email_send, tasks.notification_digest_send):
        assert task.acks_late is True
        assert task.retry_backoff
        assert task.max_retries >= 3
        assert task.autoretry_for


def test_beat_schedule_registers_digest_and_sweeper():
    from django.conf import settings

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "peersupport.notifications.tasks.notification_digests_due" in scheduled
    assert "peersupport.notifications.tasks.notification_outbox_sweep" in scheduled
    digest = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("digests_due")
    )
    assert digest["schedule"] == 15 * 60


@pytest.mark.django_db
def test_quiet_hours_task_defers_and_the_sweeper_sends_after_they_end(recipient):
    outbox = _pending_outbox(recipient)
    now = timezone.now()
    local_hour = now.astimezone(ZoneInfo(recipient.timezone)).hour
    # Quiet from this hour for two hours.
    NotificationSettings.objects.create(
        user=recipient, quiet_start=local_hour, quiet_end=(local_hour + 2) % 24
    )
    assert tasks.notification_email_send(outbox.pk) == "deferred"
    assert mail.outbox == []
    outbox.refresh_from_db()
    assert outbox.not_before > now
    EmailOutbox.objects.filter(pk=outbox.pk).update(
        created_at=now - timedelta(minutes=10), enqueued_at=now - timedelta(minutes=10)
    )
    assert services.outbox_due_for_sweep(now=now) == []
    later = outbox.not_before + timedelta(minutes=1)
    assert services.outbox_due_for_sweep(now=later) == [outbox.pk]
    assert services.outbox_deliver(outbox_id=outbox.pk, now=later) is None
    assert len(mail.outbox) == 1
