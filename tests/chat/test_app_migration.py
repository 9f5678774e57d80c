"""Chat moved out of the groups app into its own (label `chat`): the migration keeps every row
and everything that points at a chat message by content type (reports, cases, safety scans,
permissions).

The database is taken back to the state before the move, filled through the historical models,
then migrated forward again, as a real deployment would be.
"""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from groups.chat.models import ChatMessage, ChatPresence, ChatRoomSettings
from moderation import registry
from moderation.models import Case, Report, SafetyScan

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = ("groups", "0004_chatmessage_moderation_state")


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    # The state of every applied migration: the models as the database has them now.
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def _fill_the_old_schema(old):
    """Rows as they were while chat lived in the groups app: returns their ids."""
    User = old.get_model("accounts", "User")
    Group = old.get_model("groups", "Group")
    old_type = old.get_model("contenttypes", "ContentType")
    author = User.objects.create(email="author@example.org", display_name="Author Ada")
    reader = User.objects.create(email="reader@example.org", display_name="Reader Rui")
    group = Group.objects.create(
        name="Moving house", slug="moving-house", topic="Change", description="d", rules="r"
    )
    old.get_model("groups", "ChatRoomSettings").objects.create(
        group=group, slow_mode_seconds=30, last_seq=2
    )
    Message = old.get_model("groups", "ChatMessage")
    first = Message.objects.create(
        group=group, seq=1, author=author, client_id="client-0001-aaaa", body="Hello, room"
    )
    second = Message.objects.create(
        group=group,
        seq=2,
        author=author,
        client_id="client-0002-bbbb",
        body="Held words",
        moderation_state="held",
    )
    old.get_model("groups", "ChatPresence").objects.create(
        channel_name="specific.abc!def", group=group, user=reader
    )
    message_type, _created = old_type.objects.get_or_create(app_label="groups", model="chatmessage")
    case = old.get_model("moderation", "Case").objects.create(
        content_type=message_type, object_id=second.pk, group=group, subject=author
    )
    old.get_model("moderation", "Report").objects.create(
        reporter=reader, content_type=message_type, object_id=second.pk, case=case, reason="other"
    )
    old.get_model("moderation", "SafetyScan").objects.create(
        content_type=message_type, object_id=first.pk, group=group, author=author
    )
    return {"type": message_type.pk, "first": first.pk, "second": second.pk, "group": group.pk}


def test_moving_chat_to_its_own_app_keeps_messages_and_what_points_at_them():
    try:
        old = _migrate([BEFORE_THE_MOVE])
        assert connection.introspection.table_names().count("groups_chatmessage") == 1
        ids = _fill_the_old_schema(old)
    finally:
        _migrate()  # whatever happened, leave the database as the other tests expect it
    ContentType.objects.clear_cache()

    # The tables carry the chat app's names now, with every row.
    tables = connection.introspection.table_names()
    assert {"chat_chatmessage", "chat_chatpresence", "chat_chatroomsettings"} <= set(tables)
    assert not {"groups_chatmessage", "groups_chatpresence", "groups_chatroomsettings"} & set(
        tables
    )
    first, second = ChatMessage.objects.filter(group_id=ids["group"]).order_by("seq")
    assert (first.pk, first.body, first.is_shown) == (ids["first"], "Hello, room", True)
    assert (second.pk, second.moderation_state) == (ids["second"], ChatMessage.State.HELD)
    assert ChatRoomSettings.objects.get(pk=ids["group"]).last_seq == 2
    assert ChatPresence.objects.filter(group_id=ids["group"]).count() == 1

    # The content type kept its id and took the new label; nothing is left under the old one.
    message_type = ContentType.objects.get_for_model(ChatMessage)
    assert (message_type.pk, message_type.app_label) == (ids["type"], "chat")
    assert not ContentType.objects.filter(app_label="groups", model__startswith="chat").exists()
    assert Permission.objects.filter(
        content_type=message_type, codename="view_chatmessage"
    ).exists()

    # Reports, cases and scans still find the very message, and moderation still knows it.
    report = Report.objects.get(object_id=ids["second"])
    scan = SafetyScan.objects.get(object_id=ids["first"])
    case = Case.objects.get(object_id=ids["second"])
    for row, message in ((report, second), (case, second), (scan, first)):
        assert row.content_type.model_class() is ChatMessage
        assert row.content_type.get_object_for_this_type(pk=row.object_id) == message
    adapter = registry.adapter_for(ChatMessage)
    assert adapter.url(second).startswith("/groups/moving-house/chat/")
