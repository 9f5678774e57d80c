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


def test_django_admin_refuses_a_reserved_web_address(client_for, admin):
    data = {
        "name": "New things",
        "slug": "new",
        "topic": "Change",
        "description": "Change.",
        "rules": "Be kind",
        "visibility": "listed",
        "join_policy": "open",
    }
    response = client_for(admin).post(reverse("admin:groups_group_add"), data)
    assert response.status_code == 200
    assert "used by the site" in response.content.decode()
    assert not Group.objects.filter(slug="new").exists()


def test_django_admin_only_shows_stories_replies_and_resources(client_for, admin, group):
    from resources.models import Resource
    from stories.models import ModerationState, Reply, Story
    from tests.factories import ReplyFactory, ResourceFactory, StoryFactory

    story = StoryFactory(group=group, body="Original words")
    reply = ReplyFactory(story=story, body="Original reply")
    resource = ResourceFactory(body="Original text")
    client = client_for(admin)
    # They can still be looked at.
    assert client.get(reverse("admin:stories_story_change", args=[story.pk])).status_code == 200
    for model, obj in ((Story, story), (Reply, reply), (Resource, resource)):
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
        client.post(
            reverse(name, args=[obj.pk]),
            {"body": "<script>edited</script>", "moderation_state": ModerationState.HIDDEN},
        )
    story.refresh_from_db()
    reply.refresh_from_db()
    resource.refresh_from_db()
    assert story.body == "Original words" and story.moderation_state == ModerationState.VISIBLE
    assert reply.body == "Original reply" and reply.moderation_state == ModerationState.VISIBLE
    assert resource.body == "Original text"
    assert client.get(reverse("admin:stories_story_add")).status_code == 403
    assert client.get(reverse("admin:resources_resource_add")).status_code == 403
