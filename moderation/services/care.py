"""Volunteer care: after closing a risk case, a facilitator may say "this was hard", and an
administrator is told privately so they can check in. Audited like every moderation write, but
as a site-wide row (no group) without the note, so only administrators see it in the log."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from groups.permissions import check_moderate_scope
from peersupport.accounts.models import User

from ..models import Case, CaseDebrief
from .audit import audit_record
from .base import ModerationError

NOTE_MAX = 1000


def _tell_admins(debrief_id: int) -> None:
    from peersupport.notifications.models import Kind
    from peersupport.notifications.services import notify_site_admins

    debrief = (
        CaseDebrief.objects.select_related("facilitator", "case__group")
        .filter(pk=debrief_id)
        .first()
    )
    if debrief is None or debrief.case.group is None:
        return
    notify_site_admins(
        kind=Kind.CHECK_IN,
        url=reverse("moderation:group_workload", kwargs={"slug": debrief.case.group.slug}),
        target=debrief,
        group=debrief.case.group,
        exclude_user_id=debrief.facilitator_id,
        text=_("%(name)s closed a hard case and would welcome a check-in.")
        % {"name": debrief.facilitator.display_name},
    )


@transaction.atomic
def case_debrief_request(*, actor: User, case: Case, note: str = "") -> CaseDebrief:
    """Record that a closed risk case was hard for `actor`; after commit, tell administrators
    privately. Once per case and facilitator (asking again changes nothing)."""
    check_moderate_scope(actor, case.group)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ModerationError(_("Please keep the note under %(n)d characters.") % {"n": NOTE_MAX})
    if case.group is None or case.is_open or not case.is_urgent:
        raise ModerationError(_("This is offered after closing a case where someone was at risk."))
    existing = CaseDebrief.objects.filter(case=case, facilitator=actor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            debrief = CaseDebrief.objects.create(case=case, facilitator=actor, note=note)
    except IntegrityError:
        return CaseDebrief.objects.get(case=case, facilitator=actor)
    # group=None: the group's other facilitators, who can read its log, must not see this.
    audit_record(actor=actor, action="care.check_in", target=case, after={"case": case.pk})
    transaction.on_commit(lambda: _tell_admins(debrief.pk))
    return debrief
