"""Chat layout (issue 15, item 8): day separators with dates, runs of one author grouped,
avatars, and the refresh link that scripts hide only while live."""

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.chat.models import ChatMessage, ChatRoomSettings
from groups.chat.selectors import message_payload
from peersupport.avatars import avatar_colour_index, avatar_initials
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
CHAT_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "chat.js"


def post(group, author, when, body="hello"):
    room, _ = ChatRoomSettings.objects.get_or_create(group=group)
    room.last_seq += 1
    room.save(update_fields=["last_seq"])
    return ChatMessage.objects.create(
        group=group,
        seq=room.last_seq,
        author=author,
        client_id=uuid.uuid4().hex,
        body=body,
        created_at=when,
    )


def room_page(client_for, user, group) -> str:
    response = client_for(user).get(reverse("chat:room", kwargs={"slug": group.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_each_day_gets_a_separator_with_its_date(client_for, member, group):
    now = timezone.now()
    three_days_ago = now - timedelta(days=3)
    post(group, member, three_days_ago, "old news")
    post(group, member, now - timedelta(days=1), "yesterday's")
    post(group, member, now, "today's")
    body = room_page(client_for, member, group)
    days = re.findall(
        r'<li class="chat-day" data-day="([\d-]+)"><span class="chat-day-label">([^<]+)</span>',
        body,
    )
    assert [label for _, label in days][1:] == ["Yesterday", "Today"]
    local = timezone.localtime(three_days_ago)
    assert days[0][0] == local.strftime("%Y-%m-%d")
    assert local.strftime("%B") in days[0][1] and str(local.day) in days[0][1]
    # Separators come before their day's first message.
    assert body.index(days[1][1]) < body.index("yesterday&#x27;s") < body.index("Today")


def test_consecutive_messages_by_one_author_are_grouped(client_for, member, group):
    other = MembershipFactory(group=group, user=UserFactory(display_name="Other Olu")).user
    start = timezone.now() - timedelta(minutes=30)
    post(group, member, start, "one")
    post(group, member, start + timedelta(minutes=1), "two")  # same run
    post(group, other, start + timedelta(minutes=2), "three")  # another author
    post(group, other, start + timedelta(minutes=20), "four")  # too long after
    body = room_page(client_for, member, group)
    items = re.findall(r'<li class="chat-message([^"]*)"', body)
    assert [("is-continued" in classes) for classes in items[:4]] == [False, True, False, False]
    # The grouped message still names its author for screen readers (hidden only visually).
    assert body.count('<span class="chat-author">Member Mo</span>') == 2


def test_messages_carry_the_authors_avatar_and_the_payload_matches_it(client_for, member, group):
    message = post(group, member, timezone.now(), "hi")
    body = room_page(client_for, member, group)
    colour = avatar_colour_index("Member Mo")
    assert f'class="avatar avatar-sm avatar-c{colour}" aria-hidden="true">MM</span>' in body
    payload = message_payload(message)
    assert payload["avatar"] == {"initials": avatar_initials("Member Mo"), "colour": colour}


def test_refresh_link_is_in_the_page_and_the_script_hides_it_only_when_live(
    client_for, member, group
):
    body = room_page(client_for, member, group)
    # Without JavaScript it is always there (and not hidden).
    assert re.search(
        r'<p class="chat-refresh" id="chat-refresh-wrap">\s*<a [^>]*id="chat-refresh"', body
    )
    script = CHAT_JS.read_text()
    ready = script[script.index("function onReady") : script.index("function onRemoved")]
    assert "showRefresh(room, false)" in ready
    closing = script[script.index("room.ws.onclose") :]
    assert "showRefresh(room, true)" in closing[:200]
