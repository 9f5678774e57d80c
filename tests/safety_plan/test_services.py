"""Sharing with one group's facilitators (24 h, audited, revocable), the export and deletion."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from groups.permissions import can_read_shared_plan
from moderation.models import AuditLogEntry
from peersupport.accounts.deletion import account_deletion_request, account_purge
from peersupport.accounts.models import AccountDeletion
from peersupport.accounts.privacy.export import data_export_collect
from peersupport.safety_plan.content import Contact, PlanContent
from peersupport.safety_plan.models import SafetyPlan, SafetyPlanShare
from peersupport.safety_plan.selectors import share_get_for_viewer, share_list_for_facilitator
from peersupport.safety_plan.services import (
    safety_plan_save,
    safety_plan_share_create,
    safety_plan_share_revoke,
)

WORDS = "Sit with the dog on the back step"


@pytest.fixture
def plan(member):
    return safety_plan_save(
        owner=member,
        content=PlanContent(coping=[WORDS], people=[Contact("Sam", "07700 900123")]),
    )


def test_a_share_lasts_24_hours_and_is_audited_without_the_plan(plan, member, group):
    share = safety_plan_share_create(owner=member, group=group)
    assert share.expires_at - share.created_at == timedelta(hours=24)
    entry = AuditLogEntry.objects.get(action="safety_plan.share")
    assert entry.actor == member and entry.group == group
    assert entry.target_id == str(share.pk)
    assert WORDS not in str(entry.__dict__) and "Sam" not in str(entry.__dict__)


def test_sharing_twice_with_the_same_group_shares_once(plan, member, group):
    first = safety_plan_share_create(owner=member, group=group)
    assert safety_plan_share_create(owner=member, group=group) == first
    assert SafetyPlanShare.objects.count() == 1
    assert AuditLogEntry.objects.filter(action="safety_plan.share").count() == 1


def test_a_member_can_share_only_with_their_own_group(plan, member, other_group):
    with pytest.raises(PermissionDenied):
        safety_plan_share_create(owner=member, group=other_group)
    assert not SafetyPlanShare.objects.exists()


def test_the_groups_facilitator_reads_it_and_nobody_else(
    plan, member, group, facilitator, other_facilitator, admin, non_member
):
    share = safety_plan_share_create(owner=member, group=group)
    shown, content = share_get_for_viewer(user=facilitator, token=share.token)
    assert content.coping == [WORDS]
    for person in (other_facilitator, admin, non_member, None):
        assert not can_read_shared_plan(person, share)
        with pytest.raises(Http404):
            share_get_for_viewer(user=person, token=share.token)
    assert list(share_list_for_facilitator(user=facilitator)) == [share]
    assert list(share_list_for_facilitator(user=other_facilitator)) == []
    assert list(share_list_for_facilitator(user=admin)) == []


def test_an_expired_share_is_gone_for_the_facilitator(plan, member, group, facilitator):
    share = safety_plan_share_create(owner=member, group=group)
    SafetyPlanShare.objects.filter(pk=share.pk).update(
        created_at=timezone.now() - timedelta(hours=25),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    with pytest.raises(Http404):
        share_get_for_viewer(user=facilitator, token=share.token)
    assert list(share_list_for_facilitator(user=facilitator)) == []


def test_revoking_ends_it_at_once_and_is_audited(plan, member, group, facilitator):
    share = safety_plan_share_create(owner=member, group=group)
    safety_plan_share_revoke(owner=member, share_id=share.pk)
    with pytest.raises(Http404):
        share_get_for_viewer(user=facilitator, token=share.token)
    # Idempotent: a second click changes nothing and writes no second row.
    safety_plan_share_revoke(owner=member, share_id=share.pk)
    assert AuditLogEntry.objects.filter(action="safety_plan.share_revoke").count() == 1


def test_only_the_owner_can_revoke(plan, member, group, facilitator):
    share = safety_plan_share_create(owner=member, group=group)
    with pytest.raises(Http404):
        safety_plan_share_revoke(owner=facilitator, share_id=share.pk)
    assert SafetyPlanShare.objects.get(pk=share.pk).revoked_at is None


def test_a_facilitator_who_steps_down_no_longer_reads_it(plan, member, group, facilitator):
    share = safety_plan_share_create(owner=member, group=group)
    # The facilitator stops facilitating: the share no longer reaches them.
    facilitator.memberships.filter(group=group).update(role="member")
    with pytest.raises(Http404):
        share_get_for_viewer(user=facilitator, token=share.token)


def test_the_plan_joins_the_owners_export_only(plan, member, facilitator, group):
    safety_plan_share_create(owner=member, group=group)
    sections = {s["key"]: s for s in data_export_collect(member).sections}
    (row,) = sections["safety_plan"]["items"]
    assert row["My coping strategies"] == WORDS
    assert row["People I can ask for help"] == "Sam — 07700 900123"
    assert group.name in row["shared_with_facilitators"]
    theirs = {s["key"]: s for s in data_export_collect(facilitator).sections}
    assert theirs["safety_plan"]["items"] == []


def test_the_plan_is_deleted_with_the_account(plan, member, group):
    safety_plan_share_create(owner=member, group=group)
    deletion = account_deletion_request(user=member, choice=AccountDeletion.Choice.REMOVE_ALL)
    AccountDeletion.objects.filter(pk=deletion.pk).update(
        purge_after=timezone.now() - timedelta(minutes=1)
    )
    assert account_purge(deletion_id=deletion.pk)
    assert not SafetyPlan.objects.exists()
    assert not SafetyPlanShare.objects.exists()


def test_the_plan_is_never_in_the_admin_site():
    registered = {model._meta.label for model in admin.site._registry}
    assert "safety_plan.SafetyPlan" not in registered
    assert "safety_plan.SafetyPlanShare" not in registered


def test_a_member_who_leaves_the_group_no_longer_shares_with_it(plan, member, group, facilitator):
    share = safety_plan_share_create(owner=member, group=group)
    member.memberships.filter(group=group).update(status="left")
    with pytest.raises(Http404):
        share_get_for_viewer(user=facilitator, token=share.token)
    assert list(share_list_for_facilitator(user=facilitator)) == []


def test_the_audit_log_page_shows_the_share_and_nothing_of_the_plan(
    plan, member, group, admin, client_for
):
    safety_plan_share_create(owner=member, group=group)
    html = client_for(admin).get("/moderation/audit/").content.decode()
    assert "safety_plan.share" in html or "Safety plan share" in html
    assert WORDS not in html and "07700" not in html
