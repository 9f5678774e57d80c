"""Member profiles: addressed by a random handle, seen only by people who share a group."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.models import Membership
from groups.permissions import can_view_profile
from tests.factories import GroupFactory, MembershipFactory, UserFactory


def test_every_member_gets_a_distinct_handle_that_is_not_their_id(db):
    users = UserFactory.create_batch(5)
    handles = {u.handle for u in users}
    assert len(handles) == 5
    for user in users:
        assert len(user.handle) == 16
        assert user.handle != str(user.pk)
        assert user.get_absolute_url() == f"/members/{user.handle}/"


def test_a_profile_cannot_be_reached_by_counting_ids(client_for, member, facilitator):
    # The old address shape (/members/<id>/) finds nothing, even for someone allowed to see it.
    response = client_for(facilitator).get(f"/members/{member.pk}/")
    assert response.status_code == 404


def test_a_profile_is_seen_by_someone_sharing_any_group(client_for, other_group, member):
    other = MembershipFactory(group=other_group, user=UserFactory(display_name="Shared Sol")).user
    assert client_for(member).get(other.get_absolute_url()).status_code == 404
    MembershipFactory(group=other_group, user=member)
    response = client_for(member).get(other.get_absolute_url())
    assert response.status_code == 200
    assert "Shared Sol" in response.content.decode()


def test_sharing_only_a_past_membership_is_not_sharing_a_group(client_for, group, member):
    left = MembershipFactory(group=group, status=Membership.Status.LEFT).user
    assert client_for(member).get(left.get_absolute_url()).status_code == 404
    # The person who left no longer sees the group's members either.
    assert client_for(left).get(member.get_absolute_url()).status_code == 404


def test_a_facilitator_of_another_group_sees_nothing_here(client_for, other_facilitator, member):
    assert client_for(other_facilitator).get(member.get_absolute_url()).status_code == 404


def test_a_deactivated_member_has_no_profile_even_for_administrators(client_for, admin, member):
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client_for(admin).get(member.get_absolute_url()).status_code == 404


def test_the_not_found_page_does_not_name_the_member(client_for, non_member, member):
    response = client_for(non_member).get(member.get_absolute_url())
    assert response.status_code == 404
    assert member.display_name not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", False),
        ("non_member", False),
        ("pending_requester", False),
        ("member", True),
        ("muted_member", True),
        ("removed_member", False),
        ("other_facilitator", False),
        ("facilitator", True),
        ("admin", True),
    ],
)
def test_can_view_profile_for_each_role(request, member, role, expected):
    viewer = request.getfixturevalue(role)
    subject = UserFactory(display_name="Subject Sky")
    MembershipFactory(group=member.memberships.get().group, user=subject)
    assert can_view_profile(viewer, subject) is expected


def test_group_member_list_links_profiles_by_handle_in_constant_queries(client_for, member):
    group = member.memberships.get().group
    client = client_for(member)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(group.get_absolute_url()).content.decode()
        assert member.get_absolute_url() in html
        return len(ctx)

    few = count()
    for _ in range(10):
        MembershipFactory(group=group)
    assert count() == few


def test_facilitator_reaches_a_removed_members_profile_from_the_members_page(
    client_for, facilitator, removed_member, group
):
    from django.urls import reverse

    html = (
        client_for(facilitator)
        .get(reverse("groups:members", kwargs={"slug": group.slug}))
        .content.decode()
    )
    assert removed_member.get_absolute_url() in html
    assert client_for(facilitator).get(removed_member.get_absolute_url()).status_code == 200


def test_a_new_group_alone_shares_nothing(db):
    a, b = UserFactory(), UserFactory()
    MembershipFactory(group=GroupFactory(), user=a)
    MembershipFactory(group=GroupFactory(), user=b)
    assert not can_view_profile(a, b)


def test_the_report_form_for_a_profile_is_404_to_those_who_cannot_see_it(
    client_for, member, non_member, facilitator
):
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    url = reverse(
        "moderation:report",
        kwargs={
            "content_type_id": ContentType.objects.get_for_model(member).pk,
            "object_id": member.pk,
        },
    )
    response = client_for(non_member).get(url)
    assert response.status_code == 404
    assert member.display_name not in response.content.decode()
    refused = client_for(non_member).post(url, {"reason": "harassment", "note": ""})
    assert refused.status_code == 404
    assert client_for(facilitator).get(url).status_code == 200
