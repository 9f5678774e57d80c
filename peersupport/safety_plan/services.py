"""Every write to safety plans. Plan text is never logged, audited or put in a message."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from groups.models import Group
from groups.permissions import check_share_plan_with
from peersupport.accounts.models import User

from . import crypto
from .content import PlanContent
from .models import SafetyPlan, SafetyPlanShare
from .signals import plan_share_changed

SHARE_DURATION = timedelta(hours=24)


@transaction.atomic
def safety_plan_save(*, owner: User, content: PlanContent) -> SafetyPlan:
    """Write the owner's plan (encrypted with the newest key); half-done plans are fine."""
    now = timezone.now()
    ciphertext = crypto.encrypt(content.to_dict())
    plan = SafetyPlan.objects.select_for_update().filter(owner=owner).first()
    if plan is None:
        return SafetyPlan.objects.create(
            owner=owner, ciphertext=ciphertext, created_at=now, updated_at=now
        )
    plan.ciphertext = ciphertext
    plan.updated_at = now
    plan.save(update_fields=["ciphertext", "updated_at"])
    return plan


@transaction.atomic
def safety_plan_delete(*, owner: User) -> bool:
    """Remove the owner's plan and every share of it; True when there was one."""
    deleted, _ = SafetyPlan.objects.filter(owner=owner).delete()
    return bool(deleted)


@transaction.atomic
def safety_plan_share_create(*, owner: User, group: Group) -> SafetyPlanShare:
    """Show the owner's plan to one group's facilitators for 24 hours; audited (moderation
    listens to `plan_share_changed` in this transaction). An active share for the same group is
    returned as it is, so a double click shares once."""
    check_share_plan_with(owner, group)
    plan = SafetyPlan.objects.select_for_update().filter(owner=owner).first()
    if plan is None:
        raise Http404
    now = timezone.now()
    active = (
        SafetyPlanShare.objects.filter(
            plan=plan, group=group, revoked_at__isnull=True, expires_at__gt=now
        )
        .select_related("plan", "group")
        .first()
    )
    if active is not None:
        return active
    share = SafetyPlanShare.objects.create(
        plan=plan, group=group, created_at=now, expires_at=now + SHARE_DURATION
    )
    plan_share_changed.send(sender=SafetyPlanShare, share=share, actor=owner, action="created")
    return share


@transaction.atomic
def safety_plan_share_revoke(*, owner: User, share_id: int) -> SafetyPlanShare:
    """End a share at once (only its owner may); audited like its creation. Idempotent."""
    share = (
        SafetyPlanShare.objects.select_for_update()
        .select_related("plan", "group")
        .filter(pk=share_id, plan__owner=owner)
        .first()
    )
    if share is None:
        raise Http404
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        plan_share_changed.send(sender=SafetyPlanShare, share=share, actor=owner, action="revoked")
    return share


def safety_plan_reencrypt_all(*, batch_size: int = 200) -> tuple[int, int]:
    """Re-encrypt every plan with the newest key, one row lock at a time, so a rotated-out key
    can then be removed. Returns (re-encrypted, unreadable); unreadable plans are left as they
    are, never overwritten."""
    done = unreadable = 0
    ids = list(SafetyPlan.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        for pk in ids[start : start + batch_size]:
            with transaction.atomic():
                plan = SafetyPlan.objects.select_for_update().filter(pk=pk).first()
                if plan is None:
                    continue
                try:
                    plan.ciphertext = crypto.rotate(plan.ciphertext)
                except crypto.PlanUnreadable:
                    unreadable += 1
                    continue
                # updated_at is the member's "last updated": a key rotation is not their edit.
                plan.save(update_fields=["ciphertext"])
                done += 1
    return done, unreadable
