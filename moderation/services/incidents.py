"""One incident, one dialog: hide or redact the item, warn and mute its author in a single
submission, with one private notice and one appeal that covers it all."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from peersupport.accounts.models import User

from ..models import Action, Case
from . import cases, members
from .base import ModerationError, _locked_case, _notice

CONTENT_STEPS = ("", Action.Kind.HIDE, Action.Kind.REDACT)


@transaction.atomic
def case_incident_act(
    *,
    actor: User,
    case: Case,
    reason: str,
    reason_code: str,
    note_to_author: str = "",
    content: str = "",
    new_text: str = "",
    warn: bool = False,
    mute: bool = False,
    mute_until: datetime | None = None,
) -> list[Action]:
    """Act on an incident in one go (item first, then warning, then mute) and send the member
    ONE notice listing everything, with one appeal link; the other actions are bundled under
    the first, so overturning it on appeal undoes them all. Each step re-checks permission
    and writes its own audit row; nothing is kept if one step is refused."""
    if content not in CONTENT_STEPS:
        raise ModerationError(_("Please choose what to do with the post."))
    if not (content or warn or mute):
        raise ModerationError(_("Please choose at least one thing to do."))
    case = _locked_case(case)
    if (warn or mute) and case.subject is None:
        raise ModerationError(_("This item has no author to warn or mute."))
    if mute and case.group is None:
        raise ModerationError(_("A member can only be muted in a group."))
    common = {
        "actor": actor,
        "case": case,
        "reason": reason,
        "reason_code": reason_code,
        "note_to_author": note_to_author,
        "tell": False,
    }
    done: list[Action] = []

    def bundle() -> Action | None:
        return done[0] if done else None

    if content == Action.Kind.HIDE:
        done.append(cases.content_hide(**common, bundle=bundle()))
    elif content == Action.Kind.REDACT:
        done.append(cases.content_redact(**common, new_text=new_text, bundle=bundle()))
    if warn:
        done.append(
            members.member_warn(**common, subject=case.subject, group=case.group, bundle=bundle())
        )
    if mute:
        done.append(
            members.member_mute(
                **common,
                subject=case.subject,
                group=case.group,
                until=mute_until,
                bundle=bundle(),
            )
        )
    primary = done[0]
    # The queue and the reporters see the first (heaviest on the item) outcome.
    Case.objects.filter(pk=case.pk).update(outcome=primary.kind)
    if case.subject is not None:
        _notice(
            action=primary,
            recipient=case.subject,
            headline=primary.headline,
            more=[action.headline for action in done[1:]],
        )
    return done
