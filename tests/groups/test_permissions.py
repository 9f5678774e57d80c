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


# --- who may act on whom: one rule for every door ----------------------------------------------
def test_member_action_refusal_is_the_one_rule_of_who_acts_on_whom(
    group, member, facilitator, admin
):
    second_facilitator = MembershipFactory(group=group, role=Membership.Role.FACILITATOR).user
    admin_member = MembershipFactory(group=group, user=UserFactory(is_staff=True)).user
    refusal = permissions.member_action_refusal
    assert refusal(facilitator, group, member) == ""
    assert "yourself" in refusal(facilitator, group, facilitator)
    assert "facilitator" in refusal(facilitator, group, second_facilitator)
    assert "administrator" in refusal(facilitator, group, admin_member)
    assert refusal(member, group, member) != ""  # a plain member moderates nobody
    assert refusal(admin, group, second_facilitator) == ""
    # Site-wide (bans, profile cases): administrators only, never on themselves.
    assert refusal(admin, None, member) == ""
    assert refusal(facilitator, None, member) != ""
    assert refusal(admin, None, admin) != ""


def test_can_moderate_member_refuses_a_facilitator_acting_on_an_administrator(group, facilitator):
    admin_row = MembershipFactory(group=group, user=UserFactory(is_staff=True))
    access = permissions.access_for(facilitator, group)
    assert not permissions.can_moderate_member(facilitator, access, admin_row)


def test_member_actions_allowed_follow_the_status(group, facilitator, member, muted_member):
    access = permissions.access_for(facilitator, group)
    rows = {m.user_id: m for m in Membership.objects.filter(group=group)}
    assert permissions.member_actions_allowed(facilitator, access, rows[member.pk]) == (
        "mute",
        "remove",
    )
    assert permissions.member_actions_allowed(facilitator, access, rows[muted_member.pk]) == (
        "unmute",
        "remove",
    )
    removed = MembershipFactory(group=group, status=Membership.Status.REMOVED)
    assert permissions.member_actions_allowed(facilitator, access, removed) == ("reinstate",)
    assert permissions.member_actions_allowed(facilitator, access, rows[facilitator.pk]) == ()


def test_group_moderators_are_its_active_facilitators_only(
    group, facilitator, member, other_facilitator, admin
):
    removed_facilitator = MembershipFactory(
        group=group, role=Membership.Role.FACILITATOR, status=Membership.Status.REMOVED
    ).user
    inactive = MembershipFactory(
        group=group, role=Membership.Role.FACILITATOR, user=UserFactory(is_active=False)
    ).user
    moderators = permissions.group_moderators(group)
    assert moderators == [facilitator]
    assert removed_facilitator not in moderators and inactive not in moderators


def test_site_admins_are_active_staff_only(admin, member):
    UserFactory(is_staff=True, is_active=False)
    assert permissions.site_admins() == [admin]


def test_the_bool_forms_answer_like_the_check_forms(group, member, non_member, admin):
    assert permissions.can_see_group(non_member, group)
    assert permissions.can_read_group(member, group)
    assert not permissions.can_read_group(non_member, group)
    assert permissions.can_moderate_scope(admin, None)
    assert not permissions.can_moderate_scope(member, None)
    assert not permissions.can_moderate_scope(member, group)


# --- the per-request memo ---------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_access_is_computed_once_per_request_and_forgotten_on_writes(
    django_assert_num_queries,
):
    from django.core.signals import request_finished, request_started

    group = GroupFactory()
    member = MembershipFactory(group=group).user
    request_started.send(sender=None)
    try:
        first = permissions.access_for(member, group)
        with django_assert_num_queries(0):
            assert permissions.access_for(member, group) is first
        # A write that changes access clears the memo: the next question sees it.
        Membership.objects.filter(user=member, group=group).get().delete()
        assert not permissions.access_for(member, group).is_member
    finally:
        request_finished.send(sender=None)
    # Outside a request nothing is memoised.
    with django_assert_num_queries(2):
        permissions.access_for(member, group)


# --- the author's own posts -------------------------------------------------------------------
def test_only_the_author_may_edit_a_post_while_it_is_not_removed(group, member, facilitator):
    from stories.models import Story
    from tests.factories import StoryFactory

    story = StoryFactory(group=group, author=member)
    own, other = (permissions.access_for(u, group) for u in (member, facilitator))
    assert own.can_edit_post(story) and permissions.can_edit_post(member, story)
    assert not other.can_edit_post(story) and not permissions.can_edit_post(facilitator, story)
    assert not permissions.access_for(None, group).can_edit_post(story)
    with pytest.raises(PermissionDenied):
        permissions.check_post_author(facilitator, story)
    Story.objects.filter(pk=story.pk).update(is_deleted=True)
    story.refresh_from_db()
    assert not own.can_edit_post(story) and own.is_author(story)
    # Held or hidden: still seen by the author and the group's moderators.
    assert own.can_see_unpublished(story) and other.can_see_unpublished(story)
    assert not permissions.access_for(
        MembershipFactory(group=group).user, group
    ).can_see_unpublished(story)


def test_case_actions_allowed_never_offers_acting_on_oneself_and_bans_only_for_admins(
    facilitator, admin, member
):
    from groups.permissions import case_actions_allowed

    common = {"case_open": True, "in_group": True, "item_exists": True}
    by_facilitator = case_actions_allowed(
        facilitator, subject_id=member.pk, can_hide=True, can_redact=True, **common
    )
    assert by_facilitator == [
        "dismiss",
        "hide",
        "restore",
        "hide_pending",
        "redact",
        "warn",
        "mute",
        "remove",
    ]
    assert "ban" in case_actions_allowed(
        admin, subject_id=member.pk, can_hide=True, can_redact=True, **common
    )
    on_self = case_actions_allowed(
        facilitator, subject_id=facilitator.pk, can_hide=False, can_redact=False, **common
    )
    assert on_self == ["dismiss"]
    closed_gone = case_actions_allowed(
        facilitator,
        subject_id=member.pk,
        case_open=False,
        in_group=False,
        item_exists=False,
        can_hide=True,
        can_redact=True,
    )
    assert closed_gone == ["warn"]
