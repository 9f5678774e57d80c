import uuid

import pytest
from django.urls import reverse

from groups.chat import services as chat_services
from groups.chat.models import ChatMessage, ChatRoomSettings

pytestmark = pytest.mark.django_db


def _message(group, author, body="Hello there"):
    return chat_services.chat_message_post(
        group=group, author=author, body=body, client_id=uuid.uuid4().hex
    ).message


def test_admin_can_read_a_chat_message_but_not_edit_its_body_or_state(
    client_for, admin, group, member
):
    message = _message(group, member)
    client = client_for(admin)
    url = reverse("admin:chat_chatmessage_change", args=[message.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Hello there" in page.content.decode()
    assert 'name="body"' not in page.content.decode()
    assert 'name="moderation_state"' not in page.content.decode()
    client.post(url, {"body": "Rewritten", "moderation_state": "hidden"})
    message.refresh_from_db()
    assert (message.body, message.moderation_state) == ("Hello there", "visible")
    assert client.get(reverse("admin:chat_chatmessage_add")).status_code == 403
    client.post(reverse("admin:chat_chatmessage_delete", args=[message.pk]), {"post": "yes"})
    assert ChatMessage.objects.filter(pk=message.pk).exists()


def test_admin_changes_room_settings_through_the_chat_service(
    client_for, admin, group, member, django_capture_on_commit_callbacks
):
    _message(group, member)
    room = ChatRoomSettings.objects.get(pk=group.pk)
    client = client_for(admin)
    url = reverse("admin:chat_chatroomsettings_change", args=[group.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            url, {"slow_mode_seconds": "30", "facilitator_only": "on", "last_seq": "99"}
        )
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.slow_mode_seconds, room.facilitator_only, room.last_seq) == (30, True, 1)
    # The room hears about it live, as when a facilitator changes it on the room page.
    assert any("_broadcast_on_commit" in c.__qualname__ for c in callbacks)


def test_chat_admin_is_for_administrators_only(client_for, facilitator, group, member):
    message = _message(group, member)
    client = client_for(facilitator)
    response = client.get(reverse("admin:chat_chatmessage_change", args=[message.pk]))
    assert response.status_code == 302  # to the admin sign-in
