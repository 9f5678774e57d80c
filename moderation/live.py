"""The urgent banner, live: facilitators see at once when an urgent case is waiting unclaimed,
and it clears for all of them as soon as one claims it.

The state rides on the notifications socket (`notifications.live`); moderation registers it in
`ModerationConfig.ready()` and asks for a refresh after any change to an urgent case.
"""

from __future__ import annotations

from django.db import transaction

from groups.models import Membership
from peersupport.accounts.models import User
from peersupport.notifications.live import push_state_refresh, register_state

from .models import Case
from .selectors import urgent_banner_for


def urgent_state(user_id: int) -> dict | None:
    """The banner's state for one user: {"count", "url"}, or None if they facilitate nothing."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    banner = urgent_banner_for(user)
    if banner is None:
        return None
    return {"count": banner.count, "url": banner.url}


def urgent_changed(case: Case) -> None:
    """Inside a service's transaction: after commit, refresh the banner of the group's
    facilitators (an urgent case opened, became urgent, was claimed or closed)."""
    if not case.is_urgent or case.group_id is None:
        return
    group_id = case.group_id

    def refresh() -> None:
        push_state_refresh(
            Membership.objects.filter(
                group_id=group_id, role=Membership.Role.FACILITATOR
            ).values_list("user_id", flat=True)
        )

    transaction.on_commit(refresh)


def connect() -> None:
    """Called once from ModerationConfig.ready()."""
    register_state("urgent", urgent_state)
