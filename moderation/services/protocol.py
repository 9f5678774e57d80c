"""The risk protocol on urgent cases: actions that support rather than sanction. Hand a case
over to administrators, plan a follow-up (the claimer is reminded when it is due)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.permissions import check_moderate_scope
from peersupport.accounts.models import User

from .. import signals
from ..models import Action, Case, CaseFollowUp
from .audit import audit_record
from .base import ModerationError, _locked_case


def _acknowledge(case: Case, actor: User) -> None:
    """Acting on an unclaimed case acknowledges it: it is claimed by the one who acted."""
    if case.status == Case.Status.OPEN:
        case.status = Case.Status.CLAIMED
        case.assignee = actor
        case.claimed_at = timezone.now()
        case.save(update_fields=["status", "assignee", "claimed_at"])


@transaction.atomic
def case_hand_over(*, actor: User, case: Case, note: str) -> Action:
    """Hand an open case over to administrators: after commit they are alerted at once with
    the same urgent alert as an escalation; the case stays open, recorded and audited."""
    check_moderate_scope(actor, case.group)
    case = _locked_case(case)
    if not case.is_open:
        raise ModerationError(_("This case is already resolved."))
    note = note.strip()
    if not note:
        raise ModerationError(_("Please say briefly what the administrators should know."))
    _acknowledge(case, actor)
    action = Action.objects.create(
        case=case,
        actor=actor,
        subject=case.subject,
        group=case.group,
        kind=Action.Kind.HANDOVER,
        reason=note,
    )
    audit_record(
        actor=actor,
        action="case.handover",
        target=case,
        group=case.group,
        reason=note,
        after={"case": case.pk, "action": action.pk},
    )
    transaction.on_commit(
        lambda: signals.case_handed_over.send(Action, action_id=action.pk, case_id=case.pk)
    )
    return action


@transaction.atomic
def case_follow_up_plan(
    *, actor: User, case: Case, due_at: datetime, note: str = ""
) -> CaseFollowUp:
    """Plan to look in on a case later: whoever claimed it (else the actor) is reminded when
    it is due. A time in the past is refused."""
    check_moderate_scope(actor, case.group)
    case = _locked_case(case)
    if due_at <= timezone.now():
        raise ModerationError(_("Please choose a time in the future."))
    _acknowledge(case, actor)
    owner = case.assignee or actor
    follow_up = CaseFollowUp.objects.create(case=case, owner=owner, due_at=due_at, note=note[:200])
    Action.objects.create(
        case=case,
        actor=actor,
        subject=case.subject,
        group=case.group,
        kind=Action.Kind.FOLLOW_UP,
        reason=note or _("Follow up planned."),
        until=due_at,
    )
    audit_record(
        actor=actor,
        action="case.follow_up",
        target=case,
        group=case.group,
        reason=note,
        after={"case": case.pk, "due_at": due_at.isoformat(), "owner": owner.pk},
    )
    return follow_up


@transaction.atomic
def case_follow_up_remind(*, follow_up_id: int, now: datetime | None = None) -> bool:
    """Remind the owner of a due follow-up, once (a second call does nothing)."""
    now = now or timezone.now()
    follow_up = (
        CaseFollowUp.objects.select_for_update(of=("self",))
        .select_related("case", "case__group", "owner")
        .filter(pk=follow_up_id)
        .first()
    )
    if follow_up is None or follow_up.reminded_at is not None or follow_up.due_at > now:
        return False
    follow_up.reminded_at = now
    follow_up.save(update_fields=["reminded_at"])
    transaction.on_commit(
        lambda: signals.follow_up_due.send(CaseFollowUp, follow_up_id=follow_up.pk)
    )
    audit_record(
        actor=None,
        action="case.follow_up_due",
        target=follow_up.case,
        group=follow_up.case.group,
        after={"case": follow_up.case_id, "owner": follow_up.owner_id},
    )
    return True
