import pytest
from django.core.management import call_command

from groups.models import Group, JoinRequest, Membership


@pytest.mark.django_db
def test_seed_demo_creates_six_groups_with_facilitators_members_and_a_request(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")  # idempotent
    slugs = set(Group.objects.values_list("slug", flat=True))
    assert slugs == {
        "anxiety-support",
        "grief-and-loss",
        "new-parents",
        "living-with-depression",
        "lgbtq-wellbeing",
        "carers-circle",
    }
    carers = Group.objects.get(slug="carers-circle")
    assert (
        carers.visibility == Group.Visibility.UNLISTED
        and carers.join_policy == Group.JoinPolicy.INVITE
    )
    facilitated = set(
        Membership.objects.filter(role=Membership.Role.FACILITATOR).values_list(
            "user__display_name", "group__slug"
        )
    )
    assert ("Willow", "anxiety-support") in facilitated and (
        "Juniper",
        "carers-circle",
    ) in facilitated
    assert len(facilitated) == 6
    anxiety = Membership.objects.filter(group__slug="anxiety-support", role=Membership.Role.MEMBER)
    assert set(anxiety.values_list("user__display_name", flat=True)) == {
        "Ash",
        "River",
        "Quiet Fox",
    }
    assert JoinRequest.objects.filter(status="pending").count() == 1
    assert JoinRequest.objects.get().user.display_name == "Bluebell"
    assert all("<p>" in g.rules_html or "<ol>" in g.rules_html for g in Group.objects.all())
