"""What the moderation services share: their kind refusals, how they reach an item through its
registry adapter, lock and resolve a case, and tell a member privately what happened."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Group
from peersupport.accounts.models import User

from .. import registry, signals
from ..live import urgent_changed
from ..models import APPEALABLE_KINDS, Action, AuthorNotice, Case, HeldItem, Reason


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


def _content_of(case_or_item: Case | HeldItem) -> tuple[Any | None, registry.ModeratedContent]:
    """The item a case or held item is about (None if it is gone) and its adapter."""
    content_type = ContentType.objects.get_for_id(case_or_item.content_type_id)
    adapter = registry.adapter_for_content_type(content_type)
    model = content_type.model_class()
    obj = model._default_manager.filter(pk=case_or_item.object_id).first() if model else None
    return obj, adapter


def _require_content(case: Case) -> tuple[Any, registry.ModeratedContent]:
    obj, adapter = _content_of(case)
    if obj is None:
        raise ModerationError(_("This item no longer exists."))
    return obj, adapter


def _locked_case(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("group", "subject")
        .get(pk=case.pk)
    )


def _resolve(case: Case, outcome: str) -> None:
    case.status = Case.Status.RESOLVED
    case.outcome = outcome
    case.resolved_at = timezone.now()
    case.save(update_fields=["status", "outcome", "resolved_at"])
    urgent_changed(case)


def _in_group(title: str, group: Group | None) -> dict[str, str]:
    return {"title": title, "group": group.name if group else ""}


REASON_SENTENCES = {
    Reason.RISK: "They were worried about your safety, or someone else's, from what was written.",
    Reason.HARASSMENT: "It may have hurt or upset someone in the group.",
    Reason.HARMFUL_ADVICE: "It included advice that could be unsafe for others.",
    Reason.PERSONAL_INFO: "It shared personal information that could identify someone.",
    Reason.SPAM: "It looked like advertising or spam.",
    Reason.OTHER: "It didn't fit the group's rules.",
}


NOTE_LABELS = {
    "facilitator": "A note from the facilitator: %(note)s",
    "administrator": "A note from the administrator who looked again: %(note)s",
}


def _notice(
    *,
    action: Action,
    recipient: User | None,
    headline: str,
    more: list[str] | None = None,
    note_by: str = "facilitator",
    include_help: bool | None = None,
) -> AuthorNotice | None:
    """Tell the affected member privately and kindly what happened and why.

    `more` adds what else happened in the same incident (one notice, one appeal link).
    """
    if recipient is None:
        return None
    parts = [headline, *(more or [])]
    # Why, for a sanction only: "it may have hurt someone" does not belong with "it's back".
    if action.reason_code and action.kind in APPEALABLE_KINDS:
        parts.append(_(REASON_SENTENCES[Reason(action.reason_code)]))
    if action.note_to_author:
        parts.append(_(NOTE_LABELS[note_by]) % {"note": action.note_to_author})
    if action.kind in APPEALABLE_KINDS:
        parts.append(
            _("If you think this was a mistake, you can ask an administrator to look again, once.")
        )
    notice = AuthorNotice.objects.create(
        recipient=recipient,
        action=action,
        message="\n\n".join(parts),
        include_help=action.reason_code == Reason.RISK if include_help is None else include_help,
    )
    transaction.on_commit(
        lambda: signals.notice_created.send(
            AuthorNotice, notice_id=notice.pk, recipient_id=recipient.pk
        )
    )
    return notice
