import uuid

import pytest
from django.core.exceptions import PermissionDenied

from groups.chat import services as chat_services
from groups.chat.models import ChatMessage
from groups.chat.selectors import body_html
from groups.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def post(group, author, body="Hello", client_id=None):
    return chat_services.chat_message_post(
        group=group, author=author, body=body, client_id=client_id or uuid.uuid4().hex
    )


def test_messages_are_numbered_one_two_three_in_each_room(member, facilitator, group, other_group):
    elsewhere = MembershipFactory(group=other_group).user
    assert [post(group, member).message.seq, post(group, facilitator).message.seq] == [1, 2]
    assert post(other_group, elsewhere).message.seq == 1
    assert post(group, member).message.seq == 3


def test_post_broadcasts_once_after_commit_and_a_resend_broadcasts_nothing(
    member, group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = post(group, member, client_id="same-id-123")
    # One broadcast (the other after-commit callback is the safety scan's enqueue).
    broadcasts = [c for c in callbacks if "_broadcast_on_commit" in c.__qualname__]
    assert first.created and len(broadcasts) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        again = post(group, member, body="typed differently", client_id="same-id-123")
    assert not again.created and again.message.pk == first.message.pk and callbacks == []
    assert ChatMessage.objects.count() == 1


@pytest.mark.parametrize(
    "role, code",
    [("non_member", "forbidden"), ("removed_member", "forbidden"), ("muted_member", "cannot_post")],
)
def test_post_refuses_people_who_may_not_post(role, code, request, group):
    with pytest.raises(chat_services.ChatRefused) as refused:
        post(group, request.getfixturevalue(role))
    assert refused.value.code == code and refused.value.message
    assert ChatMessage.objects.count() == 0


def test_post_refuses_a_member_who_has_not_accepted_changed_rules(member, group):
    group.rules_version = 2
    group.save()
    with pytest.raises(chat_services.ChatRefused, match="rules"):
        post(group, member)


def test_flood_control_is_configurable(member, group, settings):
    settings.CHAT_FLOOD_MESSAGES = 2
    post(group, member)
    post(group, member)
    with pytest.raises(chat_services.ChatRefused) as refused:
        post(group, member)
    assert refused.value.code == "flood"
    assert ChatMessage.objects.count() == 2


def test_body_is_trimmed_and_limited_to_2000_characters(member, group):
    assert post(group, member, body="  hi  \r\n").message.body == "hi"
    post(group, member, body="x" * 2000)
    with pytest.raises(chat_services.ChatRefused, match="2000"):
        post(group, member, body="x" * 2001)


def test_body_html_escapes_everything_and_links_only_http_and_https():
    html = body_html(
        '<b>hi</b> see https://example.org/a?b=1&c=2. or javascript:alert(1) or http://x.test/"onmouseover=1'
    )
    assert "<b>" not in html and "&lt;b&gt;hi&lt;/b&gt;" in html
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer ugc">'
        in html
    )
    assert "</a>." in html
    assert 'href="javascript' not in html
    assert (
        'href="http://x.test/"' in html
        and "onmouseover=1" in html
        and '"onmouseover' not in html.replace("&quot;", "")
    )


def test_only_facilitators_delete_and_a_deletion_is_broadcast(
    member, facilitator, group, django_capture_on_commit_callbacks
):
    message = post(group, member).message
    with pytest.raises(PermissionDenied):
        chat_services.chat_message_delete(group=group, actor=member, seq=message.seq)
    with django_capture_on_commit_callbacks() as callbacks:
        chat_services.chat_message_delete(group=group, actor=facilitator, seq=message.seq)
    message.refresh_from_db()
    assert message.deleted_at is not None and message.deleted_by == facilitator
    # One broadcast to the room and one private notice to the author, both after commit.
    assert len(callbacks) == 2
    from moderation.models import AuditLogEntry

    assert (
        AuditLogEntry.objects.filter(
            action="content.remove", actor=facilitator, group=group
        ).count()
        == 1
    )


def test_mute_in_room_pauses_posting_until_the_chosen_time(
    member, facilitator, group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        chat_services.chat_member_mute(
            group=group, actor=facilitator, user_id=member.pk, mute_for="1h"
        )
    membership = Membership.objects.get(user=member, group=group)
    assert membership.status == Membership.Status.MUTED and membership.muted_until is not None
    # The access broadcast and the member's private notice; the mute is in the audit log.
    assert len(callbacks) == 2
    from moderation.models import AuditLogEntry

    assert (
        AuditLogEntry.objects.filter(action="member.mute", actor=facilitator, group=group).count()
        == 1
    )
    with pytest.raises(chat_services.ChatRefused, match="paused"):
        post(group, member)


def test_mute_refuses_members_facilitators_and_odd_durations(member, facilitator, group):
    with pytest.raises(PermissionDenied):
        chat_services.chat_member_mute(
            group=group, actor=member, user_id=facilitator.pk, mute_for="1h"
        )
    with pytest.raises(chat_services.ChatRefused):
        chat_services.chat_member_mute(
            group=group, actor=facilitator, user_id=facilitator.pk, mute_for="1h"
        )
    with pytest.raises(chat_services.ChatRefused):
        chat_services.chat_member_mute(
            group=group, actor=facilitator, user_id=member.pk, mute_for="7m"
        )


def test_slow_mode_and_facilitator_only_settings_apply_to_members(member, facilitator, group):
    chat_services.chat_room_settings_update(
        group=group, actor=facilitator, slow_mode_seconds=30, facilitator_only=False
    )
    post(group, member)
    with pytest.raises(chat_services.ChatRefused) as refused:
        post(group, member)
    assert refused.value.code == "slow_mode"
    chat_services.chat_room_settings_update(
        group=group, actor=facilitator, slow_mode_seconds=0, facilitator_only=True
    )
    with pytest.raises(chat_services.ChatRefused) as refused:
        post(group, member)
    assert refused.value.code == "closed"
    assert post(group, facilitator).created
    with pytest.raises(PermissionDenied):
        chat_services.chat_room_settings_update(
            group=group, actor=member, slow_mode_seconds=0, facilitator_only=False
        )


def test_a_mention_is_told_by_the_post_service_after_commit_not_by_saving_a_row(
    member, facilitator, group, django_capture_on_commit_callbacks
):
    from peersupport.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        # A row written some other way (demo data, a migration) tells nobody.
        ChatMessage.objects.create(
            group=group, seq=99, author=member, client_id="made-directly", body="@Facilitator Fen"
        )
    assert not Notification.objects.filter(recipient=facilitator).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(group, member, body="Thanks @Facilitator Fen")
    assert not Notification.objects.filter(recipient=facilitator).exists()  # not before commit
    for callback in callbacks:
        callback()
    assert Notification.objects.filter(recipient=facilitator).count() == 1
