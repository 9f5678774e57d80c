"""Who may read, write and moderate stories: every answer comes from groups.permissions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from groups.models import Group
from stories import selectors, services
from stories.models import ModerationState, Reaction
from tests.factories import GroupFactory, MembershipFactory, ReplyFactory, StoryFactory

pytestmark = pytest.mark.django_db


def test_admin_may_post_and_pin_in_any_group(admin):
    group = GroupFactory(visibility=Group.Visibility.UNLISTED)
    story = services.story_submit(group=group, author=admin, title="From the team", body="Hello")
    services.story_pin(story=story, user=admin)


def test_facilitator_of_another_group_cannot_read_or_pin(group, other_facilitator):
    story = StoryFactory(group=group)
    with pytest.raises(Http404):
        services.story_pin(story=story, user=other_facilitator)
    with pytest.raises(Http404):
        services.reply_submit(story=story, author=other_facilitator, body="Hi")


def test_muted_member_may_read_but_not_react(group, muted_member):
    story = StoryFactory(group=group)
    with pytest.raises(PermissionDenied):
        services.reaction_toggle(user=muted_member, kind="hear", story=story)
    assert Reaction.objects.count() == 0


def test_removed_member_cannot_react_to_a_reply(group, removed_member):
    reply = ReplyFactory(story=StoryFactory(group=group))
    with pytest.raises(Http404):
        services.reaction_toggle(user=removed_member, kind="hear", reply=reply)


def test_archived_group_refuses_new_stories_kindly(member, group):
    Group.objects.filter(pk=group.pk).update(is_archived=True)
    group.refresh_from_db()
    with pytest.raises(PermissionDenied, match="archived"):
        services.story_submit(group=group, author=member, title="t", body="b")


def test_hidden_story_is_404_to_members_but_open_to_facilitators_and_author(
    client_for, group, member, facilitator
):
    author = MembershipFactory(group=group).user
    story = StoryFactory(group=group, author=author, moderation_state=ModerationState.HELD)
    assert client_for(member).get(story.get_absolute_url()).status_code == 404
    assert client_for(facilitator).get(story.get_absolute_url()).status_code == 200
    assert client_for(author).get(story.get_absolute_url()).status_code == 200


def test_hidden_reply_is_left_out_for_members(group, member, facilitator):
    from groups.permissions import access_for

    story = StoryFactory(group=group)
    ReplyFactory(story=story, moderation_state=ModerationState.HIDDEN, body="hidden words")
    ReplyFactory(story=story, body="visible words")
    member_page = selectors.reply_page_for_story(
        story=story, user=member, access=access_for(member, group)
    )
    facilitator_page = selectors.reply_page_for_story(
        story=story, user=facilitator, access=access_for(facilitator, group)
    )
    assert [r.body for r in member_page.object_list] == ["visible words"]
    assert len(facilitator_page.object_list) == 2


def test_search_for_admin_covers_every_group_but_never_hidden(admin):
    StoryFactory(group=GroupFactory(visibility=Group.Visibility.UNLISTED), title="Heron at dawn")
    StoryFactory(title="Heron hidden", moderation_state=ModerationState.HIDDEN)
    titles = [
        s.title for s in selectors.story_search_for_viewer(user=admin, query="heron").object_list
    ]
    assert titles == ["Heron at dawn"]


def test_another_members_story_cannot_be_edited_or_deleted_via_pages(client_for, group, member):
    story = StoryFactory(group=group)
    client = client_for(member)
    assert (
        client.post(f"{story.get_absolute_url()}edit/", {"title": "x", "body": "y"}).status_code
        == 403
    )
    assert client.post(f"{story.get_absolute_url()}delete/").status_code == 403
    story.refresh_from_db()
    assert not story.is_deleted and story.title != "x"
