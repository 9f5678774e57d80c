"""A member appointed or no longer a facilitator is told, in the app and by e-mail.

Group core sends `groups.signals.facilitator_role_changed` after commit; this receiver is
connected in NotificationsConfig.ready(), so group core never imports the notification centre.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from groups import signals
from groups.models import Membership

from . import services as notifications
from .models import Kind


@transaction.atomic
def facilitator_role_changed_notify(membership_id: int, *, appointed: bool) -> None:
    """Tell the person their role changed, if it still stands (a quick undo tells nobody)."""
    membership = Membership.objects.select_related("group", "user").filter(pk=membership_id).first()
    if membership is None:
        return
    is_facilitator = membership.role == Membership.Role.FACILITATOR
    if is_facilitator != appointed:
        return
    if appointed:
        text = _(
            "You are now a facilitator of %(group)s. Thank you for volunteering: your review "
            "queue is under Moderation, and you can go off duty whenever you need a break."
        )
    else:
        text = _(
            "You are no longer a facilitator of %(group)s. You are still a member. Thank you "
            "for all you did for the group."
        )
    notifications.notify(
        recipient=membership.user,
        kind=Kind.ROLE_CHANGED,
        group=membership.group,
        url=reverse("groups:detail", kwargs={"slug": membership.group.slug}),
        text=text % {"group": membership.group.name},
    )


def _facilitator_role_changed(sender, *, membership_id: int, appointed: bool, **kwargs) -> None:
    facilitator_role_changed_notify(membership_id, appointed=appointed)


def connect() -> None:
    """Called once from NotificationsConfig.ready()."""
    signals.facilitator_role_changed.connect(
        _facilitator_role_changed, dispatch_uid="notify-facilitator-role-changed"
    )
