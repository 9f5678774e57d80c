import pytest

from groups.chat import demo as chat_demo
from groups.chat.models import ChatMessage, ChatRoomSettings
from tests.factories import GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_chat_demo_is_idempotent_and_skips_missing_groups():
    group = GroupFactory(slug="anxiety-support")
    users = {key: UserFactory() for key in ("willow", "ash", "river", "quietfox", "juniper")}
    lines: list[str] = []
    chat_demo.seed(users=users, log=lines.append)
    chat_demo.seed(users=users, log=lines.append)
    assert list(ChatMessage.objects.filter(group=group).values_list("seq", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    assert ChatRoomSettings.objects.get(group=group).last_seq == 4
    assert lines == ["Demo chat messages added: 4.", "Demo chat messages added: 0."]
