"""Hooks group core offers to the apps above it, so it never has to import them.

`membership_access_changed` is sent after commit whenever a member's access to a group changes
(they left, were muted, unmuted, removed or reinstated). Chat subscribes in ChatConfig.ready()
so the member's open sockets re-check what they may do.
"""

from django.db import transaction
from django.dispatch import Signal

from .models import Membership

# Keyword arguments: group_id, user_id. The sender is Membership.
membership_access_changed = Signal()


def membership_access_changed_send_on_commit(*, group_id: int, user_id: int) -> None:
    """Send `membership_access_changed` once the surrounding transaction commits."""
    transaction.on_commit(
        lambda: membership_access_changed.send(
            sender=Membership, group_id=group_id, user_id=user_id
        )
    )
