"""Appeals: the member a decision affected asks, once, for another administrator to look again;
an overturned decision is reversed through the same services that made it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Membership
from groups.permissions import check_decide_appeal
from peersupport.accounts.models import User

from .. import signals
from ..models import APPEALABLE_KINDS, Action, Appeal
from . import members
from .audit import audit_record
from .base import AlreadyAppealed, ModerationError, _content_of, _notice


@transaction.atomic
def appeal_create(*, author: User, action: Action, text: str) -> Appeal:
    """Ask administrators to look again at a decision, once per decision."""
    if action.subject_id != author.pk or action.kind not in APPEALABLE_KINDS:
        raise PermissionDenied(_("Only the member a decision affected can appeal it."))
    action = Action.objects.select_for_update().get(pk=action.pk)
    if Appeal.objects.filter(action=action).exists():
        raise AlreadyAppealed(_("You've already asked for this decision to be looked at again."))
    appeal = Appeal.objects.create(action=action, author=author, text=text)
    audit_record(
        actor=author,
        action="appeal.create",
        target=action,
        group=action.group,
        reason=text,
        after={"appeal": appeal.pk},
    )
    transaction.on_commit(lambda: signals.appeal_created.send(Appeal, appeal_id=appeal.pk))
    return appeal


def _undo(action: Action, *, actor: User, note: str) -> dict[str, Any]:
    """Reverse an overturned decision as far as it can be, through the services that own each
    part: groups for memberships (row locks; the member's open chat sockets are told) and the
    ban service for site access. A later decision (removed since the mute, say) is left alone.
    """
    undone: dict[str, Any] = {"kind": action.kind}
    if (
        action.kind in (Action.Kind.HIDE, Action.Kind.HIDE_PENDING, Action.Kind.REDACT)
        and action.case_id
    ):
        obj, adapter = _content_of(action.case)
        if obj is not None:
            if action.kind == Action.Kind.REDACT:
                adapter.redact(obj, new_text=action.original_text)
            else:
                adapter.restore(obj)
            undone["content"] = "restored"
    elif action.kind == Action.Kind.DECLINE_HELD and action.held_item_id:
        obj, adapter = _content_of(action.held_item)
        if obj is not None:
            adapter.release(obj)
            undone["content"] = "released"
    elif (
        action.kind in (Action.Kind.MUTE, Action.Kind.REMOVE)
        and action.group_id
        and action.subject_id
    ):
        undone["membership"] = _undo_membership(action, actor=actor, note=note)
    elif action.kind == Action.Kind.BAN and action.subject_id:
        subject = members.member_unban(actor=actor, subject=action.subject, reason=note)
        undone["is_active"] = subject.is_active
    return undone


def _undo_membership(action: Action, *, actor: User, note: str) -> str:
    membership = Membership.objects.filter(
        group_id=action.group_id, user_id=action.subject_id
    ).first()
    if membership is None:
        return "missing"
    if action.kind == Action.Kind.MUTE and membership.status == Membership.Status.MUTED:
        members.member_unmute(actor=actor, group=action.group, subject=action.subject, reason=note)
        return "active"
    if action.kind == Action.Kind.REMOVE and membership.status == Membership.Status.REMOVED:
        members.member_reinstate(
            actor=actor, group=action.group, subject=action.subject, reason=note
        )
        return "active"
    return "unchanged"


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, overturn: bool, note: str) -> Appeal:
    """An administrator (not the one who decided) upholds or overturns a decision."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related(
            "action", "action__case", "action__held_item", "action__group", "action__subject"
        )
        .get(pk=appeal.pk)
    )
    check_decide_appeal(actor, appeal.action.actor_id)
    if appeal.status != Appeal.Status.PENDING:
        raise ModerationError(_("This appeal has already been decided."))
    original = appeal.action
    note = note.strip()
    if not note:
        raise ModerationError(_("Please write a note to the member about your decision."))
    undone = _undo(original, actor=actor, note=note) if overturn else {}
    if overturn:
        # One incident, one appeal: the warning and mute given with it are undone too.
        bundled = [_undo(a, actor=actor, note=note) for a in original.bundled.order_by("pk")]
        if bundled:
            undone["bundled"] = bundled
    appeal.status = Appeal.Status.OVERTURNED if overturn else Appeal.Status.UPHELD
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.decision_note = note
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    action = Action.objects.create(
        case=original.case,
        held_item=original.held_item,
        actor=actor,
        subject=original.subject,
        group=original.group,
        kind=Action.Kind.APPEAL_OVERTURNED if overturn else Action.Kind.APPEAL_UPHELD,
        reason=note,
        note_to_author=note,
    )
    if overturn:
        headline = _(
            "An administrator looked again at your appeal and reversed the decision. Thank you for asking."
        )
    else:
        headline = _(
            "An administrator looked again at your appeal and decided to keep the decision as it was."
        )
    _notice(
        action=action,
        recipient=original.subject,
        headline=headline,
        note_by="administrator",
        include_help=False,
    )
    # The facilitator whose decision was appealed hears the outcome (moderation/notify.py).
    transaction.on_commit(lambda: signals.appeal_decided.send(Appeal, appeal_id=appeal.pk))
    audit_record(
        actor=actor,
        action="appeal.overturn" if overturn else "appeal.uphold",
        target=original,
        group=original.group,
        reason=note,
        before={"status": Appeal.Status.PENDING},
        after={"status": appeal.status, **undone},
    )
    return appeal
