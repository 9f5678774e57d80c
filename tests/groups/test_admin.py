import pytest
from django.urls import reverse

from groups.models import Group, Membership

pytestmark = pytest.mark.django_db


def test_django_admin_creates_and_edits_groups_through_the_services(client_for, admin):
    client = client_for(admin)
    data = {
        "name": "Sleep and rest",
        "slug": "sleep-and-rest",
        "topic": "Sleep",
        "description": "Rest.",
        "rules": "# Be kind",
        "visibility": "listed",
        "join_policy": "open",
    }
    assert client.post(reverse("admin:groups_group_add"), data).status_code == 302
    group = Group.objects.get(slug="sleep-and-rest")
    assert "<h3>Be kind</h3>" in group.rules_html
    client.post(
        reverse("admin:groups_group_change", args=[group.pk]),
        {**data, "rules": "New", "is_archived": "on"},
    )
    group.refresh_from_db()
    assert group.rules_version == 2 and group.is_archived and "New" in group.rules_html


def test_django_admin_cannot_change_memberships(client_for, admin, group, member):
    row = Membership.objects.get(user=member, group=group)
    client_for(admin).post(
        reverse("admin:groups_membership_change", args=[row.pk]), {"role": "facilitator"}
    )
    row.refresh_from_db()
    assert row.role == Membership.Role.MEMBER
