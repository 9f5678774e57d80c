"""Audit the safety plan's shares (ModerationConfig.ready): who showed their plan to which
group's facilitators, and when it was stopped. Never anything of the plan itself."""

from __future__ import annotations

from django.utils.translation import gettext as _

from peersupport.safety_plan.signals import plan_share_changed

from .services.audit import audit_record

ACTIONS = {"created": "safety_plan.share", "revoked": "safety_plan.share_revoke"}


def audit_plan_share(sender, *, share, actor, action: str, **kwargs) -> None:  # noqa: ANN001
    """Inside the share's transaction, so the row commits with it (or not at all)."""
    reason = (
        _("The member shared their safety plan with this group's facilitators for 24 hours.")
        if action == "created"
        else _("The member stopped sharing their safety plan.")
    )
    audit_record(
        actor=actor,
        action=ACTIONS[action],
        target=share,
        group=share.group,
        reason=reason,
        after={
            "expires_at": share.expires_at.isoformat(),
            "revoked_at": share.revoked_at.isoformat() if share.revoked_at else None,
        },
    )


def connect() -> None:
    plan_share_changed.connect(audit_plan_share, dispatch_uid="moderation-audit-plan-share")
