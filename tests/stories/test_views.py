"""Story pages: what each viewer sees, forms, htmx partials, search isolation and query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, Membership
from stories.models import ModerationState, Reaction, Reply, Story, WarningPreference
from tests.factories import GroupFactory, MembershipFactory, ReplyFactory, StoryFactory

pytestmark = pytest.mark.django_db


def list_url(group):
    return reverse("stories:list", kwargs={"slug": group.slug})


def test_list_shows_pinned_first_then_recent_activity(client_for, group, member):
    now = timezone.now()
    old = StoryFactory(
        group=group,
        title="Old but pinned",
        is_pinned=True,
        last_activity_at=now - timedelta(days=3),
    )
    StoryFactory(group=group, title="Quiet one", last_activity_at=now - timedelta(days=1))
    StoryFactory(group=group, title="Busy one", last_activity_at=now)
    body = client_for(member).get(list_url(group)).content.decode()
    assert body.index(old.title) < body.index("Busy one") < body.index("Quiet one")


def test_list_leaves_out_hidden_held_and_removed_stories(client_for, group, member):
    StoryFactory(group=group, title="Visible story")
    StoryFactory(group=group, title="Hidden story", moderation_state=ModerationState.HIDDEN)
    StoryFactory(group=group, title="Held story", moderation_state=ModerationState.HELD)
    StoryFactory(group=group, title="Removed story", is_deleted=True)
    body = client_for(member).get(list_url(group)).content.decode()
    assert "Visible story" in body
    assert "Hidden story" not in body and "Held story" not in body and "Removed story" not in body


def test_list_puts_warned_excerpt_behind_details(client_for, group, member):
    StoryFactory(group=group, title="Heavy", body="Unique heavy words", warnings="suicide")
    body = client_for(member).get(list_url(group)).content.decode()
    assert "Suicide" in body
    details_at = body.index('<details class="warning-details"')
    assert details_at < body.index("Unique heavy words")


def test_always_show_preference_opens_the_story(client_for, group, member):
    story = StoryFactory(group=group, body="Unique grief words", warnings="grief")
    WarningPreference.objects.create(user=member, theme="grief", choice="show")
    body = client_for(member).get(story.get_absolute_url()).content.decode()
    assert "warning-details" not in body.split('id="replies-heading"')[0]
    assert "Unique grief words" in body


def test_hide_preference_leaves_story_out_of_lists(client_for, group, member):
    StoryFactory(group=group, title="About self-harm", warnings="self-harm,grief")
    StoryFactory(group=group, title="About grief", warnings="grief")
    WarningPreference.objects.create(user=member, theme="self-harm", choice="hide")
    body = client_for(member).get(list_url(group)).content.decode()
    assert "About self-harm" not in body and "About grief" in body


def test_anonymous_story_shows_anonymous_to_members_and_name_to_facilitators(
    client_for, group, member, facilitator
):
    author = MembershipFactory(group=group, user__display_name="Secret Sam").user
    story = StoryFactory(group=group, author=author, is_anonymous=True)
    member_page = client_for(member).get(story.get_absolute_url()).content.decode()
    assert "Anonymous member" in member_page and "Secret Sam" not in member_page
    facilitator_page = client_for(facilitator).get(story.get_absolute_url()).content.decode()
    assert "Secret Sam" in facilitator_page and "shown to facilitators only" in facilitator_page


def test_member_profile_never_lists_anonymous_posts(client_for, group, member):
    author = MembershipFactory(group=group).user
    StoryFactory(group=group, author=author, is_anonymous=True, title="My anonymous story")
    response = client_for(member).get(author.get_absolute_url())
    assert response.status_code == 200
    assert "My anonymous story" not in response.content.decode()


def test_create_story_with_warning_redirects_to_it(client_for, group, member):
    response = client_for(member).post(
        reverse("stories:create", kwargs={"slug": group.slug}),
        {
            "title": "Morning panic",
            "body": "It started on the bus.",
            "warnings": ["other"],
            "warning_note": "panic attack",
            "replies_welcome": "yes",
            "is_anonymous": "on",
        },
    )
    story = Story.objects.get()
    assert response.status_code == 302 and response["Location"] == story.get_absolute_url()
    assert story.is_anonymous and story.warnings == "other" and story.warning_note == "panic attack"


@pytest.mark.parametrize(
    "data, field_message",
    [
        ({"title": "", "body": "x", "replies_welcome": "yes"}, "Please write something here."),
        ({"title": "x" * 151, "body": "x", "replies_welcome": "yes"}, "150 characters or fewer"),
        (
            {"title": "t", "body": "x" * 20_001, "replies_welcome": "yes"},
            "20000 characters or fewer",
        ),
        (
            {"title": "t", "body": "x", "warnings": ["spiders"], "replies_welcome": "yes"},
            "Please choose warnings from the list.",
        ),
    ],
)
def test_create_story_bad_input_shows_field_errors_and_saves_nothing(
    client_for, group, member, data, field_message
):
    response = client_for(member).post(reverse("stories:create", kwargs={"slug": group.slug}), data)
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert Story.objects.count() == 0


def test_reply_to_just_sharing_story_is_refused_with_a_clear_message(client_for, group, member):
    story = StoryFactory(group=group, replies_welcome=False)
    response = client_for(member).post(
        reverse("stories:reply", kwargs={"slug": group.slug, "pk": story.pk}), {"body": "Hello"}
    )
    assert response.status_code == 403
    assert "Just sharing" in response.content.decode()
    assert Reply.objects.count() == 0


def test_reply_after_leaving_the_group_is_refused_with_a_clear_message(client_for, group, member):
    story = StoryFactory(group=group)
    Membership.objects.filter(user=member, group=group).update(status=Membership.Status.LEFT)
    response = client_for(member).post(
        reverse("stories:reply", kwargs={"slug": group.slug, "pk": story.pk}), {"body": "Hello"}
    )
    assert response.status_code == 403
    assert "You left this group" in response.content.decode()
    # Reading is still closed to them: the story page stays a 404.
    assert client_for(member).get(story.get_absolute_url()).status_code == 404
    assert Reply.objects.count() == 0


def test_empty_reply_shows_field_error(client_for, group, member):
    story = StoryFactory(group=group)
    response = client_for(member).post(
        reverse("stories:reply", kwargs={"slug": group.slug, "pk": story.pk}), {"body": ""}
    )
    assert (
        response.status_code == 400 and "Please write something here." in response.content.decode()
    )


def test_reaction_with_htmx_returns_the_partial(client_for, group, member):
    story = StoryFactory(group=group)
    url = reverse("stories:react", kwargs={"slug": group.slug, "pk": story.pk})
    response = client_for(member).post(url, {"kind": "hear"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert (
        response.status_code == 200
        and body.lstrip().startswith("<form")
        and 'class="reactions is-open"' in body
    )
    assert 'aria-pressed="true"' in body
    assert Reaction.objects.filter(story=story, user=member, kind="hear").exists()


def test_reaction_without_js_redirects_back(client_for, group, member):
    reply = ReplyFactory(story=StoryFactory(group=group))
    response = client_for(member).post(
        reverse("stories:reply_react", kwargs={"slug": group.slug, "pk": reply.pk}),
        {"kind": "thanks"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#reply-{reply.pk}")


def test_removed_story_shows_removed_by_the_author(client_for, group, member):
    story = StoryFactory(group=group, is_deleted=True, body="gone words")
    body = client_for(member).get(story.get_absolute_url()).content.decode()
    assert "removed by the author" in body and "gone words" not in body


def test_edited_story_says_edited_and_history_shows_earlier_version(client_for, group, facilitator):
    author = MembershipFactory(group=group).user
    client = client_for(author)
    client.post(
        reverse("stories:create", kwargs={"slug": group.slug}),
        {"title": "First", "body": "Original words", "replies_welcome": "yes"},
    )
    story = Story.objects.get()
    client.post(
        reverse("stories:edit", kwargs={"slug": group.slug, "pk": story.pk}),
        {"title": "First", "body": "New words", "replies_welcome": "yes"},
    )
    assert "edited" in client.get(story.get_absolute_url()).content.decode()
    history = client_for(facilitator).get(
        reverse("stories:history", kwargs={"slug": group.slug, "pk": story.pk})
    )
    assert "Original words" in history.content.decode()


def test_waiting_view_lists_only_old_unanswered_stories_welcoming_replies(
    client_for, group, member
):
    old = timezone.now() - timedelta(hours=13)
    StoryFactory(group=group, title="Nobody answered", created_at=old)
    StoryFactory(group=group, title="Too new", created_at=timezone.now() - timedelta(hours=2))
    StoryFactory(group=group, title="Only sharing", created_at=old, replies_welcome=False)
    StoryFactory(group=group, title="Has a reply", created_at=old, reply_count=1)
    body = (
        client_for(member)
        .get(reverse("stories:waiting", kwargs={"slug": group.slug}))
        .content.decode()
    )
    assert "Nobody answered" in body
    assert "Too new" not in body and "Only sharing" not in body and "Has a reply" not in body


def test_preferences_page_saves_choices(client_for, member):
    response = client_for(member).post(
        reverse("story_preferences"), {"grief": "show", "suicide": "hide"}
    )
    assert response.status_code == 302
    assert dict(member.warning_preferences.values_list("theme", "choice")) == {
        "grief": "show",
        "suicide": "hide",
    }


# --- search ---------------------------------------------------------------------------------
def test_search_finds_visible_stories_only_in_readable_groups(client_for, group, member):
    private = GroupFactory(visibility=Group.Visibility.UNLISTED)
    StoryFactory(group=group, title="Walking by the sea helped")
    StoryFactory(group=private, title="Sea swimming secret")
    StoryFactory(group=group, title="Hidden sea thoughts", moderation_state=ModerationState.HIDDEN)
    StoryFactory(group=group, title="Held sea thoughts", moderation_state=ModerationState.HELD)
    StoryFactory(group=group, title="Removed sea thoughts", is_deleted=True)
    body = client_for(member).get(reverse("search"), {"q": "sea"}).content.decode()
    assert "Walking by the sea helped" in body
    for absent in (
        "Sea swimming secret",
        "Hidden sea thoughts",
        "Held sea thoughts",
        "Removed sea thoughts",
    ):
        assert absent not in body


def test_search_matches_reply_text(client_for, group, member):
    story = StoryFactory(group=group, title="Tuesday")
    ReplyFactory(story=story, body="Have you tried chamomile before bed?")
    body = client_for(member).get(
        reverse("stories:search", kwargs={"slug": group.slug}), {"q": "chamomile"}
    )
    assert "Tuesday" in body.content.decode()


def test_search_ignores_hidden_reply_text(client_for, group, member):
    story = StoryFactory(group=group, title="Wednesday")
    ReplyFactory(story=story, body="Zebrafinch words", moderation_state=ModerationState.HIDDEN)
    body = client_for(member).get(reverse("search"), {"q": "zebrafinch"}).content.decode()
    assert "Wednesday" not in body


def test_group_search_stays_in_the_group(client_for, group, other_group, member):
    MembershipFactory(group=other_group, user=member)
    StoryFactory(group=group, title="Garden story here")
    StoryFactory(group=other_group, title="Garden story there")
    body = (
        client_for(member)
        .get(reverse("stories:search", kwargs={"slug": group.slug}), {"q": "garden"})
        .content.decode()
    )
    assert "Garden story here" in body and "Garden story there" not in body


def test_non_member_search_returns_nothing(client_for, group, non_member):
    StoryFactory(group=group, title="Lighthouse")
    body = client_for(non_member).get(reverse("search"), {"q": "lighthouse"}).content.decode()
    assert "Lighthouse" not in body


# --- query counts ---------------------------------------------------------------------------
def _count(client, url) -> int:
    client.get(url)  # warm per-process caches (content types for report links)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["stories:list", "stories:waiting"])
def test_story_list_query_count_does_not_grow(client_for, member, url_name):
    counts = []
    for n in (3, 30):
        group = GroupFactory()
        MembershipFactory(group=group, user=member)
        WarningPreference.objects.get_or_create(
            user=member, theme="abuse", defaults={"choice": "hide"}
        )
        for i in range(n):
            StoryFactory(
                group=group,
                is_anonymous=i % 2 == 0,
                warnings="grief" if i % 3 else "",
                created_at=timezone.now() - timedelta(days=1),
            )
        counts.append(_count(client_for(member), reverse(url_name, kwargs={"slug": group.slug})))
    assert counts[0] == counts[1]


def test_story_page_query_count_does_not_grow(client_for, member):
    counts = []
    for n in (3, 30):
        group = GroupFactory()
        MembershipFactory(group=group, user=member)
        story = StoryFactory(group=group)
        for i in range(n):
            reply = ReplyFactory(story=story, is_anonymous=i % 2 == 0)
            Reaction.objects.create(user=reply.author, reply=reply, kind="hear")
            Reaction.objects.create(user=reply.author, story=story, kind="metoo")
        Reaction.objects.create(user=member, story=story, kind="hear")
        counts.append(_count(client_for(member), story.get_absolute_url()))
    assert counts[0] == counts[1]


def test_search_query_count_does_not_grow(client_for, member):
    counts = []
    for n in (3, 30):
        group = GroupFactory()
        MembershipFactory(group=group, user=member)
        for _ in range(n):
            StoryFactory(group=group, title="Kestrel morning")
        counts.append(
            _count(
                client_for(member),
                reverse("stories:search", kwargs={"slug": group.slug}) + "?q=kestrel",
            )
        )
    assert counts[0] == counts[1]
