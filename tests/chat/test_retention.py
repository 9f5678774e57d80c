"""Chat retention: exactly the messages older than the group's retention are deleted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.chat import tasks
from groups.chat.models import ChatMessage, ChatRoomSettings
from groups.chat.retention import chat_messages_expired_delete

pytestmark = pytest.mark.django_db


def _msg(group, author, seq, age_days, now):
    return ChatMessage.objects.create(
        group=group,
        seq=seq,
        author=author,
        client_id=f"c{seq}",
        body=f"message {seq}",
        created_at=now - timedelta(days=age_days),
    )


def test_default_retention_is_a_year_and_deletes_exactly_the_older_messages(group, member):
    now = timezone.now()
    old = _msg(group, member, 1, 366, now)
    edge = _msg(group, member, 2, 364, now)
    fresh = _msg(group, member, 3, 1, now)
    assert chat_messages_expired_delete(now=now) == 1
    assert set(ChatMessage.objects.values_list("pk", flat=True)) == {edge.pk, fresh.pk}
    assert not ChatMessage.objects.filter(pk=old.pk).exists()


def test_each_group_keeps_its_own_retention(group, other_group, member, other_facilitator):
    now = timezone.now()
    ChatRoomSettings.objects.create(group=group, retention_days=30)
    ChatRoomSettings.objects.create(group=other_group, retention_days=730)
    short_old = _msg(group, member, 1, 31, now)
    short_keep = _msg(group, member, 2, 29, now)
    long_keep = _msg(other_group, other_facilitator, 1, 700, now)
    long_old = _msg(other_group, other_facilitator, 2, 731, now)
    assert chat_messages_expired_delete(now=now) == 2
    left = set(ChatMessage.objects.values_list("pk", flat=True))
    assert left == {short_keep.pk, long_keep.pk}
    assert short_old.pk not in left and long_old.pk not in left


def test_the_task_is_idempotent(group, member):
    now = timezone.now()
    _msg(group, member, 1, 400, now)
    assert tasks.chat_retention_apply() == 1
    assert tasks.chat_retention_apply() == 0


def test_facilitator_sets_retention_within_30_to_730_days(client_for, facilitator, group):
    client = client_for(facilitator)
    url = reverse("chat:settings", kwargs={"slug": group.slug})
    client.post(url, {"slow_mode_seconds": 0, "retention_days": 90})
    assert ChatRoomSettings.objects.get(group=group).retention_days == 90
    response = client.post(url, {"slow_mode_seconds": 0, "retention_days": 10}, follow=True)
    assert "at least 30 days" in response.content.decode()
    client.post(url, {"slow_mode_seconds": 0, "retention_days": 731})
    assert ChatRoomSettings.objects.get(group=group).retention_days == 90


def test_a_member_cannot_change_retention(client_for, member, group):
    url = reverse("chat:settings", kwargs={"slug": group.slug})
    response = client_for(member).post(url, {"slow_mode_seconds": 0, "retention_days": 30})
    assert response.status_code == 403
    assert not ChatRoomSettings.objects.filter(group=group, retention_days=30).exists()


def test_the_room_page_shows_the_retention_field_to_facilitators(client_for, facilitator, group):
    body = client_for(facilitator).get(reverse("chat:room", kwargs={"slug": group.slug})).content
    assert b'name="retention_days"' in body and b'value="365"' in body
