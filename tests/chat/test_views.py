import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.chat import services as chat_services
from groups.chat.models import ChatMessage, ChatRoomSettings

pytestmark = pytest.mark.django_db


def room_url(group, query=""):
    return reverse("chat:room", kwargs={"slug": group.slug}) + query


def fill(group, author, n):
    room, _ = ChatRoomSettings.objects.get_or_create(group=group)
    start = room.last_seq
    ChatMessage.objects.bulk_create(
        ChatMessage(
            group=group,
            seq=start + i + 1,
            author=author,
            client_id=uuid.uuid4().hex,
            body=f"message {start + i + 1}",
        )
        for i in range(n)
    )
    room.last_seq = start + n
    room.save()


def test_room_shows_the_last_50_messages_in_a_polite_log_with_a_link_to_earlier_ones(
    client_for, member, group
):
    fill(group, member, 60)
    response = client_for(member).get(room_url(group))
    html = response.content.decode()
    assert 'role="log"' in html and 'aria-live="polite"' in html
    assert "message 60<" in html and "message 11<" in html and "message 10<" not in html
    assert f'href="{room_url(group, "?before=11")}"' in html
    earlier = client_for(member).get(room_url(group, "?before=11")).content.decode()
    assert "message 1<" in earlier and "message 10<" in earlier and "message 11<" not in earlier
    assert "Back to the latest messages" in earlier


def test_posting_without_javascript_goes_through_the_service(client_for, member, group):
    client = client_for(member)
    data = {"body": "Hello <b>there</b> https://example.org", "client_id": uuid.uuid4().hex}
    response = client.post(room_url(group), data)
    assert response.status_code == 302
    assert client.post(room_url(group), data).status_code == 302  # a double submit saves once
    assert ChatMessage.objects.count() == 1
    html = client.get(room_url(group)).content.decode()
    assert "Hello &lt;b&gt;there&lt;/b&gt;" in html and '<a href="https://example.org"' in html


def test_empty_post_shows_a_kind_error_and_saves_nothing(client_for, member, group):
    response = client_for(member).post(
        room_url(group), {"body": "   ", "client_id": uuid.uuid4().hex}
    )
    assert response.status_code == 400
    assert "Your message is empty" in response.content.decode()
    assert ChatMessage.objects.count() == 0


def test_removed_message_shows_only_that_it_was_removed(client_for, member, facilitator, group):
    result = chat_services.chat_message_post(
        group=group, author=member, body="unkind words", client_id=uuid.uuid4().hex
    )
    response = client_for(facilitator).post(
        reverse("chat:delete", kwargs={"slug": group.slug, "seq": result.message.seq})
    )
    assert response.status_code == 302
    html = client_for(member).get(room_url(group)).content.decode()
    assert "Removed by a facilitator." in html and "unkind words" not in html


def test_moderation_controls_are_only_for_facilitators(client_for, member, facilitator, group):
    fill(group, member, 1)
    assert "Remove message" in client_for(facilitator).get(room_url(group)).content.decode()
    member_html = client_for(member).get(room_url(group)).content.decode()
    assert "Remove message" not in member_html and "Room settings" not in member_html


def test_muted_member_reads_and_sees_why_they_cannot_post(client_for, muted_member, group):
    html = client_for(muted_member).get(room_url(group)).content.decode()
    assert "paused your posting" in html and 'id="chat-form"' not in html


def test_messages_api_pages_forward_and_back(client_for, member, group, settings):
    settings.CHAT_REPLAY_LIMIT = 5
    fill(group, member, 8)
    url = reverse("chat:messages", kwargs={"slug": group.slug})
    forward = client_for(member).get(url, {"after": 2}).json()
    assert [m["id"] for m in forward["messages"]] == [3, 4, 5, 6, 7] and forward["more"] is True
    back = client_for(member).get(url, {"before": 3}).json()
    assert [m["id"] for m in back["messages"]] == [1, 2] and back["more"] is False
    assert client_for(member).get(url, {"after": "x"}).status_code == 404


def test_facilitator_settings_form_rejects_silly_values_kindly(client_for, facilitator, group):
    client = client_for(facilitator)
    response = client.post(
        reverse("chat:settings", kwargs={"slug": group.slug}),
        {"slow_mode_seconds": 99999},
        follow=True,
    )
    assert "at most an hour" in response.content.decode()
    assert not ChatRoomSettings.objects.filter(group=group, slow_mode_seconds=99999).exists()


@pytest.mark.parametrize("role", ["member", "facilitator"])
def test_room_page_query_count_does_not_grow_with_messages(
    role, request, client_for, member, group
):
    user = request.getfixturevalue(role)
    client = client_for(user)
    fill(group, member, 3)
    client.get(room_url(group))
    with CaptureQueriesContext(connection) as few:
        client.get(room_url(group))
    fill(group, member, 27)
    with CaptureQueriesContext(connection) as many:
        client.get(room_url(group))
    assert len(few) == len(many)


def test_room_page_says_when_a_facilitator_only_room_is_closed(
    client_for, member, facilitator, group
):
    ChatRoomSettings.objects.create(group=group, facilitator_only=True)
    assert "The room is closed for now" in client_for(member).get(room_url(group)).content.decode()
    from groups.chat.models import ChatPresence

    ChatPresence.objects.create(
        channel_name="test!1", group=group, user=facilitator, is_moderator=True
    )
    assert (
        "A facilitator is here, so the room is open."
        in client_for(member).get(room_url(group)).content.decode()
    )


def test_a_message_that_opened_a_case_carries_a_marker_and_link_for_facilitators_only(
    client_for, member, facilitator, group
):
    from moderation import services as moderation_services
    from moderation.models import Reason
    from tests.factories import MembershipFactory

    fill(group, member, 2)
    flagged, calm = ChatMessage.objects.filter(group=group).order_by("seq")
    case = moderation_services.report_create(
        reporter=MembershipFactory(group=group).user, content=flagged, reason=Reason.RISK
    ).case
    page = client_for(facilitator).get(room_url(group)).content.decode()
    assert page.count('class="chat-flag"') == 1
    item = page.split(f'id="msg-{flagged.seq}"', 1)[1].split("</li>", 1)[0]
    assert 'class="chat-flag"' in item and case.get_absolute_url() in item
    assert "Someone may be at risk" in item and "Open its case" in item
    other = page.split(f'id="msg-{calm.seq}"', 1)[1].split("</li>", 1)[0]
    assert "chat-flag" not in other
    # Members, even in the same room, never see it.
    page = client_for(member).get(room_url(group)).content.decode()
    assert "chat-flag" not in page and case.get_absolute_url() not in page
