"""Who hears about join requests and their answers. Run after commit, ids only.

The group services send `groups.signals.join_request_created` / `join_request_decided` after
commit; these receivers are connected in NotificationsConfig.ready(), so group core never
imports the notification centre.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from groups import signals
from groups.models import JoinRequest

from . import services as notifications
from .models import Kind

_DECIDED = frozenset({JoinRequest.Status.APPROVED, JoinRequest.Status.DECLINED})


@transaction.atomic
def join_request_created_notify(join_request_id: int) -> None:
    """Tell the group's facilitators someone asked to join."""
    request = JoinRequest.objects.select_related("group", "user").filter(pk=join_request_id).first()
    if request is None or request.status != JoinRequest.Status.PENDING:
        return
    notifications.notify_group_moderators(
        group=request.group,
        kind=Kind.JOIN_REQUEST,
        target=request,
        exclude_user_id=request.user_id,
        url=reverse("groups:requests", kwargs={"slug": request.group.slug}),
        text=_("%(name)s asked to join %(group)s.")
        % {"name": request.user.display_name, "group": request.group.name},
    )


@transaction.atomic
def join_request_decided_notify(join_request_id: int) -> None:
    """Tell the requester their request was answered (the kind note is on the group page)."""
    request = JoinRequest.objects.select_related("group", "user").filter(pk=join_request_id).first()
    if request is None or request.status not in _DECIDED:
        return
    if request.status == JoinRequest.Status.APPROVED:
        text = _("Welcome: your request to join %(group)s was approved.")
    else:
        text = _("A facilitator answered your request to join %(group)s.")
    notifications.notify(
        recipient=request.user,
        kind=Kind.JOIN_REQUEST_DECIDED,
        target=request,
        group=request.group,
        url=reverse("groups:detail", kwargs={"slug": request.group.slug}),
        text=text % {"group": request.group.name},
    )


# --- signal receivers ------------------------------------------------------------------------
def _join_request_created(sender, *, join_request_id: int, **kwargs) -> None:
    join_request_created_notify(join_request_id)


def _join_request_decided(sender, *, join_request_id: int, **kwargs) -> None:
    join_request_decided_notify(join_request_id)


def connect() -> None:
    """Called once from NotificationsConfig.ready()."""
    signals.join_request_created.connect(
        _join_request_created, dispatch_uid="notify-join-request-created"
    )
    signals.join_request_decided.connect(
        _join_request_decided, dispatch_uid="notify-join-request-decided"
    )
