"""The append-only audit log: every moderation write records itself here, in its transaction."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model

from groups.models import Group
from groups.permissions import check_moderate_scope
from peersupport.accounts.models import User

from ..models import AuditLogEntry


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: Model | None = None,
    group: Group | None = None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLogEntry:
    """Append one row to the audit log (actor None: the system). Call it inside the write's
    transaction, after the write's own permission check: it checks nothing itself."""
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
    """Audit a moderation setting another app changed itself (a thread's slow mode); the actor
    must moderate the scope."""
    check_moderate_scope(actor, group)
    return audit_record(
        actor=actor,
        action=action,
        target=target,
        group=group,
        reason=reason,
        before=before,
        after=after,
    )
