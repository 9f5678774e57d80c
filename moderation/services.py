"""Every moderation write. Each service re-checks permission, runs in one transaction and
writes an AuditLogEntry in it; notifications are sent as signals after commit.

Content is reached only through `registry` adapters, so nothing here imports stories or chat.
Read-only checks that content services call before saving live in `screening` and are
re-exported here (`screen_text`, `held_post_should_hold`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import services as group_services
from groups.models import Group, Membership
from groups.permissions import (
    access_for,
    check_decide_appeal,
    check_moderate_group,
    check_moderate_scope,
    check_report_item,
    check_site_admin,
    is_site_admin,
)
from peersupport.accounts.models import User

from . import registry, signals
from .models import (
    APPEALABLE_KINDS,
    Action,
    Appeal,
    AuditLogEntry,
    AuthorNotice,
    Case,
    GroupModerationSettings,
    HeldItem,
    ModeratorNote,
    Reason,
    Report,
    SiteBan,
    WatchedWord,
)
from .screening import ScreenResult, held_post_should_hold, normalize_phrase, screen_text  # noqa: F401 - re-exported


class ModerationError(Exception):
    """A refusal with a kind, user-facing message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyReported(ModerationError):
    pass


class SelfReport(ModerationError):
    pass


class ReportRateLimited(ModerationError):
    pass


class AlreadyAppealed(ModerationError):
    pass


# --- helpers --------------------------------------------------------------------------------
def _audit(
    *,
    actor: User | None,
    action: str,
    target: Model | None = None,
    group: Group | None = None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLogEntry:
    return AuditLogEntry.objects.create(
        actor=actor,
        actor_repr=str(actor) if actor is not None else "system",
        action=action,
        target_content_type=ContentType.objects.get_for_model(target)
        if target is not None
        else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        group=group,
        reason=reason,
        before=before or {},
        after=after or {},
    )


def _content_of(case_or_item: Case | HeldItem) -> tuple[Any | None, registry.ModeratedContent]:
    content_type = ContentType.objects.get_for_id(case_or_item.content_type_id)
    adapter = registry.adapter_for_content_type(content_type)
    model = content_type.model_class()
    obj = model._default_manager.filter(pk=case_or_item.object_id).first() if model else None
    return obj, adapter


def _locked_case(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("group", "subject")
        .get(pk=case.pk)
    )


REASON_SENTENCES = {
    Reason.RISK: "They were worried about your safety, or someone else's, from what was written.",
    Reason.HARASSMENT: "It may have hurt or upset someone in the group.",
    Reason.HARMFUL_ADVICE: "It included advice that could be unsafe for others.",
    Reason.PERSONAL_INFO: "It shared personal information that could identify someone.",
    Reason.SPAM: "It looked like advertising or spam.",
    Reason.OTHER: "It didn't fit the group's rules.",
}


def _notice(*, action: Action, recipient: User | None, headline: str) -> AuthorNotice | None:
    """Tell the affected member privately and kindly what happened and why."""
    if recipient is None:
        return None
    parts = [headline]
    if action.reason_code:
        parts.append(_(REASON_SENTENCES[Reason(action.reason_code)]))
    if action.note_to_author:
        parts.append(_("A note from the facilitator: %(note)s") % {"note": action.note_to_author})
    if action.kind in APPEALABLE_KINDS:
        parts.append(
            _("If you think this was a mistake, you can ask an administrator to look again, once.")
        )
    notice = AuthorNotice.objects.create(
        recipient=recipient,
        action=action,
        message="\n\n".join(parts),
        include_help=action.reason_code == Reason.RISK,
    )
    transaction.on_commit(
        lambda: signals.notice_created.send(
            AuthorNotice, notice_id=notice.pk, recipient_id=recipient.pk
        )
    )
    return notice


def _resolve(case: Case, outcome: str) -> None:
    case.status = Case.Status.RESOLVED
    case.outcome = outcome
    case.resolved_at = timezone.now()
    case.save(update_fields=["status", "outcome", "resolved_at"])


def _in_group(title: str, group: Group | None) -> dict[str, str]:
    return {"title": title, "group": group.name if group else ""}


def _check_rate(reporter: User) -> None:
    limit, window = getattr(settings, "MODERATION_REPORT_RATE", (10, 600))
    key = f"moderation:reports:{reporter.pk}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise ReportRateLimited(
            _(
                "Thank you for looking out for the group. You've sent a lot of reports in a short time, "
                "so please wait a few minutes before sending another."
            )
        )


# --- reports and cases ----------------------------------------------------------------------
def _open_case(
    *,
    obj: Any,
    adapter: registry.ModeratedContent,
    source: str,
    detail: str = "",
    urgent: bool = False,
) -> tuple[Case, bool]:
    """The open case for an item, created if needed (locked either way)."""
    content_type = ContentType.objects.get_for_model(obj)
    existing = (
        Case.objects.select_for_update()
        .filter(content_type=content_type, object_id=obj.pk)
        .exclude(status=Case.Status.RESOLVED)
        .first()
    )
    if existing is not None:
        if urgent and not existing.is_urgent:
            existing.is_urgent = True
            existing.save(update_fields=["is_urgent"])
        return existing, False
    try:
        with transaction.atomic():
            case = Case.objects.create(
                content_type=content_type,
                object_id=obj.pk,
                group=adapter.group(obj),
                subject=adapter.author(obj),
                content_title=adapter.title(obj)[:200],
                content_excerpt=adapter.excerpt(obj),
                content_noun=adapter.noun,
                source=source,
                source_detail=detail[:200],
                is_urgent=urgent,
            )
    except IntegrityError:
        # Another request opened it a moment ago: join that one.
        case = Case.objects.select_for_update().get(
            content_type=content_type,
            object_id=obj.pk,
            status__in=[Case.Status.OPEN, Case.Status.CLAIMED],
        )
        return case, False
    transaction.on_commit(
        lambda: signals.case_opened.send(
            Case, case_id=case.pk, is_urgent=case.is_urgent, group_id=case.group_id
        )
    )
    return case, True


@transaction.atomic
def report_create(*, reporter: User, content: Any, reason: str, note: str = "") -> Report:
    """Report an item: one per reporter per item; opens or joins its case; may auto-hide it."""
    _check_rate(reporter)
    adapter = registry.adapter_for(content)
    group = adapter.group(content)
    check_report_item(reporter, group, visible=adapter.is_visible(content))
    author = adapter.author(content)
    if author is not None and author.pk == reporter.pk:
        raise SelfReport(
            _("This is your own post, so it can't be reported. You can edit or delete it instead.")
        )
    reason = Reason(reason)
    content_type = ContentType.objects.get_for_model(content)
    if Report.objects.filter(
        reporter=reporter, content_type=content_type, object_id=content.pk
    ).exists():
        raise AlreadyReported(
            _("You've already reported this. Thank you: the facilitators have it.")
        )
    case, opened = _open_case(
        obj=content, adapter=adapter, source=Case.Source.REPORT, urgent=reason == Reason.RISK
    )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                content_type=content_type,
                object_id=content.pk,
                case=case,
                reason=reason,
                note=note,
            )
    except IntegrityError:
        # A double click: the first request already made this report.
        raise AlreadyReported(
            _("You've already reported this. Thank you: the facilitators have it.")
        ) from None
    _audit(
        actor=reporter,
        action="report.create",
        target=content,
        group=group,
        reason=reason,
        after={"case": case.pk, "report": report.pk, "opened": opened},
    )
    _maybe_auto_hide(case=case, obj=content, adapter=adapter)
    transaction.on_commit(
        lambda: signals.report_created.send(
            Report, report_id=report.pk, case_id=case.pk, is_urgent=case.is_urgent
        )
    )
    return report


def _maybe_auto_hide(*, case: Case, obj: Any, adapter: registry.ModeratedContent) -> None:
    # Risk reports don't count: silencing someone in distress does harm; a person decides.
    threshold = getattr(settings, "MODERATION_AUTO_HIDE_REPORTS", 3)
    if not adapter.can_hide or not adapter.is_visible(obj):
        return
    reporters = case.reports.exclude(reason=Reason.RISK).values("reporter").distinct().count()
    if reporters < threshold:
        return
    adapter.hide(obj, pending=True)
    action = Action.objects.create(
        case=case,
        actor=None,
        subject=case.subject,
        group=case.group,
        kind=Action.Kind.HIDE_PENDING,
        reason=_("Hidden automatically after %(n)d members reported it.") % {"n": reporters},
    )
    _notice(
        action=action,
        recipient=case.subject,
        headline=_(
            "Your post “%(title)s” is hidden for now while a facilitator looks at it. Several members "
            "asked for it to be checked; nothing has been decided yet."
        )
        % _in_group(case.content_title, case.group),
    )
    _audit(
        actor=None,
        action="content.auto_hide",
        target=obj,
        group=case.group,
        reason=action.reason,
        before={"visible": True},
        after={"visible": False, "pending": True, "case": case.pk},
    )


@transaction.atomic
def case_open(*, content: Any, source: str, detail: str = "", urgent: bool = False) -> Case:
    """Open (or join) a case without a report: watched-word flags and the safety scan."""
    adapter = registry.adapter_for(content)
    case, opened = _open_case(
        obj=content, adapter=adapter, source=source, detail=detail, urgent=urgent
    )
    _audit(
        actor=None,
        action="case.open",
        target=content,
        group=case.group,
        reason=detail,
        after={"case": case.pk, "opened": opened, "urgent": case.is_urgent, "source": source},
    )
    return case


@transaction.atomic
def case_claim(*, actor: User, case: Case) -> Case:
    """Take a case so other moderators know someone is on it."""
    check_moderate_scope(actor, case.group)
    case = _locked_case(case)
    if not case.is_open:
        raise ModerationError(_("This case is already resolved."))
    before = {"status": case.status, "assignee": case.assignee_id}
    case.status = Case.Status.CLAIMED
    case.assignee = actor
    case.claimed_at = timezone.now()
    case.save(update_fields=["status", "assignee", "claimed_at"])
    _audit(
        actor=actor,
        action="case.claim",
        target=case,
        group=case.group,
        before=before,
        after={"status": case.status, "assignee": actor.pk},
    )
    return case


@transaction.atomic
def case_dismiss(*, actor: User, case: Case, reason: str) -> Case:
    """Close a case with no action; an item hidden while pending review comes back."""
    check_moderate_scope(actor, case.group)
    case = _locked_case(case)
    obj, adapter = _content_of(case)
    restored = False
    if (
        obj is not None
        and adapter.can_hide
        and not adapter.is_visible(obj)
        and case.actions.filter(kind=Action.Kind.HIDE_PENDING).exists()
    ):
        adapter.restore(obj)
        restored = True
    Action.objects.create(
        case=case,
        actor=actor,
        subject=case.subject,
        group=case.group,
        kind=Action.Kind.DISMISS,
        reason=reason,
    )
    _resolve(case, Action.Kind.DISMISS)
    _audit(
        actor=actor,
        action="case.dismiss",
        target=case,
        group=case.group,
        reason=reason,
        after={"status": case.status, "restored": restored},
    )
    return case


# --- content actions ------------------------------------------------------------------------
def _require_content(case: Case) -> tuple[Any, registry.ModeratedContent]:
    obj, adapter = _content_of(case)
    if obj is None:
        raise ModerationError(_("This item no longer exists."))
    return obj, adapter


@transaction.atomic
def content_hide(
    *,
    actor: User,
    case: Case,
    reason: str,
    reason_code: str = "",
    pending: bool = False,
    note_to_author: str = "",
) -> Action:
    """Hide the item (pending review keeps the case open; final resolves it) and tell the author."""
    check_moderate_scope(actor, case.group)
    case = _locked_case(case)
    obj, adapter = _require_content(case)
    if not adapter.can_hide:
        raise ModerationError(_("This kind of item can't be hidden."))
    before = {"visible": adapter.is_visible(obj)}
    adapter.hide(obj, pending=pending)
    kind = Action.Kind.HIDE_PENDING if pending else Action.Kind.HIDE
    action = Action.objects.create(
        case=case,
        actor=actor,
        subject=case.subject,
        group=case.group,
        kind=kind,
        reason_code=reason_code,
        reason=reason,
        note_to_author=note_to_author,
    )
    if pending:
        headline = _(
            "A facilitator has hidden your post “%(title)s” for now while they look at it."
        )
    else:
        headline = _("A facilitator has hidden your post “%(title)s”.")
        _resolve(case, Action.Kind.HIDE)
    _notice(
        action=action,
        recipient=case.subject,
        headline=headline % _in_group(case.content_title, case.group),
    )
    _audit(
        actor=actor,
        action="content.hide_pending" if pending else "content.hide",
        target=obj,
        group=case.group,
        reason=reason,
        before=before,
        after={"visible": False, "case": case.pk, "action": action.pk},
    )
    return action


@transaction.atomic
def content_restore(*, actor: User, case: Case, reason: str) -> Action:
    """Show a hidden item again and resolve the case."""
    check_moderate_scope(actor, case.group)
    case = _locked_case(case)
    obj, adapter = _require_content(case)
    if not adapter.can_hide:
        raise ModerationError(_("This kind of item can't be hidden or restored."))
    before = {"visible": adapter.is_visible(obj)}
    adapter.restore(obj)
    action = Action.objects.create(
        case=case,
        actor=actor,
        subject=case.subject,
        group=case.group,
        kind=Action.Kind.RESTORE,
        reason=reason,
    )
    _resolve(case, Action.Kind.RESTORE)
    if not before["visible"]:
        _notice(
            action=action,
            recipient=case.subject,
            headline=_("Good news: your post “%(title)s” is visible again.")
            % _in_group(case.content_title, case.group),
        )
    _audit(
        actor=actor,
        action="content.restore",
        target=obj,
        group=case.group,
        reason=reason,
        before=before,
        after={"visible": True, "case": case.pk},
    )
    return action


@transaction.atomic
def content_redact(
    *,
    actor: User,
    case: Case,
    new_text: str,
    reason: str,
    reason_code: str = "",
    note_to_author: str = "",
) -> Action:
    """Replace part of an item's text; the original is kept on the action and in the audit log."""
    check_moderate_scope(actor, case.group)
    case = _locked_case(case)
    obj, adapter = _require_content(case)
    if not adapter.can_redact:
        raise ModerationError(_("This kind of item can't be redacted."))
    original = adapter.text(obj)
    if new_text.strip() == original.strip():
        raise ModerationError(_("The text is unchanged. Edit the part to remove, then save."))
    action = Action.objects.create(
        case=case,
        actor=actor,
        subject=case.subject,
        group=case.group,
        kind=Action.Kind.REDACT,
        reason_code=reason_code,
        reason=reason,
        note_to_author=note_to_author,
        original_text=original,
    )
    adapter.redact(obj, new_text=new_text)
    case.content_excerpt = adapter.excerpt(obj)
    case.save(update_fields=["content_excerpt"])
    _resolve(case, Action.Kind.REDACT)
    _notice(
        action=action,
        recipient=case.subject,
        headline=_("A facilitator has removed part of your post “%(title)s”.")
        % _in_group(case.content_title, case.group),
    )
    _audit(
        actor=actor,
        action="content.redact",
        target=obj,
        group=case.group,
        reason=reason,
        before={"text": original},
        after={"text": new_text, "case": case.pk},
    )
    return action


@transaction.atomic
def content_remove(
    *, actor: User, content: Any, reason: str, reason_code: str = "", note_to_author: str = ""
) -> Action:
    """Remove an item straight away, without a case (chat's "Remove message"); the author is told."""
    adapter = registry.adapter_for(content)
    group = adapter.group(content)
    check_moderate_scope(actor, group)
    if not adapter.can_hide:
        raise ModerationError(_("This kind of item can't be hidden."))
    before = {"visible": adapter.is_visible(content)}
    adapter.hide(content, pending=False)
    author = adapter.author(content)
    action = Action.objects.create(
        actor=actor,
        subject=author,
        group=group,
        kind=Action.Kind.HIDE,
        reason_code=reason_code,
        reason=reason,
        note_to_author=note_to_author,
    )
    if author is not None and author.pk != actor.pk:
        _notice(
            action=action,
            recipient=author,
            headline=_("A facilitator has removed your %(noun)s in %(group)s.")
            % {"noun": _(adapter.noun), "group": group.name if group else _("Peer Support")},
        )
    _audit(
        actor=actor,
        action="content.remove",
        target=content,
        group=group,
        reason=reason,
        before=before,
        after={"visible": False, "action": action.pk},
    )
    return action


@transaction.atomic
def action_record(
    *,
    actor: User,
    action: str,
    target: Model,
    group: Group | None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLogEntry:
    """Audit a moderation setting another app changed itself (a thread's slow mode)."""
    check_moderate_scope(actor, group)
    return _audit(
        actor=actor,
        action=action,
        target=target,
        group=group,
        reason=reason,
        before=before,
        after=after,
    )


# --- member actions -------------------------------------------------------------------------
def _check_subject(actor: User, group: Group | None, subject: User) -> None:
    if subject.pk == actor.pk:
        raise ModerationError(_("You can't take this action on yourself."))
    # Facilitators don't act on each other; administrators can.
    if group is not None and access_for(subject, group).can_moderate and not is_site_admin(actor):
        raise PermissionDenied(_("Only an administrator can take this action on a facilitator."))
    if is_site_admin(subject) and not is_site_admin(actor):
        raise PermissionDenied(_("Only an administrator can take this action on an administrator."))


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
    _audit(
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
    _audit(
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
    _audit(
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
    _audit(
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
    _audit(
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
    _audit(
        actor=actor,
        action="member.ban",
        target=subject,
        group=None,
        reason=reason,
        before=before,
        after={"is_active": False},
    )
    return action


# --- held posts -----------------------------------------------------------------------------
@transaction.atomic
def held_item_create(*, content: Any, reason: str, detail: str = "") -> HeldItem:
    """Hold a new post for a facilitator (content services call this after saving it)."""
    adapter = registry.adapter_for(content)
    group = adapter.group(content)
    author = adapter.author(content)
    if group is None or author is None or not adapter.can_hold:
        raise ModerationError(_("This item can't be held for review."))
    content_type = ContentType.objects.get_for_model(content)
    existing = HeldItem.objects.filter(
        content_type=content_type, object_id=content.pk, status=HeldItem.Status.PENDING
    ).first()
    if existing is not None:
        return existing
    adapter.hold(content)
    item = HeldItem.objects.create(
        content_type=content_type,
        object_id=content.pk,
        group=group,
        author=author,
        reason=HeldItem.Reason(reason),
        detail=detail[:200],
        content_title=adapter.title(content)[:200],
        content_excerpt=adapter.excerpt(content),
    )
    _audit(
        actor=None,
        action="held.create",
        target=content,
        group=group,
        reason=reason,
        after={"held_item": item.pk},
    )
    transaction.on_commit(
        lambda: signals.held_item_created.send(HeldItem, held_item_id=item.pk, group_id=group.pk)
    )
    return item


def _locked_held(item: HeldItem) -> HeldItem:
    item = (
        HeldItem.objects.select_for_update(of=("self",))
        .select_related("group", "author")
        .get(pk=item.pk)
    )
    if item.status != HeldItem.Status.PENDING:
        raise ModerationError(_("A facilitator has already decided on this post."))
    return item


@transaction.atomic
def held_post_approve(*, actor: User, item: HeldItem, note: str = "") -> Action:
    """Publish a held post and tell its author."""
    check_moderate_group(actor, item.group)
    item = _locked_held(item)
    content_type = ContentType.objects.get_for_id(item.content_type_id)
    obj, adapter = _content_of(item)
    if obj is not None:
        adapter.release(obj)
    item.status = HeldItem.Status.APPROVED
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.note = note
    item.save(update_fields=["status", "decided_by", "decided_at", "note"])
    action = Action.objects.create(
        held_item=item,
        actor=actor,
        subject=item.author,
        group=item.group,
        kind=Action.Kind.APPROVE_HELD,
        reason=note or _("Approved."),
        note_to_author=note,
    )
    _notice(
        action=action,
        recipient=item.author,
        headline=_("Your post “%(title)s” has been approved and is now visible in %(group)s.")
        % _in_group(item.content_title, item.group),
    )
    _audit(
        actor=actor,
        action="held.approve",
        target=obj or item,
        group=item.group,
        reason=note,
        before={"status": HeldItem.Status.PENDING},
        after={"status": item.status, "content_type": content_type.pk},
    )
    return action


@transaction.atomic
def held_post_decline(*, actor: User, item: HeldItem, note: str, reason_code: str = "") -> Action:
    """Decline a held post with a note to its author; it stays unpublished."""
    check_moderate_group(actor, item.group)
    item = _locked_held(item)
    obj, _adapter = _content_of(item)
    item.status = HeldItem.Status.DECLINED
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.note = note
    item.save(update_fields=["status", "decided_by", "decided_at", "note"])
    action = Action.objects.create(
        held_item=item,
        actor=actor,
        subject=item.author,
        group=item.group,
        kind=Action.Kind.DECLINE_HELD,
        reason_code=reason_code,
        reason=note,
        note_to_author=note,
    )
    _notice(
        action=action,
        recipient=item.author,
        headline=_("Your post “%(title)s” wasn't published in %(group)s.")
        % _in_group(item.content_title, item.group),
    )
    _audit(
        actor=actor,
        action="held.decline",
        target=obj or item,
        group=item.group,
        reason=note,
        before={"status": HeldItem.Status.PENDING},
        after={"status": item.status},
    )
    return action


# --- appeals --------------------------------------------------------------------------------
@transaction.atomic
def appeal_create(*, author: User, action: Action, text: str) -> Appeal:
    """Ask administrators to look again at a decision, once per decision."""
    if action.subject_id != author.pk or action.kind not in APPEALABLE_KINDS:
        raise PermissionDenied(_("Only the member a decision affected can appeal it."))
    action = Action.objects.select_for_update().get(pk=action.pk)
    if Appeal.objects.filter(action=action).exists():
        raise AlreadyAppealed(_("You've already asked for this decision to be looked at again."))
    appeal = Appeal.objects.create(action=action, author=author, text=text)
    _audit(
        actor=author,
        action="appeal.create",
        target=action,
        group=action.group,
        reason=text,
        after={"appeal": appeal.pk},
    )
    transaction.on_commit(lambda: signals.appeal_created.send(Appeal, appeal_id=appeal.pk))
    return appeal


def _undo(action: Action) -> dict[str, Any]:
    """Reverse an overturned decision as far as it can be."""
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
        updated = Membership.objects.filter(
            group_id=action.group_id, user_id=action.subject_id
        ).update(
            status=Membership.Status.ACTIVE, muted_until=None, status_changed_at=timezone.now()
        )
        undone["membership"] = "active" if updated else "missing"
    elif action.kind == Action.Kind.BAN and action.subject_id:
        SiteBan.objects.filter(user_id=action.subject_id, lifted_at__isnull=True).update(
            lifted_at=timezone.now()
        )
        User.objects.filter(pk=action.subject_id).update(is_active=True)
        undone["is_active"] = True
    return undone


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, overturn: bool, note: str) -> Appeal:
    """An administrator (not the one who decided) upholds or overturns a decision."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("action", "action__case", "action__held_item")
        .get(pk=appeal.pk)
    )
    check_decide_appeal(actor, appeal.action.actor_id)
    if appeal.status != Appeal.Status.PENDING:
        raise ModerationError(_("This appeal has already been decided."))
    original = appeal.action
    undone = _undo(original) if overturn else {}
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
    _notice(action=action, recipient=original.subject, headline=headline)
    _audit(
        actor=actor,
        action="appeal.overturn" if overturn else "appeal.uphold",
        target=original,
        group=original.group,
        reason=note,
        before={"status": Appeal.Status.PENDING},
        after={"status": appeal.status, **undone},
    )
    return appeal


# --- watched words, notes, group settings ---------------------------------------------------
@transaction.atomic
def watched_word_create(
    *, actor: User, phrase: str, action: str, group: Group | None = None
) -> WatchedWord:
    """Watch a word or phrase site-wide (administrators) or in one group (its facilitators)."""
    if group is None:
        check_site_admin(actor)
    else:
        check_moderate_group(actor, group)
    normalized = normalize_phrase(phrase)
    if not normalized:
        raise ModerationError(_("Please enter a word or phrase with at least one letter."))
    if WatchedWord.objects.filter(group=group, normalized=normalized).exists():
        raise ModerationError(_("That word is already on the list."))
    word = WatchedWord.objects.create(
        phrase=phrase.strip(),
        normalized=normalized,
        group=group,
        action=WatchedWord.Action(action),
        created_by=actor,
    )
    _audit(
        actor=actor,
        action="watched_word.create",
        target=word,
        group=group,
        after={"phrase": word.phrase, "action": word.action},
    )
    return word


@transaction.atomic
def watched_word_delete(*, actor: User, word: WatchedWord) -> None:
    """Stop watching a word."""
    if word.group_id is None:
        check_site_admin(actor)
    else:
        check_moderate_group(actor, word.group)
    _audit(
        actor=actor,
        action="watched_word.delete",
        target=word,
        group=word.group,
        before={"phrase": word.phrase, "action": word.action},
    )
    word.delete()


@transaction.atomic
def moderator_note_create(*, actor: User, group: Group, subject: User, text: str) -> ModeratorNote:
    """Leave a note about a member for the group's facilitators and administrators."""
    check_moderate_group(actor, group)
    note = ModeratorNote.objects.create(group=group, subject=subject, author=actor, text=text)
    _audit(actor=actor, action="note.create", target=subject, group=group, after={"note": note.pk})
    return note


@transaction.atomic
def group_settings_update(
    *, actor: User, group: Group, premoderation: bool, thread_slow_mode_minutes: int
) -> GroupModerationSettings:
    """Turn pre-moderation on or off and set the default slow mode for story threads."""
    check_moderate_group(actor, group)
    current, _created = GroupModerationSettings.objects.select_for_update().get_or_create(
        group=group
    )
    before = {
        "premoderation": current.premoderation,
        "thread_slow_mode_minutes": current.thread_slow_mode_minutes,
    }
    current.premoderation = premoderation
    current.thread_slow_mode_minutes = thread_slow_mode_minutes
    current.save(update_fields=["premoderation", "thread_slow_mode_minutes"])
    _audit(
        actor=actor,
        action="group_settings.update",
        target=group,
        group=group,
        before=before,
        after={
            "premoderation": premoderation,
            "thread_slow_mode_minutes": thread_slow_mode_minutes,
        },
    )
    return current
