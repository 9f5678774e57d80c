from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from groups import permissions
from groups.models import Group, Membership
from tests.factories import GroupFactory, InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# role: (can_see, can_read, can_post, can_moderate, can_join, can_leave)
EXPECTED = {
    "visitor": (True, False, False, False, False, False),
    "non_member": (True, False, False, False, True, False),
    "pending_requester": (True, False, False, False, True, False),
    "member": (True, True, True, False, False, True),
    "muted_member": (True, True, False, False, False, True),
    "removed_member": (True, False, False, False, False, False),
    "other_facilitator": (True, False, False, False, True, False),
    "facilitator": (True, True, True, True, False, True),
    "admin": (True, True, True, True, True, False),
}


@pytest.fixture
def people(
    visitor,
    non_member,
    pending_requester,
    member,
    muted_member,
    removed_member,
    other_facilitator,
    facilitator,
    admin,
):
    return {
        "visitor": visitor,
        "non_member": non_member,
        "pending_requester": pending_requester,
        "member": member,
        "muted_member": muted_member,
        "removed_member": removed_member,
        "other_facilitator": other_facilitator,
        "facilitator": facilitator,
        "admin": admin,
    }


@pytest.mark.parametrize("role", list(EXPECTED))
def test_access_for_every_role_in_a_listed_open_group(role, people, group):
    access = permissions.access_for(people[role], group)
    got = (
        access.can_see,
        access.can_read,
        access.can_post,
        access.can_moderate,
        access.can_join,
        access.can_leave,
    )
    assert got == EXPECTED[role]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_unlisted_group_is_404_to_everyone_but_members_and_admins(role, people, group):
    group.visibility = Group.Visibility.UNLISTED
    group.save()
    user = people[role]
    if role in ("member", "muted_member", "facilitator", "admin"):
        assert permissions.check_see_group(user, group).can_see
    else:
        with pytest.raises(Http404):
            permissions.check_see_group(user, group)


def test_pending_requester_cannot_request_twice(group, pending_requester):
    group.join_policy = Group.JoinPolicy.REQUEST
    access = permissions.access_for(pending_requester, group)
    assert access.has_pending_request and not access.can_request_to_join


def test_archived_group_is_hidden_from_non_members_and_closed_to_posting(group, member, non_member):
    group.is_archived = True
    group.save()
    with pytest.raises(Http404):
        permissions.check_see_group(non_member, group)
    access = permissions.access_for(member, group)
    assert access.can_read and not access.can_post


def test_expired_mute_lets_the_member_post_again(group):
    user = MembershipFactory(
        group=group,
        status=Membership.Status.MUTED,
        muted_until=timezone.now() - timedelta(minutes=1),
    ).user
    assert permissions.access_for(user, group).can_post


def test_check_moderate_group_is_403_for_members_and_404_for_outsiders(group, member, non_member):
    with pytest.raises(PermissionDenied):
        permissions.check_moderate_group(member, group)
    with pytest.raises(Http404):
        permissions.check_moderate_group(non_member, group)


def test_can_moderate_member_allows_facilitators_on_members_only(group, facilitator, member, admin):
    access = permissions.access_for(facilitator, group)
    member_row = Membership.objects.get(user=member, group=group)
    own_row = Membership.objects.get(user=facilitator, group=group)
    assert permissions.can_moderate_member(facilitator, access, member_row)
    assert not permissions.can_moderate_member(facilitator, access, own_row)
    assert permissions.can_moderate_member(admin, permissions.access_for(admin, group), own_row)


def test_can_moderate_member_refuses_a_membership_from_another_group(
    group, facilitator, other_group
):
    access = permissions.access_for(facilitator, group)
    elsewhere = MembershipFactory(group=other_group)
    assert not permissions.can_moderate_member(facilitator, access, elsewhere)


def test_can_use_invitation_checks_invitee_state_and_removal(group, removed_member, non_member):
    assert permissions.can_use_invitation(non_member, InvitationFactory(group=group))
    assert not permissions.can_use_invitation(None, InvitationFactory(group=group))
    assert not permissions.can_use_invitation(removed_member, InvitationFactory(group=group))
    assert not permissions.can_use_invitation(
        non_member, InvitationFactory(group=group, invitee=UserFactory())
    )
    assert not permissions.can_use_invitation(
        non_member, InvitationFactory(group=group, revoked_at=timezone.now())
    )


def test_filter_groups_listed_hides_unlisted_from_non_members(member, non_member, group):
    hidden = GroupFactory(visibility=Group.Visibility.UNLISTED)
    MembershipFactory(group=hidden, user=member)
    assert hidden not in permissions.filter_groups_listed(Group.objects.all(), non_member)
    assert hidden not in permissions.filter_groups_listed(Group.objects.all(), None)
    assert hidden in permissions.filter_groups_listed(Group.objects.all(), member)
