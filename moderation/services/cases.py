"""Cases and what moderators do to the item a case is about: open (or join) a case, claim,
dismiss, hide, restore, redact, and remove an item straight away (chat)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Group
from groups.permissions import check_moderate_scope, check_read_group
from peersupport.accounts.models import User

from .. import registry, signals
from ..live import urgent_changed
from ..models import Action, Case
from .audit import audit_record
from .base import (
    ModerationError,
    _content_of,
    _in_group,
    _locked_case,
    _notice,
    _require_content,
    _resolve,
)


def _open_case(
    *,
    obj: Any,
    adapter: registry.ModeratedContent,
    source: str,
    detail: str = "",
    urgent: bool = False,
    described: dict[str, Any] | None = None,
) -> tuple[Case, bool]:
    """The open case for an item, created if needed (locked either way).

    `described` overrides how the case describes the item (group, subject, title, excerpt,
    noun); by default the adapter says.
    """
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
            existing.urgent_since = timezone.now()
            existing.save(update_fields=["is_urgent", "urgent_since"])
            urgent_changed(existing)
        return existing, False
    try:
        with transaction.atomic():
            case = Case.objects.create(
                content_type=content_type,
                object_id=obj.pk,
                **(described or _described(obj, adapter)),
                source=source,
                source_detail=detail[:200],
                is_urgent=urgent,
                urgent_since=timezone.now() if urgent else None,
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
    urgent_changed(case)
    return case, True


def _described(obj: Any, adapter: registry.ModeratedContent) -> dict[str, Any]:
    return {
        "group": adapter.group(obj),
        "subject": adapter.author(obj),
        "content_title": adapter.title(obj)[:200],
        "content_excerpt": adapter.excerpt(obj),
        "content_noun": adapter.noun,
        "content_warnings": ", ".join(adapter.warnings(obj))[:200],
    }


@transaction.atomic
def case_open(*, content: Any, source: str, detail: str = "", urgent: bool = False) -> Case:
    """Open (or join) a case without a report: watched-word flags and the safety scan."""
    adapter = registry.adapter_for(content)
    case, opened = _open_case(
        obj=content, adapter=adapter, source=source, detail=detail, urgent=urgent
    )
    audit_record(
        actor=None,
        action="case.open",
        target=content,
        group=case.group,
        reason=detail,
        after={"case": case.pk, "opened": opened, "urgent": case.is_urgent, "source": source},
    )
    return case


@transaction.atomic
def support_case_open(*, member: User, group: Group) -> Case:
    """The member asks, privately, for a facilitator of `group` to know they may need support:
    an urgent case about themself (joined if one is open); audited."""
    check_read_group(member, group)
    case, opened = _open_case(
        obj=member,
        adapter=registry.adapter_for(User),
        source=Case.Source.SUPPORT_REQUEST,
        detail=_("The member asked privately for support"),
        urgent=True,
        described={
            "group": group,
            "subject": member,
            "content_title": member.display_name[:200],
            "content_noun": _("member"),
            "content_excerpt": _("%(name)s asked for a facilitator to know they may need support.")
            % {"name": member.display_name},
        },
    )
    audit_record(
        actor=member,
        action="support.request",
        target=member,
        group=case.group,
        after={"case": case.pk, "opened": opened},
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
    urgent_changed(case)
    audit_record(
        actor=actor,
        action="case.claim",
        target=case,
        group=case.group,
        before=before,
        after={"status": case.status, "assignee": actor.pk},
    )
    return case


@transaction.atomic
def case_dismiss(
    *,
    actor: User,
    case: Case,
    reason: str,
    reason_code: str = "",
    note_to_author: str = "",
    no_outreach_reason: str = "",
) -> Action:
    """Close a case with no action; an item hidden while pending review comes back. A note to
    the member is delivered privately. An urgent case closes only with outreach recorded (a
    private message from the case) or the reason there was none."""
    check_moderate_scope(actor, case.group)
    case = _locked_case(case)
    no_outreach_reason = no_outreach_reason.strip()
    if (
        case.is_urgent
        and not no_outreach_reason
        and not case.staff_messages.filter(from_staff=True).exists()
    ):
        raise ModerationError(
            _(
                "Before closing a risk case with no action, please send the member a private "
                "message, or say why there was no outreach."
            )
        )
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
    if no_outreach_reason:
        reason = f"{reason}\n\n" + _("No outreach: %(why)s") % {"why": no_outreach_reason}
    action = Action.objects.create(
        case=case,
        actor=actor,
        subject=case.subject,
        group=case.group,
        kind=Action.Kind.DISMISS,
        reason_code=reason_code,
        reason=reason,
        note_to_author=note_to_author,
    )
    _resolve(case, Action.Kind.DISMISS)
    told = False
    if note_to_author.strip() and case.subject_id not in (None, actor.pk):
        # The lost note: a kind word sent with "no action" reaches the member too.
        if restored:
            headline = _("Good news: your post “%(title)s” is visible again.")
        else:
            headline = _("A facilitator of %(group)s has a note for you about “%(title)s”.")
        told = (
            _notice(
                action=action,
                recipient=case.subject,
                headline=headline % _in_group(case.content_title, case.group),
                include_help=case.is_urgent,
            )
            is not None
        )
    audit_record(
        actor=actor,
        action="case.dismiss",
        target=case,
        group=case.group,
        reason=reason,
        after={"status": case.status, "restored": restored, "told": told, "action": action.pk},
    )
    return action


@transaction.atomic
def content_hide(
    *,
    actor: User,
    case: Case,
    reason: str,
    reason_code: str = "",
    pending: bool = False,
    note_to_author: str = "",
    tell: bool = True,
    bundle: Action | None = None,
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
        bundle=bundle,
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
    action.headline = headline % _in_group(case.content_title, case.group)
    if tell:
        _notice(action=action, recipient=case.subject, headline=action.headline)
    audit_record(
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
def content_restore(
    *, actor: User, case: Case, reason: str, reason_code: str = "", note_to_author: str = ""
) -> Action:
    """Show a hidden item again and resolve the case; the author hears if it was hidden or a
    note was written to them."""
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
        reason_code=reason_code,
        reason=reason,
        note_to_author=note_to_author,
    )
    _resolve(case, Action.Kind.RESTORE)
    if not before["visible"]:
        headline = _("Good news: your post “%(title)s” is visible again.")
    else:
        headline = _("A facilitator of %(group)s has a note for you about “%(title)s”.")
    if not before["visible"] or note_to_author.strip():
        _notice(
            action=action,
            recipient=case.subject,
            headline=headline % _in_group(case.content_title, case.group),
            include_help=False,
        )
    audit_record(
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
    tell: bool = True,
    bundle: Action | None = None,
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
        bundle=bundle,
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
    action.headline = _("A facilitator has removed part of your post “%(title)s”.") % _in_group(
        case.content_title, case.group
    )
    if tell:
        _notice(action=action, recipient=case.subject, headline=action.headline)
    audit_record(
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
    audit_record(
        actor=actor,
        action="content.remove",
        target=content,
        group=group,
        reason=reason,
        before=before,
        after={"visible": False, "action": action.pk},
    )
    return action
