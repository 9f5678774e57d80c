"""Who hears about join requests, their answers and chat mentions. Run after commit, ids only.

Connected in GroupsConfig.ready() to post_save, so the group and chat services never need to know.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_init, post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from peersupport.notifications import services as notifications
from peersupport.notifications.mentions import mentioned_users
from peersupport.notifications.models import Kind

from . import permissions
from .chat.models import ChatMessage
from .models import JoinRequest

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


@transaction.atomic
def chat_message_mention_notify(message_id: int) -> None:
    """Tell members named with "@" in a chat message, if they can read the group."""
    message = ChatMessage.objects.select_related("group", "author").filter(pk=message_id).first()
    # A message held or taken down by moderation tells nobody (moderation tells facilitators).
    if (
        message is None
        or message.is_deleted
        or getattr(message, "moderation_state", "visible") != "visible"
    ):
        return
    group = message.group
    url = reverse("chat:room", kwargs={"slug": group.slug})
    for user in mentioned_users(message.body):
        if (
            user.pk == message.author_id
            or not user.is_active
            or not permissions.access_for(user, group).can_read
        ):
            continue
        notifications.notify(
            recipient=user,
            kind=Kind.MENTION,
            url=url,
            group=group,
            target=message,
            text=_("%(name)s mentioned you in the group chat.")
            % {"name": message.author.display_name},
        )


# --- signal receivers ------------------------------------------------------------------------
def _remember_status(sender, instance: JoinRequest, **kwargs) -> None:
    instance._notify_initial_status = instance.__dict__.get("status")


def _join_request_saved(
    sender, instance: JoinRequest, created: bool, raw: bool = False, **kwargs
) -> None:
    if raw:
        return
    pk, before = instance.pk, getattr(instance, "_notify_initial_status", None)
    if created and instance.status == JoinRequest.Status.PENDING:
        transaction.on_commit(lambda: join_request_created_notify(pk), robust=True)
    elif not created and before == JoinRequest.Status.PENDING and instance.status in _DECIDED:
        transaction.on_commit(lambda: join_request_decided_notify(pk), robust=True)
    instance._notify_initial_status = instance.status


def _chat_message_saved(
    sender, instance: ChatMessage, created: bool, raw: bool = False, **kwargs
) -> None:
    # Cheap check first: most chat messages mention nobody.
    if created and not raw and "@" in instance.body:
        pk = instance.pk
        transaction.on_commit(lambda: chat_message_mention_notify(pk), robust=True)


def connect() -> None:
    """Called once from GroupsConfig.ready()."""
    post_init.connect(_remember_status, sender=JoinRequest, dispatch_uid="notify-joinrequest-init")
    post_save.connect(
        _join_request_saved, sender=JoinRequest, dispatch_uid="notify-joinrequest-saved"
    )
    post_save.connect(_chat_message_saved, sender=ChatMessage, dispatch_uid="notify-chat-saved")
