"""Reads of safety plans for pages. Only the owner's own plan, or a share the viewer may read."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from groups.models import Group
from groups.permissions import (
    AnyUser,
    check_read_shared_plan,
    filter_groups_plan_shareable,
    filter_plan_shares_readable,
)

from . import crypto
from .content import PlanContent
from .models import SafetyPlan, SafetyPlanShare

FIRST_STEPS = 3


@dataclass(frozen=True)
class OwnPlan:
    plan: SafetyPlan | None
    content: PlanContent
    # A key that opens it is missing: say so kindly instead of showing an empty plan.
    unreadable: bool = False

    @property
    def exists(self) -> bool:
        return self.plan is not None and not self.content.is_empty


def plan_content(plan: SafetyPlan) -> PlanContent:
    return PlanContent.from_dict(crypto.decrypt(plan.ciphertext))


def safety_plan_get_for_owner(*, owner: AnyUser) -> OwnPlan:
    """The signed-in member's own plan (empty content when they have none yet)."""
    if owner is None or not owner.is_authenticated:
        return OwnPlan(plan=None, content=PlanContent())
    plan = SafetyPlan.objects.filter(owner=owner).first()
    if plan is None:
        return OwnPlan(plan=None, content=PlanContent())
    try:
        return OwnPlan(plan=plan, content=plan_content(plan))
    except crypto.PlanUnreadable:
        return OwnPlan(plan=plan, content=PlanContent(), unreadable=True)


def safety_plan_exists_for(*, owner: AnyUser) -> bool:
    """Whether the member has a plan (one query, nothing decrypted)."""
    if owner is None or not owner.is_authenticated:
        return False
    return SafetyPlan.objects.filter(owner=owner).exists()


def safety_plan_first_steps(*, owner: AnyUser) -> dict:
    """What the crisis panel shows the author: their first coping strategies and people."""
    own = safety_plan_get_for_owner(owner=owner)
    if not own.exists:
        return {"has_plan": False}
    return {
        "has_plan": True,
        "coping": own.content.coping[:FIRST_STEPS],
        "people": own.content.people[:FIRST_STEPS],
    }


def share_list_for_owner(*, plan: SafetyPlan | None) -> QuerySet[SafetyPlanShare]:
    """The owner's shares that still last, with their groups."""
    if plan is None:
        return SafetyPlanShare.objects.none()
    return (
        SafetyPlanShare.objects.filter(
            plan=plan, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("group")
        .order_by("expires_at")
    )


def groups_for_sharing(*, owner: AnyUser) -> QuerySet[Group]:
    return filter_groups_plan_shareable(Group.objects.all(), owner).order_by("name")


def share_list_for_facilitator(*, user: AnyUser) -> QuerySet[SafetyPlanShare]:
    """Plans shared now with the groups this person facilitates (names and times only)."""
    lasting = SafetyPlanShare.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
    return (
        filter_plan_shares_readable(lasting, user)
        .exclude(plan__owner=user)
        .select_related("group", "plan__owner")
        .order_by("expires_at")
    )


def share_get_for_viewer(*, user: AnyUser, token: str) -> tuple[SafetyPlanShare, PlanContent]:
    """A share the viewer may read now, with its plan; 404 otherwise."""
    share = (
        SafetyPlanShare.objects.select_related("plan__owner", "group").filter(token=token).first()
    )
    if share is None:
        raise Http404
    check_read_shared_plan(user, share)
    try:
        return share, plan_content(share.plan)
    except crypto.PlanUnreadable as exc:
        raise Http404 from exc
