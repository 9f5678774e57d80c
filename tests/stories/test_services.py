"""Story services: writes, counters, revisions, refusals and their permission re-checks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from groups.models import Membership
from stories import services
from stories.models import Follow, ModerationState, Reaction, Reply, Revision, Story
from tests.factories import MembershipFactory, ReplyFactory, StoryFactory

pytestmark = pytest.mark.django_db


def _submit(group, author, **overrides):
    data = dict(
        group=group,
        author=author,
        title="The first week",
        body="It was *hard*.",
        warnings=["grief"],
        warning_note="",
        is_anonymous=False,
        replies_welcome=True,
    )
    data.update(overrides)
    return services.story_submit(**data)


def test_story_submit_renders_html_and_author_follows(group, member):
    story = _submit(group, member)
    assert story.body_html == "<p>It was <em>hard</em>.</p>\n"
    assert story.warning_list == ["grief"]
    assert story.moderation_state == ModerationState.VISIBLE
    assert Follow.objects.filter(story=story, user=member).exists()


def test_story_submit_orders_warnings_and_drops_duplicates(group, member):
    story = _submit(group, member, warnings=["grief", "suicide", "grief"])
    assert story.warnings == "suicide,grief"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 151}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"warnings": ["spiders"]}, "warnings"),
        ({"warning_note": "x" * 101}, "warning_note"),
    ],
)
def test_story_submit_refuses_bad_input_and_saves_nothing(group, member, overrides, field):
    with pytest.raises(ValidationError) as exc:
        _submit(group, member, **overrides)
    assert field in exc.value.error_dict
    assert Story.objects.count() == 0
    assert Follow.objects.count() == 0


@pytest.mark.parametrize(
    "role", ["non_member", "removed_member", "other_facilitator", "pending_requester"]
)
def test_story_submit_hides_group_from_non_readers(request, group, role):
    with pytest.raises(Http404):
        _submit(group, request.getfixturevalue(role))


def test_story_submit_refuses_muted_member_with_reason(group, muted_member):
    with pytest.raises(PermissionDenied, match="paused"):
        _submit(group, muted_member)


def test_story_edit_keeps_a_revision_and_marks_edited(group, member):
    story = _submit(group, member)
    services.story_edit(
        story=story, editor=member, title="The second week", body="Better.", warnings=[]
    )
    story.refresh_from_db()
    assert story.title == "The second week" and story.body_html == "<p>Better.</p>\n"
    assert story.edited_at is not None and story.warnings == ""
    revision = Revision.objects.get(story=story)
    assert (revision.title, revision.body, revision.edited_by) == (
        "The first week",
        "It was *hard*.",
        member,
    )


def test_story_edit_refuses_anyone_but_the_author(group, member, facilitator):
    story = _submit(group, member)
    with pytest.raises(PermissionDenied):
        services.story_edit(story=story, editor=facilitator, title="x", body="y")
    assert Revision.objects.count() == 0


def test_story_edit_bad_input_saves_nothing(group, member):
    story = _submit(group, member)
    with pytest.raises(ValidationError):
        services.story_edit(story=story, editor=member, title="", body="y")
    assert Revision.objects.count() == 0
    story.refresh_from_db()
    assert story.title == "The first week"


def test_story_delete_marks_removed_by_author_and_unpins(group, member):
    story = _submit(group, member)
    Story.objects.filter(pk=story.pk).update(is_pinned=True)
    services.story_delete(story=story, user=member)
    story.refresh_from_db()
    assert story.is_deleted and not story.is_pinned and story.deleted_at


def test_reply_submit_bumps_count_and_activity(group, member, facilitator):
    story = _submit(group, member)
    before = story.last_activity_at
    reply = services.reply_submit(story=story, author=facilitator, body="I'm glad you wrote this.")
    story.refresh_from_db()
    assert story.reply_count == 1 and story.last_activity_at >= before
    assert reply.body_html == "<p>I'm glad you wrote this.</p>\n"


def test_reply_submit_refused_on_just_sharing_story(group, member, facilitator):
    story = _submit(group, member, replies_welcome=False)
    with pytest.raises(PermissionDenied, match="Just sharing"):
        services.reply_submit(story=story, author=facilitator, body="Hello")
    assert Reply.objects.count() == 0


def test_reply_submit_refused_after_leaving_the_group(group, member):
    story = _submit(group, member)
    leaver = MembershipFactory(group=group).user
    Membership.objects.filter(user=leaver, group=group).update(status=Membership.Status.LEFT)
    with pytest.raises(PermissionDenied, match="You left this group"):
        services.reply_submit(story=story, author=leaver, body="Hello")
    assert Reply.objects.count() == 0


def test_reply_submit_refuses_empty_and_overlong(group, member):
    story = _submit(group, member)
    for body in ("  ", "x" * 10_001):
        with pytest.raises(ValidationError):
            services.reply_submit(story=story, author=member, body=body)
    story.refresh_from_db()
    assert story.reply_count == 0 and Reply.objects.count() == 0


def test_reply_edit_keeps_revision_and_delete_lowers_count(group, member):
    story = _submit(group, member)
    reply = services.reply_submit(story=story, author=member, body="First words")
    services.reply_edit(reply=reply, editor=member, body="Kinder words")
    assert Revision.objects.get(reply=reply).body == "First words"
    services.reply_delete(reply=reply, user=member)
    services.reply_delete(reply=reply, user=member)  # a second click changes nothing
    story.refresh_from_db()
    reply.refresh_from_db()
    assert reply.is_deleted and story.reply_count == 0


def test_reply_delete_refuses_other_members(group, member, facilitator):
    reply = ReplyFactory(story=StoryFactory(group=group), author=member)
    with pytest.raises(PermissionDenied):
        services.reply_delete(reply=reply, user=facilitator)


def test_reaction_toggle_adds_then_removes_and_keeps_count(group, member, facilitator):
    story = StoryFactory(group=group)
    assert services.reaction_toggle(user=member, kind="hear", story=story) is True
    assert services.reaction_toggle(user=facilitator, kind="hear", story=story) is True
    assert services.reaction_toggle(user=member, kind="metoo", story=story) is True
    story.refresh_from_db()
    assert story.reaction_count == 3
    assert services.reaction_toggle(user=member, kind="hear", story=story) is False
    story.refresh_from_db()
    assert story.reaction_count == 2
    assert Reaction.objects.filter(user=member).count() == 1


def test_reaction_toggle_on_reply(group, member):
    reply = ReplyFactory(story=StoryFactory(group=group))
    services.reaction_toggle(user=member, kind="strength", reply=reply)
    reply.refresh_from_db()
    assert reply.reaction_count == 1


def test_reaction_toggle_refuses_unknown_kind_and_outsiders(group, member, non_member):
    story = StoryFactory(group=group)
    with pytest.raises(ValidationError):
        services.reaction_toggle(user=member, kind="like", story=story)
    with pytest.raises(Http404):
        services.reaction_toggle(user=non_member, kind="hear", story=story)
    assert Reaction.objects.count() == 0


def test_reaction_toggle_refuses_hidden_story(group, member):
    story = StoryFactory(group=group, moderation_state=ModerationState.HIDDEN)
    with pytest.raises(Http404):
        services.reaction_toggle(user=member, kind="hear", story=story)


def test_story_pin_is_for_facilitators_only(group, member, facilitator, admin):
    story = StoryFactory(group=group)
    with pytest.raises(PermissionDenied):
        services.story_pin(story=story, user=member)
    services.story_pin(story=story, user=facilitator)
    assert Story.objects.get(pk=story.pk).is_pinned
    services.story_unpin(story=story, user=admin)
    assert not Story.objects.get(pk=story.pk).is_pinned


def test_story_follow_and_unfollow_are_idempotent(group, member):
    story = StoryFactory(group=group)
    services.story_follow(story=story, user=member)
    services.story_follow(story=story, user=member)
    assert Follow.objects.filter(story=story, user=member).count() == 1
    services.story_unfollow(story=story, user=member)
    services.story_unfollow(story=story, user=member)
    assert not Follow.objects.filter(story=story, user=member).exists()


def test_story_follow_refuses_non_member(group, non_member):
    with pytest.raises(Http404):
        services.story_follow(story=StoryFactory(group=group), user=non_member)


def test_warning_preferences_set_saves_and_clears(member):
    services.warning_preferences_set(user=member, choices={"grief": "show", "suicide": "hide"})
    services.warning_preferences_set(user=member, choices={"grief": ""})
    assert dict(member.warning_preferences.values_list("theme", "choice")) == {"suicide": "hide"}


def test_warning_preferences_set_refuses_unknown_theme(member):
    with pytest.raises(ValidationError):
        services.warning_preferences_set(user=member, choices={"spiders": "hide"})
    assert not member.warning_preferences.exists()
