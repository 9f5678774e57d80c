"""The held-first-post notice: a realistic wait from the group's recent decisions on held
posts, the support panel when the text has crisis language, and what to do meanwhile."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from moderation.models import HeldItem
from moderation.selectors import HeldWait, held_wait_for_group
from moderation.templatetags.moderation import about_duration
from stories.models import Story
from stories.services import story_submit
from tests.factories import GroupFactory, StoryFactory, UserFactory


def _decided(group, minutes: float, *, days_ago: float = 1, status=HeldItem.Status.APPROVED):
    decided = timezone.now() - timedelta(days=days_ago)
    author = UserFactory()
    story = StoryFactory(group=group, author=author)
    return HeldItem.objects.create(
        content_type=ContentType.objects.get_for_model(Story),
        object_id=story.pk,
        group=group,
        author=author,
        reason=HeldItem.Reason.FIRST_POST,
        status=status,
        created_at=decided - timedelta(minutes=minutes),
        decided_at=decided,
    )


def test_the_wait_is_the_median_and_the_time_four_in_five_were_decided_within(group):
    for minutes in [30, 60, 90, 120, 600]:
        _decided(group, minutes)
    wait = held_wait_for_group(group)
    assert wait == HeldWait(typical=timedelta(minutes=90), most=timedelta(minutes=120), sample=5)


def test_only_this_groups_recent_decisions_count(group):
    other = GroupFactory()
    for _ in range(5):
        _decided(other, 5)  # another group's quick facilitators
        _decided(group, 300, days_ago=45)  # this group's, but too long ago
    _decided(group, 240)
    assert held_wait_for_group(group).typical is None  # one decision is too few to promise


def test_pending_items_do_not_count(group):
    for minutes in [20, 40, 60]:
        _decided(group, minutes, status=HeldItem.Status.DECLINED)
    HeldItem.objects.create(
        content_type=ContentType.objects.get_for_model(Story),
        object_id=StoryFactory(group=group).pk,
        group=group,
        author=UserFactory(),
        reason=HeldItem.Reason.FIRST_POST,
        created_at=timezone.now() - timedelta(days=3),
    )
    assert held_wait_for_group(group).typical == timedelta(minutes=40)


def test_one_query_whatever_the_history(group, django_assert_num_queries):
    for minutes in range(40):
        _decided(group, minutes + 1)
    with django_assert_num_queries(1):
        held_wait_for_group(group)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (2, "about 5 minutes"),
        (23, "about 25 minutes"),
        (100, "about 2 hours"),
        (60 * 30, "about 1 day"),
    ],
)
def test_waits_read_as_plain_words(minutes, words):
    assert about_duration(timedelta(minutes=minutes)) == words


def _held_story(client, group, member, body="My first time writing here."):
    story = story_submit(group=group, author=member, title="Hello", body=body)
    assert story.moderation_state == "held"
    client.force_login(member)
    return story


def test_the_author_sees_the_groups_recent_wait_and_what_to_do_meanwhile(client, group, member):
    for minutes in [30, 45, 60, 240, 600]:
        _decided(group, minutes)
    story = _held_story(client, group, member)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Your story is waiting for a facilitator" in html
    assert "usually read held stories within about 1 hour, and most within about 4 hours" in html
    assert reverse("stories:list", kwargs={"slug": group.slug}) in html
    assert reverse("help") in html
    assert reverse("safety_plan:detail") in html
    assert 'class="support-panel"' not in html  # no crisis language, no panel


def test_one_phrase_when_typical_and_most_read_the_same(client, group, member):
    for minutes in [30, 60, 90, 120, 600]:
        _decided(group, minutes)  # 90 and 120 minutes both read "about 2 hours"
    story = _held_story(client, group, member)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "have read held stories within about 2 hours." in html
    assert "and most within" not in html


def test_with_no_history_the_notice_says_so_plainly(client, group, member):
    story = _held_story(client, group, member)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "from a few hours to a day or so" in html


def test_the_facilitator_sees_no_wait_notice(client, group, member, facilitator):
    story = _held_story(client, group, member)
    client.force_login(facilitator)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Your story is waiting for a facilitator" not in html


def test_crisis_language_in_a_held_first_story_shows_the_support_panel(client, group, member):
    client.force_login(member)
    response = client.post(
        reverse("stories:create", kwargs={"slug": group.slug}),
        {
            "title": "A hard week",
            "body": "I'm feeling quite low this week and I don't see the point of going on.",
            "replies_welcome": "yes",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Your story is waiting for a facilitator" in html
    assert response.redirect_chain[-1][0] == Story.objects.get().get_absolute_url()
    # The support panel (moderation/_support_panel.html) with the crisis lines, after posting.
    assert 'class="support-panel"' in html
