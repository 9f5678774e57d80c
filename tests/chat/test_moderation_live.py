"""Moderation reaches people in the chat room live, over the real WebSocket router.

Here rather than in tests/moderation: these must run before the browser tests, which leave an
event loop in the main thread that async_to_sync refuses to share.
"""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.utils import timezone

from groups import services as group_services
from groups.chat.models import ChatMessage
from moderation import services
from moderation.models import Reason
from tests.chat.helpers import next_of, open_socket, send, until
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run(coro_fn):
    async_to_sync(coro_fn)()


async def ready(user, slug):
    communicator, connected, code = await open_socket(user, slug)
    assert connected, f"refused with {code}"
    await until(communicator, "ready")
    return communicator


def test_mute_through_moderation_tells_the_member_live_and_refuses_their_next_message(
    member, facilitator, group
):
    async def scenario():
        a = await ready(member, group.slug)
        try:
            await database_sync_to_async(services.member_mute)(
                actor=facilitator,
                group=group,
                subject=member,
                until=timezone.now() + timedelta(hours=1),
                reason="a pause",
            )
            access = await next_of(a, "access")
            assert access["can_post"] is False
            await send(a, "still here?")
            assert (await next_of(a, "error"))["code"] == "cannot_post"
            assert await database_sync_to_async(ChatMessage.objects.count)() == 0
        finally:
            await a.disconnect()

    run(scenario)


def test_remove_through_moderation_closes_the_members_socket(member, facilitator, group):
    async def scenario():
        a = await ready(member, group.slug)
        await database_sync_to_async(services.member_remove)(
            actor=facilitator, group=group, subject=member, reason="r"
        )
        removed = await next_of(a, "removed")
        assert "no longer a member" in removed["message"]
        assert await a.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}

    run(scenario)


def test_leaving_the_group_closes_the_members_own_socket(member, group):
    async def scenario():
        a = await ready(member, group.slug)
        await database_sync_to_async(group_services.membership_leave)(user=member, group=group)
        await next_of(a, "removed")
        assert await a.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}

    run(scenario)


def test_a_blocked_word_gets_an_error_frame_and_nothing_is_saved(member, admin, group):
    async def scenario():
        await database_sync_to_async(services.watched_word_create)(
            actor=admin, phrase="buy followers", action="block"
        )
        a = await ready(member, group.slug)
        try:
            client_id = await send(a, "buy followers cheap")
            error = await next_of(a, "error")
            assert error["code"] == "blocked" and error["client_id"] == client_id
            assert await database_sync_to_async(ChatMessage.objects.count)() == 0
        finally:
            await a.disconnect()

    run(scenario)


def test_hiding_and_restoring_a_reported_message_reaches_the_room_live(member, facilitator, group):
    async def scenario():
        reporter = await database_sync_to_async(lambda: MembershipFactory(group=group).user)()
        a = await ready(reporter, group.slug)
        try:
            await send(a, "placeholder")  # the reporter's own message, to get going
            await next_of(a, "message")
            from groups.chat import services as chat_services

            posted = await database_sync_to_async(chat_services.chat_message_post)(
                group=group, author=member, body="something unkind", client_id="unkindmessage1"
            )
            frame = await next_of(a, "message")
            assert frame["message"]["pk"] == posted.message.pk
            case = await database_sync_to_async(
                lambda: (
                    services.report_create(
                        reporter=reporter, content=posted.message, reason=Reason.HARASSMENT
                    ).case
                )
            )()
            await database_sync_to_async(services.content_hide)(
                actor=facilitator, case=case, reason="unkind"
            )
            deleted = await next_of(a, "deleted")
            assert deleted["id"] == posted.message.seq
            await database_sync_to_async(services.content_restore)(
                actor=facilitator, case=case, reason="on reflection, fine"
            )
            update = await next_of(a, "update")
            assert (
                update["message"]["id"] == posted.message.seq
                and "unkind" in update["message"]["html"]
            )
        finally:
            await a.disconnect()

    run(scenario)


def test_a_held_chat_message_shows_as_waiting_and_appears_when_approved(
    member, facilitator, admin, group
):
    async def scenario():
        await database_sync_to_async(services.watched_word_create)(
            actor=admin, phrase="miracle cure", action="hold"
        )
        a = await ready(member, group.slug)
        try:
            await send(a, "I found a miracle cure")
            held = (await next_of(a, "message"))["message"]
            assert (
                held["deleted"] is True
                and "waiting for a facilitator" in held["html"]
                and "miracle" not in held["html"]
            )
            from moderation.models import HeldItem

            item = await database_sync_to_async(HeldItem.objects.get)()
            await database_sync_to_async(services.held_post_approve)(actor=facilitator, item=item)
            update = await next_of(a, "update")
            assert update["message"]["deleted"] is False and "miracle" in update["message"]["html"]
        finally:
            await a.disconnect()

    run(scenario)
