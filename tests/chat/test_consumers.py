"""The chat WebSocket against the real router (origin check + session auth + URL router)."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from groups.chat import services as chat_services
from groups.chat.models import ChatMessage, ChatRoomSettings
from groups.models import Membership
from groups.signals import membership_access_changed_send_on_commit
from tests.chat.helpers import drain, messages_in, next_of, open_socket, recv, send, until
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run(coro_fn):
    async_to_sync(coro_fn)()


@database_sync_to_async
def count_messages(group=None) -> int:
    qs = ChatMessage.objects.all()
    return qs.filter(group=group).count() if group else qs.count()


@database_sync_to_async
def post(group, author, body):
    return chat_services.chat_message_post(
        group=group, author=author, body=body, client_id=f"seed{body:>8}".replace(" ", "x")
    )


async def ready(user, slug, last_id=None):
    communicator, connected, code = await open_socket(user, slug, last_id)
    assert connected, f"refused with {code}"
    frames = await until(communicator, "ready")
    return communicator, frames


@pytest.mark.parametrize(
    "role", ["visitor", "non_member", "removed_member", "pending_requester", "other_facilitator"]
)
def test_socket_refuses_people_who_cannot_read_the_group_before_accepting(role, request, group):
    user = request.getfixturevalue(role)

    async def scenario():
        communicator, connected, code = await open_socket(user, group.slug)
        assert (connected, code) == (False, 4403)
        await communicator.disconnect()

    run(scenario)


def test_socket_refuses_an_unknown_group_and_a_foreign_origin(member, group):
    async def scenario():
        communicator, connected, code = await open_socket(member, "no-such-group")
        assert (connected, code) == (False, 4403)
        await communicator.disconnect()
        communicator, connected, _code = await open_socket(
            member, group.slug, origin="https://evil.example"
        )
        assert connected is False
        await communicator.disconnect()

    run(scenario)


def test_member_message_is_saved_then_echoed_to_everyone_in_the_room(member, facilitator, group):
    async def scenario():
        a, _ = await ready(member, group.slug)
        b, _ = await ready(facilitator, group.slug)
        try:
            client_id = await send(a, "Hello everyone, see https://example.org/help.")
            mine = (await next_of(a, "message"))["message"]
            theirs = (await next_of(b, "message"))["message"]
            assert mine == theirs
            assert (
                mine["id"] == 1 and mine["client_id"] == client_id and mine["author"] == "Member Mo"
            )
            assert '<a href="https://example.org/help"' in mine["html"]
            assert await count_messages() == 1
        finally:
            await a.disconnect()
            await b.disconnect()

    run(scenario)


def test_resending_the_same_client_id_saves_and_broadcasts_once(member, facilitator, group):
    async def scenario():
        a, _ = await ready(member, group.slug)
        b, _ = await ready(facilitator, group.slug)
        try:
            client_id = await send(a, "Only once, please")
            await send(a, "Only once, please", client_id=client_id)
            first = (await next_of(a, "message"))["message"]
            second = (await next_of(a, "message"))["message"]
            assert first == second
            assert (await next_of(b, "message"))["message"]["id"] == first["id"]
            assert messages_in(await drain(b)) == []
            assert await count_messages() == 1
        finally:
            await a.disconnect()
            await b.disconnect()

    run(scenario)


def test_another_users_client_id_is_refused_and_nothing_is_saved(member, facilitator, group):
    async def scenario():
        a, _ = await ready(member, group.slug)
        b, _ = await ready(facilitator, group.slug)
        try:
            client_id = await send(a, "Mine")
            await next_of(a, "message")
            await next_of(b, "message")
            await send(b, "Trying to reuse it", client_id=client_id)
            error = await next_of(b, "error")
            assert error["code"] == "invalid"
            assert messages_in(await drain(a)) == []
            assert await count_messages() == 1
        finally:
            await a.disconnect()
            await b.disconnect()

    run(scenario)


@pytest.mark.parametrize(
    "raw, code",
    [
        ("{not json", "invalid"),
        (json.dumps(["a", "list"]), "invalid"),
        (json.dumps({"type": "shout", "body": "hi"}), "unknown_type"),
        (json.dumps({"type": "message", "client_id": "abcdefgh12", "body": "   "}), "empty"),
        (
            json.dumps({"type": "message", "client_id": "abcdefgh12", "body": "x" * 2001}),
            "too_long",
        ),
        (json.dumps({"type": "message", "client_id": "<script>", "body": "hi"}), "invalid"),
        (
            json.dumps({"type": "message", "client_id": "abcdefgh12", "body": {"html": "<b>"}}),
            "invalid",
        ),
    ],
)
def test_bad_frames_get_an_error_frame_keep_the_connection_and_save_nothing(
    raw, code, member, facilitator, group
):
    async def scenario():
        a, _ = await ready(member, group.slug)
        b, _ = await ready(facilitator, group.slug)
        try:
            await a.send_to(text_data=raw)
            error = await next_of(a, "error")
            assert error["code"] == code
            assert messages_in(await drain(b)) == []
            assert await count_messages() == 0
            await send(a, "Still here")
            assert (await next_of(a, "message"))["message"]["id"] == 1
        finally:
            await a.disconnect()
            await b.disconnect()

    run(scenario)


def test_reconnect_replays_everything_missed_in_order_without_duplicates(
    member, facilitator, group, settings
):
    settings.CHAT_FLOOD_MESSAGES = 100

    async def scenario():
        a, _ = await ready(member, group.slug)
        b, _ = await ready(facilitator, group.slug)
        try:
            await send(b, "before the drop")
            seen = messages_in(await until(a, "message"))
            await a.disconnect()
            for i in range(12):
                await send(b, f"while away {i}")
            for _ in range(12):
                await next_of(b, "message")
            a, frames = await ready(member, group.slug, last_id=seen[-1]["id"])
            replayed = messages_in(frames)
            assert [m["id"] for m in replayed] == list(range(2, 14))
            assert [m["html"] for m in replayed] == [f"while away {i}" for i in range(12)]
            assert frames[-1] == {"type": "ready", "last_id": 13}
            # Live delivery continues after the replay, with nothing repeated.
            await send(b, "welcome back")
            after = [f for f in await until(a, "message") if f["type"] == "message"]
            assert [m["message"]["id"] for m in after] == [14]
        finally:
            await a.disconnect()
            await b.disconnect()

    run(scenario)


def test_replay_is_bounded_and_tells_the_client_to_fetch_the_rest(
    member, facilitator, group, settings
):
    settings.CHAT_FLOOD_MESSAGES = 100
    settings.CHAT_REPLAY_LIMIT = 3

    async def scenario():
        for i in range(5):
            await post(group, facilitator, f"m{i}")
        a, frames = await ready(member, group.slug, last_id=0)
        try:
            assert [m["id"] for m in messages_in(frames)] == [1, 2, 3]
            assert {"type": "replay_truncated", "after": 3} in frames
        finally:
            await a.disconnect()

    run(scenario)


def test_flood_control_sends_an_error_frame_and_keeps_the_connection(member, group, settings):
    settings.CHAT_FLOOD_MESSAGES = 3
    settings.CHAT_FLOOD_SECONDS = 60

    async def scenario():
        a, _ = await ready(member, group.slug)
        try:
            for i in range(3):
                await send(a, f"quick {i}")
                await next_of(a, "message")
            client_id = await send(a, "one too many")
            error = await next_of(a, "error")
            assert error["code"] == "flood" and error["client_id"] == client_id
            assert await count_messages() == 3
            await a.send_to(text_data=json.dumps({"type": "show_name", "value": True}))
            # A presence update from connecting may still be on its way; the next few room
            # frames must show the name (bounded).
            names = []
            for _ in range(5):
                names = (await next_of(a, "room"))["names"]
                if names:
                    break
            assert names == ["Member Mo"]
        finally:
            await a.disconnect()

    run(scenario)


def test_slow_mode_allows_one_message_per_interval_for_members_not_facilitators(
    member, facilitator, group
):
    async def scenario():
        await database_sync_to_async(chat_services.chat_room_settings_update)(
            group=group, actor=facilitator, slow_mode_seconds=60, facilitator_only=False
        )
        a, _ = await ready(member, group.slug)
        f, _ = await ready(facilitator, group.slug)
        try:
            await send(a, "first")
            await next_of(a, "message")
            await send(a, "second")
            assert (await next_of(a, "error"))["code"] == "slow_mode"
            await send(f, "facilitators are not slowed")
            await send(f, "see")
            ids = [(await next_of(f, "message"))["message"]["id"] for _ in range(3)]
            assert ids == [1, 2, 3]
            assert await count_messages() == 3
        finally:
            await a.disconnect()
            await f.disconnect()

    run(scenario)


def test_a_message_never_reaches_another_groups_room(member, group, other_group):
    async def scenario():
        elsewhere = await database_sync_to_async(
            lambda: MembershipFactory(group=other_group, user=UserFactory()).user
        )()
        a, _ = await ready(member, group.slug)
        b, _ = await ready(elsewhere, other_group.slug)
        try:
            await send(a, "private to this group")
            await next_of(a, "message")
            assert messages_in(await drain(b)) == []
            _c, connected, code = await open_socket(elsewhere, group.slug)
            assert (connected, code) == (False, 4403)
            await _c.disconnect()
        finally:
            await a.disconnect()
            await b.disconnect()

    run(scenario)


def test_member_removed_while_connected_is_told_and_disconnected(member, group):
    @database_sync_to_async
    def remove():
        from django.db import transaction

        with transaction.atomic():
            Membership.objects.filter(user=member, group=group).update(
                status=Membership.Status.REMOVED
            )
            membership_access_changed_send_on_commit(group_id=group.pk, user_id=member.pk)

    async def scenario():
        a, _ = await ready(member, group.slug)
        await remove()
        frames = await until(a, "removed")
        assert "no longer a member" in frames[-1]["message"]
        assert await a.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
        await a.disconnect()

    run(scenario)


def test_member_muted_in_the_room_is_told_live_and_refused_on_send(member, facilitator, group):
    async def scenario():
        a, _ = await ready(member, group.slug)
        try:
            await database_sync_to_async(chat_services.chat_member_mute)(
                group=group, actor=facilitator, user_id=member.pk, mute_for="15m"
            )
            access = await next_of(a, "access")
            assert access["can_post"] is False and "paused" in access["message"]
            await send(a, "can I still talk?")
            assert (await next_of(a, "error"))["code"] == "cannot_post"
            assert await count_messages() == 0
        finally:
            await a.disconnect()

    run(scenario)


def test_facilitator_removal_of_a_message_reaches_the_room_live(member, facilitator, group):
    async def scenario():
        a, _ = await ready(member, group.slug)
        try:
            await send(a, "something unkind")
            message = (await next_of(a, "message"))["message"]
            await database_sync_to_async(chat_services.chat_message_delete)(
                group=group, actor=facilitator, seq=message["id"]
            )
            deleted = await next_of(a, "deleted")
            assert deleted["id"] == message["id"] and "Removed by a facilitator" in deleted["text"]
        finally:
            await a.disconnect()
        # A reconnecting client gets the removal, never the text.
        b, frames = await ready(member, group.slug, last_id=0)
        try:
            replayed = messages_in(frames)[0]
            assert replayed["deleted"] is True and "unkind" not in json.dumps(replayed)
        finally:
            await b.disconnect()

    run(scenario)


def test_room_open_only_with_a_facilitator_present(member, facilitator, group):
    async def scenario():
        await database_sync_to_async(ChatRoomSettings.objects.create)(
            group=group, facilitator_only=True
        )
        a, frames = await ready(member, group.slug)
        try:
            room = await next_of(a, "room")
            assert room["open"] is False and room["count"] == 1
            await send(a, "anyone here?")
            assert (await next_of(a, "error"))["code"] == "closed"
            f, _ = await ready(facilitator, group.slug)
            room = await next_of(a, "room")
            assert room["open"] is True and room["count"] == 2 and room["names"] == []
            await send(a, "hello now")
            assert (await next_of(a, "message"))["message"]["id"] == 1
            await f.disconnect()
            assert (await next_of(a, "room"))["open"] is False
        finally:
            await a.disconnect()

    run(scenario)


def test_muted_member_may_read_but_is_told_they_cannot_post(muted_member, group):
    async def scenario():
        a, frames = await ready(muted_member, group.slug)
        try:
            access = next(f for f in frames if f["type"] == "access")
            assert access["can_post"] is False
            await send(a, "hi")
            assert (await next_of(a, "error"))["code"] == "cannot_post"
        finally:
            await a.disconnect()

    run(scenario)


def test_a_broadcast_lost_by_the_channel_layer_is_filled_from_the_database(
    member, facilitator, group, settings
):
    settings.CHAT_FLOOD_MESSAGES = 100

    @database_sync_to_async
    def post_silently(body: str) -> int:
        # Saved, but its broadcast never happens: as if the channel layer dropped it.
        from django.db import transaction

        with transaction.atomic():
            result = chat_services.chat_message_post(
                group=group, author=facilitator, body=body, client_id=f"lost-{body}-x"
            )
            transaction.get_connection().run_on_commit = []
        return result.message.seq

    async def scenario():
        a, _ = await ready(member, group.slug)
        try:
            assert await post_silently("dropped1") == 1
            assert await post_silently("dropped2") == 2
            await send(a, "the next one")
            frames = await until(a, "message")
            frames += [await recv(a), await recv(a)]
            assert [m["id"] for m in messages_in(frames)] == [1, 2, 3]
            assert messages_in(await drain(a)) == []
        finally:
            await a.disconnect()

    run(scenario)


def test_a_sync_frame_sends_what_a_quiet_room_dropped_and_nothing_twice(
    member, facilitator, group, settings
):
    settings.CHAT_FLOOD_MESSAGES = 100

    @database_sync_to_async
    def post_silently(body: str) -> int:
        # Saved, but its broadcast never happens, and nothing comes after it to reveal the gap.
        from django.db import transaction

        with transaction.atomic():
            result = chat_services.chat_message_post(
                group=group, author=facilitator, body=body, client_id="quietroomxyz"
            )
            transaction.get_connection().run_on_commit = []
        return result.message.seq

    async def scenario():
        a, _ = await ready(member, group.slug)
        try:
            assert await post_silently("last words") == 1
            assert messages_in(await drain(a)) == []
            await a.send_to(text_data=json.dumps({"type": "sync"}))
            assert [m["html"] for m in messages_in(await drain(a))] == ["last words"]
            await a.send_to(text_data=json.dumps({"type": "sync"}))
            assert messages_in(await drain(a)) == []
        finally:
            await a.disconnect()

    run(scenario)


def test_member_who_deletes_their_account_is_disconnected_at_once(member, group):
    from peersupport.accounts import deletion

    async def scenario():
        a, _ = await ready(member, group.slug)
        await database_sync_to_async(deletion.account_deletion_request)(
            user=member, choice="remove_all"
        )
        frames = await until(a, "removed")
        assert "signed out" in frames[-1]["message"]
        assert await a.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
        await a.disconnect()

    run(scenario)
