"""An overturned mute reaches the member's open chat socket live, like the mute did.

Here rather than in tests/moderation: these must run before the browser tests, which leave an
event loop in the main thread that async_to_sync refuses to share.
"""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from moderation import services
from tests.chat.helpers import next_of, open_socket, until
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_overturning_a_mute_tells_the_members_open_socket_they_can_post_again(
    member, facilitator, group
):
    action = services.member_mute(
        actor=facilitator, group=group, subject=member, until=None, reason="a pause"
    )
    appeal = services.appeal_create(author=member, action=action, text="I was upset, sorry.")
    other_admin = UserFactory(is_staff=True)

    async def scenario():
        communicator, connected, code = await open_socket(member, group.slug)
        assert connected, f"refused with {code}"
        try:
            frames = await until(communicator, "ready")
            assert [f["can_post"] for f in frames if f["type"] == "access"] == [False]
            await database_sync_to_async(services.appeal_decide)(
                actor=other_admin, appeal=appeal, overturn=True, note="Reversed."
            )
            assert (await next_of(communicator, "access"))["can_post"] is True
        finally:
            await communicator.disconnect()

    async_to_sync(scenario)()
