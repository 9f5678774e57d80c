"""Private messages between a group's facilitators and administrators and one member: written
from a case or the members page, answered by the member, audited both ways."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from groups.models import Group, Membership
from groups.permissions import check_moderate_group
from peersupport.accounts.models import User

from .. import signals
from ..models import Case, StaffMessage, StaffThread
from .audit import audit_record
from .base import ModerationError

MESSAGE_MAX = 2000


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ModerationError(_("Please write a message first."))
    if len(body) > MESSAGE_MAX:
        raise ModerationError(
            _("Please keep the message under %(n)d characters.") % {"n": MESSAGE_MAX}
        )
    return body


def _sent(message: StaffMessage) -> None:
    """The other side hears of it after commit (moderation/notify.py), ids only."""
    transaction.on_commit(
        lambda: signals.staff_message_sent.send(StaffMessage, message_id=message.pk)
    )


def _thread_for(group: Group, member: User) -> StaffThread:
    thread = StaffThread.objects.select_for_update().filter(group=group, member=member).first()
    if thread is not None:
        return thread
    try:
        with transaction.atomic():
            return StaffThread.objects.create(group=group, member=member)
    except IntegrityError:
        return StaffThread.objects.select_for_update().get(group=group, member=member)


@transaction.atomic
def staff_message_send(
    *, actor: User, group: Group, member: User, body: str, case: Case | None = None
) -> StaffMessage:
    """A facilitator or administrator writes privately to a member of `group` (from a case,
    the outreach is recorded on it); the member is told in-app without the text; audited."""
    check_moderate_group(actor, group)
    body = _clean_body(body)
    if member.pk == actor.pk:
        raise ModerationError(_("You can't send a private message to yourself."))
    if not Membership.objects.filter(group=group, user=member).exists():
        raise ModerationError(_("This person isn't a member of the group."))
    if case is not None and (case.group_id != group.pk or case.subject_id != member.pk):
        raise ModerationError(_("This case is about someone else."))
    thread = _thread_for(group, member)
    message = StaffMessage.objects.create(
        thread=thread, author=actor, from_staff=True, body=body, case=case
    )
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at"])
    audit_record(
        actor=actor,
        action="message.send",
        target=member,
        group=group,
        after={"thread": thread.pk, "message": message.pk, "case": case.pk if case else None},
    )
    _sent(message)
    return message


@transaction.atomic
def staff_message_reply(*, member: User, thread: StaffThread, body: str) -> StaffMessage:
    """The member answers their facilitators privately; the group's facilitators are told
    (administrators if the group has none)."""
    thread = StaffThread.objects.select_for_update().select_related("group").get(pk=thread.pk)
    if thread.member_id != member.pk:
        raise PermissionDenied
    body = _clean_body(body)
    message = StaffMessage.objects.create(thread=thread, author=member, from_staff=False, body=body)
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at"])
    audit_record(
        actor=member,
        action="message.reply",
        target=member,
        group=thread.group,
        after={"thread": thread.pk, "message": message.pk},
    )
    _sent(message)
    return message
