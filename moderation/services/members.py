"""Member sanctions and notes: warn, mute, unmute, remove, reinstate, ban. Membership changes
go through groups.services (which lock the rows and tell the member's open chat sockets);
this module adds the case, the private notice and the audit row around them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import services as group_services
from groups.models import Group, Membership
from groups.permissions import (
    check_moderate_group,
    check_moderate_scope,
    check_site_admin,
    member_action_refusal,
)
from peersupport.accounts.models import User

from ..models import Action, Case, ModeratorNote, SiteBan
from .audit import audit_record
from .base import ModerationError, _locked_case, _notice, _resolve


def _check_subject(actor: User, group: Group | None, subject: User) -> None:
    # Who may act on whom is decided in groups.permissions; acting on oneself is a plain
    # mistake (a kind message), anything else is a refusal.
    reason = member_action_refusal(actor, group, subject)
    if not reason:
        return
    if subject.pk == actor.pk:
        raise ModerationError(reason)
    raise PermissionDenied(reason)


def _member_case(case: Case | None) -> Case | None:
    return _locked_case(case) if case is not None else None


@transaction.atomic
def member_warn(
    *,
    actor: User,
    subject: User,
    group: Group | None,
    reason: str,
    reason_code: str = "",
    note_to_author: str = "",
    case: Case | None = None,
) -> Action:
    """Send a member a private warning (in a group, or site-wide by an administrator)."""
    check_moderate_scope(actor, group)
    _check_subject(actor, group, subject)
    case = _member_case(case)
    action = Action.objects.create(
        case=case,
        actor=actor,
        subject=subject,
        group=group,
        kind=Action.Kind.WARN,
        reason_code=reason_code,
        reason=reason,
        note_to_author=note_to_author,
    )
    if case is not None:
        _resolve(case, Action.Kind.WARN)
    if group is not None:
        headline = _(
            "A facilitator of %(group)s would like to remind you of the group's rules."
        ) % {"group": group.name}
    else:
        headline = _("An administrator would like to remind you of the community's guidelines.")
    _notice(action=action, recipient=subject, headline=headline)
    audit_record(
        actor=actor,
        action="member.warn",
        target=subject,
        group=group,
        reason=reason,
        after={"action": action.pk},
    )
    return action


def _membership_call(
    service: Any, *, actor: User, membership: Membership, **kwargs: Any
) -> Membership:
    """Run a groups membership service, turning its refusals into moderation's kind errors."""
    try:
        return service(by=actor, membership=membership, **kwargs)
    except group_services.GroupActionRefused as exc:
        raise ModerationError(str(exc)) from None


def _current_membership(group: Group, subject: User) -> Membership:
    # Not locked here: groups.services locks the group, then the membership, in its own order.
    membership = Membership.objects.filter(group=group, user=subject).first()
    if membership is None or membership.status not in (
        Membership.Status.ACTIVE,
        Membership.Status.MUTED,
    ):
        raise ModerationError(_("This person isn't a member of the group."))
    return membership


@transaction.atomic
def member_mute(
    *,
    actor: User,
    group: Group,
    subject: User,
    until: datetime | None,
    reason: str,
    reason_code: str = "",
    note_to_author: str = "",
    case: Case | None = None,
) -> Action:
    """Pause a member's posting in a group (stories, replies, chat) until a time."""
    check_moderate_group(actor, group)
    _check_subject(actor, group, subject)
    if until is not None and until <= timezone.now():
        raise ModerationError(_("Please choose a time in the future."))
    case = _member_case(case)
    membership = _current_membership(group, subject)
    before = {
        "status": membership.status,
        "muted_until": membership.muted_until.isoformat() if membership.muted_until else None,
    }
    # groups owns membership changes (and tells the member's open chat sockets).
    membership = _membership_call(
        group_services.membership_mute, actor=actor, membership=membership, until=until
    )
    action = Action.objects.create(
        case=case,
        actor=actor,
        subject=subject,
        group=group,
        kind=Action.Kind.MUTE,
        reason_code=reason_code,
        reason=reason,
        note_to_author=note_to_author,
        until=until,
    )
    if case is not None:
        _resolve(case, Action.Kind.MUTE)
    if until is not None:
        headline = _(
            "A facilitator has paused your posting in %(group)s until %(until)s. You can still read."
        ) % {"group": group.name, "until": timezone.localtime(until).strftime("%d %B %Y, %H:%M")}
    else:
        headline = _(
            "A facilitator has paused your posting in %(group)s for now. You can still read."
        ) % {"group": group.name}
    _notice(action=action, recipient=subject, headline=headline)
    audit_record(
        actor=actor,
        action="member.mute",
        target=subject,
        group=group,
        reason=reason,
        before=before,
        after={"status": membership.status, "muted_until": until.isoformat() if until else None},
    )
    return action


@transaction.atomic
def member_remove(
    *,
    actor: User,
    group: Group,
    subject: User,
    reason: str,
    reason_code: str = "",
    note_to_author: str = "",
    case: Case | None = None,
) -> Action:
    """Remove a member from a group; they cannot rejoin by themselves."""
    check_moderate_group(actor, group)
    _check_subject(actor, group, subject)
    case = _member_case(case)
    membership = _current_membership(group, subject)
    before = {"status": membership.status}
    membership = _membership_call(
        group_services.membership_remove, actor=actor, membership=membership
    )
    action = Action.objects.create(
        case=case,
        actor=actor,
        subject=subject,
        group=group,
        kind=Action.Kind.REMOVE,
        reason_code=reason_code,
        reason=reason,
        note_to_author=note_to_author,
    )
    if case is not None:
        _resolve(case, Action.Kind.REMOVE)
    _notice(
        action=action,
        recipient=subject,
        headline=_("A facilitator has removed you from %(group)s.") % {"group": group.name},
    )
    audit_record(
        actor=actor,
        action="member.remove",
        target=subject,
        group=group,
        reason=reason,
        before=before,
        after={"status": membership.status},
    )
    return action


@transaction.atomic
def member_unmute(*, actor: User, group: Group, subject: User, reason: str = "") -> Membership:
    """Lift a member's mute early (through groups.services); audited."""
    check_moderate_group(actor, group)
    membership = _current_membership(group, subject)
    before = {"status": membership.status}
    membership = _membership_call(
        group_services.membership_unmute, actor=actor, membership=membership
    )
    audit_record(
        actor=actor,
        action="member.unmute",
        target=subject,
        group=group,
        reason=reason,
        before=before,
        after={"status": membership.status},
    )
    return membership


@transaction.atomic
def member_reinstate(*, actor: User, group: Group, subject: User, reason: str = "") -> Membership:
    """Welcome a removed member back (through groups.services); audited."""
    check_moderate_group(actor, group)
    membership = Membership.objects.filter(
        group=group, user=subject, status=Membership.Status.REMOVED
    ).first()
    if membership is None:
        raise ModerationError(_("This person hasn't been removed from the group."))
    membership = _membership_call(
        group_services.membership_reinstate, actor=actor, membership=membership
    )
    audit_record(
        actor=actor,
        action="member.reinstate",
        target=subject,
        group=group,
        reason=reason,
        before={"status": Membership.Status.REMOVED},
        after={"status": membership.status},
    )
    return membership


@transaction.atomic
def member_ban(
    *,
    actor: User,
    subject: User,
    reason: str,
    reason_code: str = "",
    note_to_author: str = "",
    case: Case | None = None,
) -> Action:
    """Ban a member from the whole site (administrators only): they can no longer sign in."""
    check_site_admin(actor)
    _check_subject(actor, None, subject)
    case = _member_case(case)
    subject = User.objects.select_for_update().get(pk=subject.pk)
    SiteBan.objects.create(user=subject, reason=reason, actor=actor)
    before = {"is_active": subject.is_active}
    subject.is_active = False
    subject.save(update_fields=["is_active"])
    action = Action.objects.create(
        case=case,
        actor=actor,
        subject=subject,
        group=case.group if case else None,
        kind=Action.Kind.BAN,
        reason_code=reason_code,
        reason=reason,
        note_to_author=note_to_author,
    )
    if case is not None:
        _resolve(case, Action.Kind.BAN)
    _notice(
        action=action,
        recipient=subject,
        headline=_("An administrator has closed your access to Peer Support."),
    )
    audit_record(
        actor=actor,
        action="member.ban",
        target=subject,
        group=None,
        reason=reason,
        before=before,
        after={"is_active": False},
    )
    return action


@transaction.atomic
def member_unban(*, actor: User, subject: User, reason: str = "") -> User:
    """Lift a member's site ban (administrators only): they can sign in again; audited.

    Nothing changes for someone with no ban in force (they may have closed their own account).
    """
    check_site_admin(actor)
    subject = User.objects.select_for_update().get(pk=subject.pk)
    before = {"is_active": subject.is_active}
    lifted = 0
    for ban in SiteBan.objects.select_for_update().filter(user=subject, lifted_at__isnull=True):
        ban.lifted_at = timezone.now()
        ban.save(update_fields=["lifted_at"])
        lifted += 1
    if lifted and not subject.is_active:
        subject.is_active = True
        subject.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="member.unban",
        target=subject,
        group=None,
        reason=reason,
        before=before,
        after={"is_active": subject.is_active, "bans_lifted": lifted},
    )
    return subject


@transaction.atomic
def moderator_note_create(*, actor: User, group: Group, subject: User, text: str) -> ModeratorNote:
    """Leave a note about a member for the group's facilitators and administrators."""
    check_moderate_group(actor, group)
    note = ModeratorNote.objects.create(group=group, subject=subject, author=actor, text=text)
    audit_record(
        actor=actor, action="note.create", target=subject, group=group, after={"note": note.pk}
    )
    return note
