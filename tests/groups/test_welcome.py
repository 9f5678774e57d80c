"""The welcome page after sign-up: open groups by topic, joined with their rules in one form
that lands on the group's composer."""

import pytest
from django.urls import reverse

from groups.models import Group, Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory

WELCOME = reverse("welcome:welcome")


@pytest.fixture
def newcomer(db):
    return UserFactory(display_name="New Nia")


def test_open_groups_are_suggested_by_topic_with_their_rules(client, newcomer):
    GroupFactory(name="Panic and me", topic="Anxiety", rules="Be *gentle*.")
    GroupFactory(name="After a loss", topic="Grief")
    GroupFactory(name="Worry club", topic="anxiety ")
    client.force_login(newcomer)
    html = client.get(WELCOME).content.decode()
    assert "Welcome, New Nia" in html
    anxiety, grief = html.index(">Anxiety</h2>"), html.index(">Grief</h2>")
    assert anxiety < html.index("Panic and me") < html.index("Worry club") < grief
    assert grief < html.index("After a loss")
    assert "Be <em>gentle</em>." in html
    assert html.count(">Anxiety</h2>") == 1  # topics match whatever their case and spaces


def test_groups_that_cannot_be_joined_in_one_step_are_not_suggested(client, newcomer):
    GroupFactory(name="Ask first", join_policy=Group.JoinPolicy.REQUEST)
    GroupFactory(name="Invited only", join_policy=Group.JoinPolicy.INVITE)
    GroupFactory(name="Quiet unlisted", visibility=Group.Visibility.UNLISTED)
    GroupFactory(name="Closed archive", is_archived=True)
    MembershipFactory(user=newcomer, group=GroupFactory(name="Already in"))
    MembershipFactory(
        user=newcomer, group=GroupFactory(name="Removed from"), status=Membership.Status.REMOVED
    )
    GroupFactory(name="Open door")
    client.force_login(newcomer)
    html = client.get(WELCOME).content.decode()
    assert "Open door" in html
    for name in [
        "Ask first",
        "Invited only",
        "Quiet unlisted",
        "Closed archive",
        "Already in",
        "Removed from",
    ]:
        assert name not in html, name


def test_joining_accepts_the_rules_and_lands_on_the_groups_composer(client, newcomer):
    group = GroupFactory(name="Open door", slug="open-door")
    client.force_login(newcomer)
    response = client.post(
        reverse("welcome:join", kwargs={"slug": "open-door"}), {"join-open-door-accept_rules": "on"}
    )
    assert response.status_code == 302
    assert response.url == reverse("stories:create", kwargs={"slug": "open-door"})
    membership = Membership.objects.get(user=newcomer, group=group)
    assert membership.status == Membership.Status.ACTIVE
    assert membership.rules_accepted_version == group.rules_version
    composer = client.get(response.url).content.decode()
    assert "Welcome to Open door" in composer
    assert 'name="title"' in composer


def test_joining_without_accepting_the_rules_is_a_field_error_and_joins_nothing(client, newcomer):
    GroupFactory(name="Open door", slug="open-door")
    GroupFactory(name="Second door", slug="second-door")
    client.force_login(newcomer)
    response = client.post(reverse("welcome:join", kwargs={"slug": "open-door"}), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Please read the rules and tick the box to agree to them.") == 1
    assert html.index("Please read the rules") < html.index("Second door")  # on its own group
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_member_without_consent_is_told_how_to_post(client, db):
    user = UserFactory(health_consent_at=None)
    client.force_login(user)
    html = client.get(WELCOME).content.decode()
    assert reverse("accounts:consent") in html


def _queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(WELCOME).status_code == 200
    return len(queries)


def test_the_welcome_page_costs_the_same_queries_for_3_or_30_groups(client, newcomer):
    for i in range(3):
        GroupFactory(topic=f"Topic {i % 4}")
    client.force_login(newcomer)
    client.get(WELCOME)  # warm: session, content types
    with_three = _queries(client)
    for i in range(27):
        GroupFactory(topic=f"Topic {i % 4}")
    assert client.get(WELCOME).content.decode().count("welcome-group") == 30
    assert _queries(client) == with_three
