from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from groups import services
from groups.models import Group, Invitation, JoinRequest, Membership
from tests.factories import GroupFactory, InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _membership(user, group) -> Membership:
    return Membership.objects.get(user=user, group=group)


# --- groups -------------------------------------------------------------------------------------
def test_group_create_renders_rules_and_refuses_non_admins(admin, non_member):
    group = services.group_create(
        by=admin,
        name="Calm",
        slug="calm",
        topic="Anxiety",
        description="d",
        rules="# Be kind\n<script>x</script>",
    )
    assert "<h3>Be kind</h3>" in group.rules_html and "<script>" not in group.rules_html
    with pytest.raises(Http404):
        services.group_create(
            by=non_member, name="N", slug="n", topic="t", description="d", rules="r"
        )
    assert not Group.objects.filter(slug="n").exists()


def test_group_update_bumps_rules_version_only_when_rules_change(admin, group, member):
    services.group_update(by=admin, group=group, description="New words")
    group.refresh_from_db()
    assert group.rules_version == 1
    services.group_update(by=admin, group=group, rules="1. Be gentle.")
    group.refresh_from_db()
    assert group.rules_version == 2 and "Be gentle" in group.rules_html
    from groups.permissions import access_for

    access = access_for(member, group)
    assert not access.rules_accepted and not access.can_post
    services.membership_accept_rules(user=member, group=group)
    assert access_for(member, group).can_post


def test_group_update_refuses_facilitators(facilitator, group):
    with pytest.raises(Http404):
        services.group_update(by=facilitator, group=group, name="Mine now")
    group.refresh_from_db()
    assert group.name == "Living with anxiety"


def test_group_archive_closes_joining(admin, group, non_member):
    services.group_archive(by=admin, group=group)
    group.refresh_from_db()
    with pytest.raises(Http404):  # an archived group is hidden from non-members
        services.membership_join(user=non_member, group=group, accept_rules=True)


# --- joining an open group ----------------------------------------------------------------------
def test_membership_join_open_group_records_rules_acceptance(group, non_member):
    membership = services.membership_join(user=non_member, group=group, accept_rules=True)
    assert (
        membership.status == Membership.Status.ACTIVE and membership.role == Membership.Role.MEMBER
    )
    assert membership.rules_accepted_version == group.rules_version and membership.rules_accepted_at


def test_membership_join_requires_accepting_rules(group, non_member):
    with pytest.raises(services.GroupActionRefused):
        services.membership_join(user=non_member, group=group, accept_rules=False)
    assert not Membership.objects.filter(user=non_member).exists()


def test_membership_join_twice_is_a_no_op(group, member):
    before = _membership(member, group)
    again = services.membership_join(user=member, group=group, accept_rules=True)
    assert again.pk == before.pk and again.joined_at == before.joined_at
    assert Membership.objects.filter(user=member, group=group).count() == 1


def test_membership_join_refuses_request_and_invite_groups(non_member):
    for policy in (Group.JoinPolicy.REQUEST, Group.JoinPolicy.INVITE):
        with pytest.raises(services.GroupActionRefused):
            services.membership_join(
                user=non_member, group=GroupFactory(join_policy=policy), accept_rules=True
            )
    assert not Membership.objects.filter(user=non_member).exists()


def test_removed_member_cannot_rejoin_open_group_until_reinstated(
    group, removed_member, facilitator
):
    with pytest.raises(services.GroupActionRefused):
        services.membership_join(user=removed_member, group=group, accept_rules=True)
    assert _membership(removed_member, group).status == Membership.Status.REMOVED
    services.membership_reinstate(by=facilitator, membership=_membership(removed_member, group))
    reinstated = _membership(removed_member, group)
    assert reinstated.status == Membership.Status.ACTIVE
    assert reinstated.rules_accepted_version == 0  # asked to accept the rules again


def test_leaver_can_rejoin_open_group_as_plain_member(group, member):
    services.membership_leave(user=member, group=group)
    assert _membership(member, group).status == Membership.Status.LEFT
    services.membership_join(user=member, group=group, accept_rules=True)
    assert _membership(member, group).status == Membership.Status.ACTIVE


def test_last_facilitator_cannot_leave(group, facilitator):
    with pytest.raises(services.LastFacilitator):
        services.membership_leave(user=facilitator, group=group)
    assert _membership(facilitator, group).status == Membership.Status.ACTIVE


# --- join requests ------------------------------------------------------------------------------
@pytest.fixture
def request_group(db):
    return GroupFactory(
        name="Grief circle", slug="grief-circle", join_policy=Group.JoinPolicy.REQUEST
    )


@pytest.fixture
def request_facilitator(request_group):
    return MembershipFactory(group=request_group, role=Membership.Role.FACILITATOR).user


def test_join_request_double_click_creates_one_request(request_group, non_member):
    first = services.join_request_create(user=non_member, group=request_group, message="Hi")
    second = services.join_request_create(user=non_member, group=request_group, message="Hi again")
    assert first.pk == second.pk
    assert JoinRequest.objects.filter(user=non_member, group=request_group).count() == 1


def test_join_request_refused_in_open_group_and_for_members(group, member, non_member):
    with pytest.raises(services.GroupActionRefused):
        services.join_request_create(user=non_member, group=group)
    with pytest.raises(services.GroupActionRefused):
        services.join_request_create(user=member, group=group)
    assert not JoinRequest.objects.filter(group=group, user__in=[member, non_member]).exists()


def test_join_request_approve_makes_a_member_with_rules_accepted(
    request_group, request_facilitator, non_member
):
    join_request = services.join_request_create(user=non_member, group=request_group, message="Hi")
    membership = services.join_request_approve(
        by=request_facilitator, join_request=join_request, note="Welcome!"
    )
    assert membership.status == Membership.Status.ACTIVE
    assert membership.rules_accepted_version == request_group.rules_version
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert (
        join_request.decided_by == request_facilitator and join_request.decision_note == "Welcome!"
    )


def test_join_request_decline_keeps_note_and_makes_no_member(
    request_group, request_facilitator, non_member
):
    join_request = services.join_request_create(user=non_member, group=request_group)
    services.join_request_decline(
        by=request_facilitator, join_request=join_request, note="Not right now."
    )
    join_request.refresh_from_db()
    assert (
        join_request.status == JoinRequest.Status.DECLINED
        and join_request.decision_note == "Not right now."
    )
    assert not Membership.objects.filter(user=non_member, group=request_group).exists()


def test_join_request_cannot_be_decided_twice(request_group, request_facilitator, non_member):
    join_request = services.join_request_create(user=non_member, group=request_group)
    services.join_request_decline(by=request_facilitator, join_request=join_request)
    with pytest.raises(services.GroupActionRefused):
        services.join_request_approve(by=request_facilitator, join_request=join_request)
    assert not Membership.objects.filter(user=non_member, group=request_group).exists()


def test_join_request_decision_refused_for_other_groups_facilitator(
    request_group, other_facilitator, non_member
):
    join_request = services.join_request_create(user=non_member, group=request_group)
    with pytest.raises(Http404):
        services.join_request_approve(by=other_facilitator, join_request=join_request)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_join_request_approval_after_rules_change_asks_to_accept_again(
    request_group, request_facilitator, non_member, admin
):
    join_request = services.join_request_create(user=non_member, group=request_group)
    services.group_update(by=admin, group=request_group, rules="New rules.")
    membership = services.join_request_approve(by=request_facilitator, join_request=join_request)
    assert membership.rules_accepted_version == 0


# --- invitations --------------------------------------------------------------------------------
@pytest.fixture
def invite_group(db):
    return GroupFactory(
        slug="carers", join_policy=Group.JoinPolicy.INVITE, visibility=Group.Visibility.UNLISTED
    )


def test_invitation_link_adds_member_and_counts_a_use(invite_group, non_member):
    invitation = InvitationFactory(group=invite_group, max_uses=2)
    services.invitation_accept(user=non_member, token=invitation.token, accept_rules=True)
    invitation.refresh_from_db()
    assert invitation.use_count == 1
    assert _membership(non_member, invite_group).status == Membership.Status.ACTIVE
    # Accepting again spends nothing.
    services.invitation_accept(user=non_member, token=invitation.token, accept_rules=True)
    invitation.refresh_from_db()
    assert invitation.use_count == 1


@pytest.mark.parametrize(
    "state",
    [
        {"expires_at": timezone.now() - timedelta(minutes=1)},
        {"max_uses": 2, "use_count": 2},
        {"revoked_at": timezone.now()},
    ],
    ids=["expired", "used-up", "revoked"],
)
def test_unusable_invitation_is_refused(invite_group, non_member, state):
    invitation = InvitationFactory(group=invite_group, **state)
    with pytest.raises(services.GroupActionRefused):
        services.invitation_accept(user=non_member, token=invitation.token, accept_rules=True)
    assert not Membership.objects.filter(user=non_member, group=invite_group).exists()


def test_tampered_token_is_refused(invite_group, non_member):
    invitation = InvitationFactory(group=invite_group)
    with pytest.raises(services.GroupActionRefused):
        services.invitation_accept(user=non_member, token=invitation.token + "x", accept_rules=True)
    assert not Membership.objects.filter(user=non_member).exists()


def test_direct_invitation_works_only_for_its_invitee(invite_group, non_member):
    facilitator = MembershipFactory(group=invite_group, role=Membership.Role.FACILITATOR).user
    invitee = UserFactory(display_name="Invited Ivy")
    invitation = services.invitation_create(
        by=facilitator,
        group=invite_group,
        invitee=invitee,
        expires_at=timezone.now() + timedelta(days=1),
        max_uses=9,
    )
    assert invitation.max_uses == 1
    with pytest.raises(services.GroupActionRefused):
        services.invitation_accept(user=non_member, token=invitation.token, accept_rules=True)
    services.invitation_accept(user=invitee, token=invitation.token, accept_rules=True)
    assert _membership(invitee, invite_group).status == Membership.Status.ACTIVE


def test_inviting_the_same_member_twice_makes_one_invitation(invite_group):
    facilitator = MembershipFactory(group=invite_group, role=Membership.Role.FACILITATOR).user
    invitee = UserFactory()
    expires = timezone.now() + timedelta(days=1)
    a = services.invitation_create(
        by=facilitator, group=invite_group, invitee=invitee, expires_at=expires
    )
    b = services.invitation_create(
        by=facilitator, group=invite_group, invitee=invitee, expires_at=expires
    )
    assert a.pk == b.pk


def test_invitation_create_refused_for_members(group, member):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            by=member, group=group, expires_at=timezone.now() + timedelta(days=1)
        )
    assert not Invitation.objects.exists()


def test_removed_member_cannot_use_an_invitation_link(group, removed_member):
    invitation = InvitationFactory(group=group)
    with pytest.raises(services.GroupActionRefused):
        services.invitation_accept(user=removed_member, token=invitation.token, accept_rules=True)
    assert _membership(removed_member, group).status == Membership.Status.REMOVED


def test_invitation_revoke_stops_the_link(group, facilitator, non_member):
    invitation = InvitationFactory(group=group)
    services.invitation_revoke(by=facilitator, invitation=invitation)
    with pytest.raises(services.GroupActionRefused):
        services.invitation_accept(user=non_member, token=invitation.token, accept_rules=True)


# --- facilitators -------------------------------------------------------------------------------
def test_facilitator_appoint_adds_non_member_as_facilitator(admin, group, non_member):
    membership = services.facilitator_appoint(by=admin, group=group, user=non_member)
    assert (
        membership.role == Membership.Role.FACILITATOR
        and membership.status == Membership.Status.ACTIVE
    )


def test_facilitator_appoint_refused_for_facilitators(facilitator, group, member):
    with pytest.raises(Http404):
        services.facilitator_appoint(by=facilitator, group=group, user=member)
    assert _membership(member, group).role == Membership.Role.MEMBER


def test_last_facilitator_is_not_removed_by_mistake(admin, group, facilitator):
    with pytest.raises(services.LastFacilitator):
        services.facilitator_remove(by=admin, membership=_membership(facilitator, group))
    assert _membership(facilitator, group).role == Membership.Role.FACILITATOR
    services.facilitator_remove(
        by=admin, membership=_membership(facilitator, group), allow_no_facilitator=True
    )
    assert _membership(facilitator, group).role == Membership.Role.MEMBER


def test_facilitator_remove_with_another_facilitator_needs_no_confirmation(
    admin, group, facilitator, member
):
    services.facilitator_appoint(by=admin, group=group, user=member)
    services.facilitator_remove(by=admin, membership=_membership(facilitator, group))
    assert _membership(facilitator, group).role == Membership.Role.MEMBER


# --- moderation of members ----------------------------------------------------------------------
def test_facilitator_mutes_until_a_time_and_unmutes(group, facilitator, member):
    until = timezone.now() + timedelta(hours=1)
    muted = services.membership_mute(
        by=facilitator, membership=_membership(member, group), until=until
    )
    assert muted.status == Membership.Status.MUTED and muted.muted_until == until
    from groups.permissions import access_for

    assert not access_for(member, group).can_post and access_for(member, group).can_read
    services.membership_unmute(by=facilitator, membership=muted)
    assert access_for(member, group).can_post


def test_facilitator_removes_a_member(group, facilitator, member):
    services.membership_remove(by=facilitator, membership=_membership(member, group))
    from groups.permissions import access_for

    assert not access_for(member, group).can_read


def test_member_cannot_mute_or_remove_others(group, member, muted_member):
    target = _membership(muted_member, group)
    with pytest.raises(PermissionDenied):
        services.membership_unmute(by=member, membership=target)
    with pytest.raises(PermissionDenied):
        services.membership_remove(by=member, membership=target)
    assert _membership(muted_member, group).status == Membership.Status.MUTED


def test_facilitator_cannot_remove_another_facilitator_or_themselves(
    group, facilitator, admin, member
):
    services.facilitator_appoint(by=admin, group=group, user=member)
    with pytest.raises(PermissionDenied):
        services.membership_remove(by=facilitator, membership=_membership(member, group))
    with pytest.raises(PermissionDenied):
        services.membership_mute(
            by=facilitator, membership=_membership(facilitator, group), until=None
        )
    assert _membership(member, group).status == Membership.Status.ACTIVE


def test_facilitator_of_another_group_cannot_act_here(group, other_facilitator, member):
    with pytest.raises(Http404):
        services.membership_remove(by=other_facilitator, membership=_membership(member, group))
    assert _membership(member, group).status == Membership.Status.ACTIVE


def test_admin_cannot_remove_the_last_facilitator_by_mistake(group, admin, facilitator):
    with pytest.raises(services.LastFacilitator):
        services.membership_remove(by=admin, membership=_membership(facilitator, group))
    assert _membership(facilitator, group).status == Membership.Status.ACTIVE


def test_join_request_by_pending_requester_fixture_is_unique(group, pending_requester):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequest.objects.create(group=group, user=pending_requester)


def test_direct_invitation_to_a_removed_member_is_refused(group, facilitator, removed_member):
    with pytest.raises(services.GroupActionRefused):
        services.invitation_create(
            by=facilitator,
            group=group,
            invitee=removed_member,
            expires_at=timezone.now() + timedelta(days=1),
        )
    assert not Invitation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_join_requests_make_one_request(settings):
    """Two clicks arriving together on separate connections still make one request."""
    if not settings.IS_POSTGRES:
        pytest.skip("needs a database with real concurrent connections")
    import threading

    from django.db import connection

    group = GroupFactory(join_policy=Group.JoinPolicy.REQUEST)
    user = UserFactory()
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def click() -> None:
        try:
            barrier.wait()
            services.join_request_create(user=user, group=group, message="Hello")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert JoinRequest.objects.filter(user=user, group=group).count() == 1
