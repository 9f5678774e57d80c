from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import Group, Invitation, JoinRequest, Membership
from tests.factories import (
    GroupFactory,
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- directory ----------------------------------------------------------------------------------
def test_directory_lists_listed_groups_with_counts_and_hides_unlisted(
    client, group, member, facilitator
):
    GroupFactory(name="Secret carers", visibility=Group.Visibility.UNLISTED)
    GroupFactory(name="Old group", is_archived=True)
    response = client.get(reverse("groups:directory"))
    html = response.content.decode()
    assert "Living with anxiety" in html and "2 members" in html
    assert "Secret carers" not in html and "Old group" not in html


def test_directory_shows_an_unlisted_group_to_its_members(client_for, member):
    hidden = GroupFactory(name="Secret carers", visibility=Group.Visibility.UNLISTED)
    MembershipFactory(group=hidden, user=member)
    assert "Secret carers" in client_for(member).get(reverse("groups:directory")).content.decode()


def test_directory_filters_by_topic_and_text(client, group, other_group):
    Group.objects.filter(pk=other_group.pk).update(description="Missing someone.")
    by_topic = client.get(reverse("groups:directory"), {"topic": "Grief"}).content.decode()
    assert "Grief and loss" in by_topic and "Living with anxiety" not in by_topic
    by_text = client.get(reverse("groups:directory"), {"q": "living with"}).content.decode()
    assert "Living with anxiety" in by_text and "Grief and loss" not in by_text


def test_directory_query_count_is_the_same_for_3_and_30_groups(client_for, member):
    client = client_for(member)
    url = reverse("groups:directory")
    for _ in range(3):
        MembershipFactory(group=GroupFactory(), user=UserFactory())
    few = _count_queries(client, url)
    for _ in range(27):
        MembershipFactory(group=GroupFactory(topic=f"T{_}"), user=UserFactory())
    assert _count_queries(client, url) == few


# --- group page ---------------------------------------------------------------------------------
def test_group_page_query_count_is_the_same_for_3_and_30_members(client_for, group, member):
    client = client_for(member)
    url = reverse("groups:detail", kwargs={"slug": group.slug})
    for _ in range(2):
        MembershipFactory(group=group)
    few = _count_queries(client, url)
    for _ in range(27):
        MembershipFactory(group=group)
    assert _count_queries(client, url) == few


def test_facilitator_member_list_query_count_is_constant(client_for, group, facilitator):
    client = client_for(facilitator)
    url = reverse("groups:members", kwargs={"slug": group.slug})
    for _ in range(2):
        MembershipFactory(group=group)
    few = _count_queries(client, url)
    for _ in range(27):
        MembershipFactory(group=group, status=Membership.Status.MUTED)
    assert _count_queries(client, url) == few


def test_group_home_shows_members_with_badge_and_room_for_stories(
    client_for, group, member, facilitator
):
    html = client_for(member).get(group.get_absolute_url()).content.decode()
    assert "Member Mo" in html and "Facilitator Fen" in html and "Facilitator</span>" in html
    assert facilitator.get_absolute_url() in html
    assert 'class="group-content"' in html
    assert "Leave this group" in html


def test_visitor_sees_rules_and_a_sign_in_prompt(client, group):
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Be kind" in html and "Sign in to join" in html
    assert "Members</h2>" not in html


def test_non_member_sees_join_with_rules_checkbox(client_for, group, non_member):
    html = client_for(non_member).get(group.get_absolute_url()).content.decode()
    assert "Join this group" in html and 'name="join-accept_rules"' in html


def test_non_member_of_request_group_sees_request_form_then_waiting(client_for, non_member):
    group = GroupFactory(join_policy=Group.JoinPolicy.REQUEST)
    client = client_for(non_member)
    assert "Ask to join" in client.get(group.get_absolute_url()).content.decode()
    JoinRequestFactory(group=group, user=non_member)
    assert "Your request is waiting" in client.get(group.get_absolute_url()).content.decode()


def test_invite_only_group_says_so(client_for, non_member):
    group = GroupFactory(join_policy=Group.JoinPolicy.INVITE)
    assert (
        "by invitation only"
        in client_for(non_member).get(group.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    "change", [{"visibility": Group.Visibility.UNLISTED}, {"is_archived": True}]
)
def test_unlisted_or_archived_group_is_404_to_non_members(
    client_for, group, non_member, member, change
):
    Group.objects.filter(pk=group.pk).update(**change)
    assert client_for(non_member).get(group.get_absolute_url()).status_code == 404
    assert client_for(None).get(group.get_absolute_url()).status_code == 404
    assert client_for(member).get(group.get_absolute_url()).status_code == 200


def test_unknown_slug_is_404(client):
    assert client.get(reverse("groups:detail", kwargs={"slug": "no-such-group"})).status_code == 404


def test_rules_change_shows_banner_until_accepted(client_for, group, member, admin):
    services.group_update(by=admin, group=group, rules="1. Be gentle with yourself.")
    client = client_for(member)
    assert "The rules have changed" in client.get(group.get_absolute_url()).content.decode()
    client.post(reverse("groups:accept_rules", kwargs={"slug": group.slug}))
    assert "The rules have changed" not in client.get(group.get_absolute_url()).content.decode()


# --- joining ------------------------------------------------------------------------------------
def test_join_without_ticking_rules_shows_a_kind_error_and_saves_nothing(
    client_for, group, non_member
):
    response = client_for(non_member).post(reverse("groups:join", kwargs={"slug": group.slug}), {})
    assert response.status_code == 400
    assert "tick the box" in response.content.decode()
    assert not Membership.objects.filter(user=non_member).exists()


def test_join_ignores_a_tampered_role_field(client_for, group, non_member):
    client_for(non_member).post(
        reverse("groups:join", kwargs={"slug": group.slug}),
        {
            "join-accept_rules": "on",
            "role": "facilitator",
            "join-role": "facilitator",
            "status": "active",
        },
    )
    membership = Membership.objects.get(user=non_member, group=group)
    assert membership.role == Membership.Role.MEMBER


def test_double_clicked_request_creates_one_request(client_for, non_member):
    group = GroupFactory(join_policy=Group.JoinPolicy.REQUEST)
    client = client_for(non_member)
    url = reverse("groups:request", kwargs={"slug": group.slug})
    for _ in range(2):
        assert (
            client.post(url, {"request-accept_rules": "on", "request-message": "Hello"}).status_code
            == 302
        )
    assert JoinRequest.objects.filter(user=non_member, group=group).count() == 1


def test_removed_member_cannot_rejoin_through_the_page(client_for, group, removed_member):
    response = client_for(removed_member).post(
        reverse("groups:join", kwargs={"slug": group.slug}), {"join-accept_rules": "on"}
    )
    assert response.status_code == 403
    assert (
        Membership.objects.get(user=removed_member, group=group).status == Membership.Status.REMOVED
    )


def test_declined_request_decision_and_note_are_shown_to_the_requester(client_for, non_member):
    group = GroupFactory(join_policy=Group.JoinPolicy.REQUEST)
    facilitator = MembershipFactory(group=group, role=Membership.Role.FACILITATOR).user
    join_request = JoinRequestFactory(group=group, user=non_member)
    services.join_request_decline(
        by=facilitator, join_request=join_request, note="The group is full this month."
    )
    client = client_for(non_member)
    assert "The group is full this month." in client.get(group.get_absolute_url()).content.decode()
    mine = client.get(reverse("groups:mine")).content.decode()
    assert "The group is full this month." in mine and group.name in mine


def test_my_groups_lists_memberships_pending_requests_and_invitations(client_for, group, member):
    waiting = GroupFactory(name="Waiting room", join_policy=Group.JoinPolicy.REQUEST)
    JoinRequestFactory(group=waiting, user=member)
    invited = GroupFactory(
        name="Hidden circle",
        visibility=Group.Visibility.UNLISTED,
        join_policy=Group.JoinPolicy.INVITE,
    )
    InvitationFactory(group=invited, invitee=member, max_uses=1)
    html = client_for(member).get(reverse("groups:mine")).content.decode()
    assert "Living with anxiety" in html and "Waiting room" in html and "Hidden circle" in html


def test_invitation_page_joins_after_accepting_rules(client_for, non_member):
    group = GroupFactory(visibility=Group.Visibility.UNLISTED, join_policy=Group.JoinPolicy.INVITE)
    invitation = InvitationFactory(group=group)
    client = client_for(non_member)
    url = reverse("groups:invitation", kwargs={"token": invitation.token})
    assert group.name in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 200  # no tick: asked again, nothing saved
    assert not Membership.objects.filter(user=non_member).exists()
    assert client.post(url, {"accept_rules": "on"}).status_code == 302
    assert Membership.objects.get(user=non_member, group=group).status == Membership.Status.ACTIVE


def test_unusable_invitation_page_reveals_nothing(client_for, non_member):
    group = GroupFactory(name="Hidden circle", visibility=Group.Visibility.UNLISTED)
    invitation = InvitationFactory(group=group, expires_at=timezone.now() - timedelta(days=1))
    response = client_for(non_member).get(
        reverse("groups:invitation", kwargs={"token": invitation.token})
    )
    assert response.status_code == 404 and "Hidden circle" not in response.content.decode()
    assert (
        client_for(non_member)
        .get(reverse("groups:invitation", kwargs={"token": "forged"}))
        .status_code
        == 404
    )


# --- facilitators -------------------------------------------------------------------------------
def test_facilitator_approves_a_request_from_the_queue(
    client_for, group, facilitator, pending_requester
):
    join_request = JoinRequest.objects.get(user=pending_requester)
    client = client_for(facilitator)
    assert (
        "Hopeful Hal"
        in client.get(reverse("groups:requests", kwargs={"slug": group.slug})).content.decode()
    )
    client.post(
        reverse("groups:request_decide", kwargs={"slug": group.slug, "pk": join_request.pk}),
        {"decision": "approve", "note": "Welcome in"},
    )
    assert (
        Membership.objects.get(user=pending_requester, group=group).status
        == Membership.Status.ACTIVE
    )


def test_another_groups_request_id_is_404_and_changes_nothing(
    client_for, group, other_group, facilitator
):
    elsewhere = JoinRequestFactory(group=other_group)
    response = client_for(facilitator).post(
        reverse("groups:request_decide", kwargs={"slug": group.slug, "pk": elsewhere.pk}),
        {"decision": "approve"},
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == JoinRequest.Status.PENDING


def test_another_groups_membership_id_is_404_and_changes_nothing(
    client_for, group, other_group, facilitator
):
    elsewhere = MembershipFactory(group=other_group)
    response = client_for(facilitator).post(
        reverse("group_moderation:member_action", kwargs={"slug": group.slug, "pk": elsewhere.pk}),
        {"action": "remove"},
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Membership.Status.ACTIVE


def test_member_cannot_decide_requests_by_forging_a_post(
    client_for, group, member, pending_requester
):
    join_request = JoinRequest.objects.get(user=pending_requester)
    response = client_for(member).post(
        reverse("groups:request_decide", kwargs={"slug": group.slug, "pk": join_request.pk}),
        {"decision": "approve"},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=pending_requester, group=group).exists()


def test_facilitator_mutes_unmutes_removes_and_reinstates(client_for, group, facilitator, member):
    client = client_for(facilitator)
    row = Membership.objects.get(user=member, group=group)
    url = reverse("group_moderation:member_action", kwargs={"slug": group.slug, "pk": row.pk})
    client.post(url, {"action": "mute", "mute_for": "24h"})
    row.refresh_from_db()
    assert row.status == Membership.Status.MUTED and row.muted_until > timezone.now() + timedelta(
        hours=23
    )
    client.post(url, {"action": "unmute"})
    client.post(url, {"action": "remove"})
    row.refresh_from_db()
    assert row.status == Membership.Status.REMOVED
    client.post(url, {"action": "reinstate"})
    row.refresh_from_db()
    assert row.status == Membership.Status.ACTIVE


def test_mute_without_a_duration_changes_nothing(client_for, group, facilitator, member):
    row = Membership.objects.get(user=member, group=group)
    client_for(facilitator).post(
        reverse("group_moderation:member_action", kwargs={"slug": group.slug, "pk": row.pk}),
        {"action": "mute"},
    )
    row.refresh_from_db()
    assert row.status == Membership.Status.ACTIVE


def test_facilitator_creates_link_and_direct_invitations_and_revokes(
    client_for, group, facilitator, non_member
):
    client = client_for(facilitator)
    url = reverse("groups:invitations", kwargs={"slug": group.slug})
    client.post(url, {"kind": "link", "link-expires_in_days": "7", "link-max_uses": "3"})
    client.post(
        url, {"kind": "direct", "direct-display_name": "outside olu", "direct-expires_in_days": "1"}
    )
    assert Invitation.objects.filter(group=group, invitee=None, max_uses=3).count() == 1
    direct = Invitation.objects.get(group=group, invitee=non_member)
    response = client.post(
        url, {"kind": "direct", "direct-display_name": "Nobody Here", "direct-expires_in_days": "1"}
    )
    assert response.status_code == 400 and "couldn" in response.content.decode()
    client.post(reverse("groups:invitation_revoke", kwargs={"slug": group.slug, "pk": direct.pk}))
    direct.refresh_from_db()
    assert direct.revoked_at is not None


def test_invitation_with_forged_max_uses_is_refused(client_for, group, facilitator):
    response = client_for(facilitator).post(
        reverse("groups:invitations", kwargs={"slug": group.slug}),
        {"kind": "link", "link-expires_in_days": "9999", "link-max_uses": "0"},
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


# --- administrators -----------------------------------------------------------------------------
def test_staff_link_shows_only_for_administrators(client_for, admin, facilitator):
    staff_url = reverse("groups:staff_list")
    assert staff_url in client_for(admin).get("/").content.decode()
    assert staff_url not in client_for(facilitator).get("/").content.decode()


def test_admin_creates_a_group_and_appoints_a_facilitator(client_for, admin, non_member):
    client = client_for(admin)
    response = client.post(
        reverse("groups:staff_create"),
        {
            "name": "Sleep and rest",
            "slug": "sleep-and-rest",
            "topic": "Sleep",
            "description": "Rest.",
            "rules": "1. Be kind.",
            "visibility": "listed",
            "join_policy": "open",
        },
    )
    assert response.status_code == 302
    group = Group.objects.get(slug="sleep-and-rest")
    client.post(
        reverse("groups:staff_facilitators", kwargs={"slug": group.slug}),
        {"display_name": "Outside Olu"},
    )
    assert Membership.objects.get(group=group, user=non_member).role == Membership.Role.FACILITATOR


def test_staff_create_refuses_a_reserved_slug(client_for, admin):
    response = client_for(admin).post(
        reverse("groups:staff_create"),
        {
            "name": "Mine",
            "slug": "mine",
            "topic": "x",
            "description": "x",
            "rules": "x",
            "visibility": "listed",
            "join_policy": "open",
        },
    )
    assert response.status_code == 400
    assert not Group.objects.filter(slug="mine").exists()


def test_admin_edits_rules_and_archives(client_for, admin, group):
    client = client_for(admin)
    client.post(
        reverse("groups:staff_edit", kwargs={"slug": group.slug}),
        {
            "name": group.name,
            "slug": group.slug,
            "topic": group.topic,
            "description": group.description,
            "rules": "1. Something new.",
            "visibility": "listed",
            "join_policy": "open",
        },
    )
    client.post(reverse("groups:staff_archive", kwargs={"slug": group.slug}), {"archived": "1"})
    group.refresh_from_db()
    assert group.rules_version == 2 and group.is_archived


def test_last_facilitator_removal_needs_the_confirmation_box(client_for, admin, group, facilitator):
    client = client_for(admin)
    row = Membership.objects.get(user=facilitator, group=group)
    url = reverse("groups:staff_facilitator_remove", kwargs={"slug": group.slug, "pk": row.pk})
    client.post(url, {"confirm": "on"})
    row.refresh_from_db()
    assert row.role == Membership.Role.FACILITATOR
    client.post(url, {"allow_no_facilitator": "on", "confirm": "on"})
    row.refresh_from_db()
    assert row.role == Membership.Role.MEMBER


def test_removing_a_facilitator_asks_for_confirmation_first(client_for, admin, group, facilitator):
    from tests.factories import MembershipFactory

    MembershipFactory(group=group, role=Membership.Role.FACILITATOR)
    client = client_for(admin)
    row = Membership.objects.get(user=facilitator, group=group)
    url = reverse("groups:staff_facilitator_remove", kwargs={"slug": group.slug, "pk": row.pk})
    listing = client.get(reverse("groups:staff_facilitators", kwargs={"slug": group.slug})).text
    assert f'href="{url}"' in listing
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop Facilitator Fen facilitating" in page.text
    assert "in the app and by e-mail" in page.text
    row.refresh_from_db()
    assert row.role == Membership.Role.FACILITATOR
    # A post without the confirmation (an old form, a stray request) only asks again.
    assert client.post(url, {}).status_code == 200
    row.refresh_from_db()
    assert row.role == Membership.Role.FACILITATOR
    assert client.post(url, {"confirm": "on"}).status_code == 302
    row.refresh_from_db()
    assert row.role == Membership.Role.MEMBER


def test_facilitator_sees_how_many_requests_wait(client_for, group, facilitator, pending_requester):
    html = client_for(facilitator).get(group.get_absolute_url()).content.decode()
    assert '<span class="badge">1<span class="visually-hidden"> waiting</span></span>' in html


def test_requester_can_withdraw_and_ask_again(client_for, non_member):
    group = GroupFactory(join_policy=Group.JoinPolicy.REQUEST)
    JoinRequestFactory(group=group, user=non_member)
    client = client_for(non_member)
    client.post(reverse("groups:request_withdraw", kwargs={"slug": group.slug}))
    assert JoinRequest.objects.get(user=non_member).status == JoinRequest.Status.WITHDRAWN
    assert "Ask to join" in client.get(group.get_absolute_url()).content.decode()


def test_my_groups_query_count_is_the_same_for_3_and_30_groups(client_for, non_member):
    client = client_for(non_member)
    url = reverse("groups:mine")

    def add(n: int) -> None:
        for _ in range(n):
            MembershipFactory(user=non_member)
            JoinRequestFactory(user=non_member)
            InvitationFactory(invitee=non_member)

    add(3)
    few = _count_queries(client, url)
    add(27)
    assert _count_queries(client, url) == few


def test_my_groups_hides_invitations_that_no_longer_work(client_for, non_member, group):
    InvitationFactory(
        group=GroupFactory(name="Expired circle"),
        invitee=non_member,
        expires_at=timezone.now() - timedelta(hours=1),
    )
    InvitationFactory(
        group=GroupFactory(name="Revoked circle"), invitee=non_member, revoked_at=timezone.now()
    )
    html = client_for(non_member).get(reverse("groups:mine")).content.decode()
    assert "Expired circle" not in html and "Revoked circle" not in html


def test_an_action_the_policy_does_not_allow_now_changes_nothing(
    client_for, group, facilitator, member
):
    from moderation.models import AuditLogEntry

    row = Membership.objects.get(user=member, group=group)
    url = reverse("group_moderation:member_action", kwargs={"slug": group.slug, "pk": row.pk})
    # Reinstating someone who was never removed is not among the allowed actions.
    response = client_for(facilitator).post(url, {"action": "reinstate"}, follow=True)
    assert "possible for Member Mo now" in response.content.decode().replace("&#x27;", "'")
    assert not AuditLogEntry.objects.filter(action="member.reinstate").exists()
