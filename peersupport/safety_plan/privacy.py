"""The plan in its owner's data export, and gone with their account (SafetyPlanConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peersupport.accounts.privacy.registry import register_export_section
from peersupport.accounts.signals import account_purging

from . import crypto
from .models import SafetyPlan, SafetyPlanShare
from .selectors import plan_content


def collect_plan(user) -> list[dict]:  # noqa: ANN001 - the member
    """The member's own plan, decrypted for them alone, with its shares (groups and times)."""
    plan = SafetyPlan.objects.filter(owner=user).first()
    if plan is None:
        return []
    try:
        content = plan_content(plan)
    except crypto.PlanUnreadable:
        return [{"note": "This plan could not be decrypted with the site's current keys."}]
    # Plain text values (one item per line), as the export's page shows each value as text.
    row: dict = {
        "created": plan.created_at.isoformat(),
        "last_updated": plan.updated_at.isoformat(),
    }
    for step, items in content.steps():
        if step.contacts:
            lines = [" — ".join(part for part in (c.name, c.phone) if part) for c in items]
        else:
            lines = list(items)
        row[str(step.title)] = "\n".join(lines)
    row["shared_with_facilitators"] = "\n".join(
        f"{share.group.name}: {share.created_at.isoformat()} – "
        f"{(share.revoked_at or share.expires_at).isoformat()}"
        for share in SafetyPlanShare.objects.filter(plan=plan).select_related("group")
    )
    return [row]


def purge_member_plan(sender, *, user_id: int, **kwargs) -> None:  # noqa: ANN001
    """Inside the purge's transaction: the plan and every share of it go. Idempotent."""
    SafetyPlan.objects.filter(owner_id=user_id).delete()


def connect() -> None:
    register_export_section("safety_plan", _("Your safety plan"), collect_plan, order=15)
    account_purging.connect(purge_member_plan, dispatch_uid="safety-plan-account-purging")
