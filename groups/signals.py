"""Hooks group core offers to the apps above it, so it never has to import them.

`membership_access_changed` is sent after commit whenever a member's access to a group changes
(they left, were muted, unmuted, removed or reinstated). Chat subscribes in ChatConfig.ready()
so the member's open sockets re-check what they may do.

`join_request_created` and `join_request_decided` (keyword argument: join_request_id) are sent
after commit by the join-request services; the notification centre subscribes in
NotificationsConfig.ready() to tell the facilitators and the requester.

`facilitator_role_changed` (keyword arguments: membership_id, appointed) is sent after commit
when an administrator appoints a facilitator or stops one facilitating; the notification centre
tells the person, in the app and by e-mail.
"""

from django.db import transaction
from django.dispatch import Signal

from .models import JoinRequest, Membership

# Keyword arguments: group_id, user_id. The sender is Membership.
membership_access_changed = Signal()
# Keyword argument: join_request_id. The sender is JoinRequest.
join_request_created = Signal()
join_request_decided = Signal()
# Keyword arguments: membership_id, appointed (bool). The sender is Membership.
facilitator_role_changed = Signal()


def membership_access_changed_send_on_commit(*, group_id: int, user_id: int) -> None:
    """Send `membership_access_changed` once the surrounding transaction commits."""
    transaction.on_commit(
        lambda: membership_access_changed.send(
            sender=Membership, group_id=group_id, user_id=user_id
        )
    )


def join_request_event_send_on_commit(signal: Signal, *, join_request_id: int) -> None:
    """Send a join-request event once the transaction commits; a failing receiver is logged."""
    transaction.on_commit(
        lambda: signal.send_robust(sender=JoinRequest, join_request_id=join_request_id)
    )


def facilitator_role_changed_send_on_commit(*, membership_id: int, appointed: bool) -> None:
    """Send `facilitator_role_changed` once the transaction commits; a failing receiver is logged."""
    transaction.on_commit(
        lambda: facilitator_role_changed.send_robust(
            sender=Membership, membership_id=membership_id, appointed=appointed
        )
    )
