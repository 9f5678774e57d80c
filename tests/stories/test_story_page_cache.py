"""The story page's cached reply cards: right for every viewer, and fresh after every write.

Each test reads the page once to fill the cache (as another viewer where that matters), then
reads it again, so what is checked is what a warm cache serves.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups import services as group_services
from groups.models import Membership
from moderation.services import case_open, content_hide, content_restore, member_mute
from stories import services
from stories.models import ModerationState, Reaction, Reply, Story, WarningPreference
from tests.factories import MembershipFactory, ReplyFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client, story) -> str:
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def card(body: str, reply: Reply) -> str:
    """The markup of one reply card."""
    match = re.search(
        rf'<article class="card reply" id="reply-{reply.pk}".*?</article>', body, re.S
    )
    assert match, f"reply {reply.pk} is not on the page"
    return match.group(0)


LABELS = {"I hear you": "hear", "Me too": "metoo", "Sending strength": "strength"}
LABELS["Thank you for sharing"] = "thanks"


def pressed(html: str) -> set[str]:
    """The viewer's own reactions: marked tallies on the page, pressed buttons in the form."""
    marked = re.findall(r'<li class="reaction-tally is-mine">([^<]+?) <span', html)
    buttons = re.findall(r'value="(\w+)" aria-pressed="true"', html)
    return {LABELS[label] for label in marked} | set(buttons)


@pytest.fixture
def thread(group, member, facilitator):
    """A story with: another member's anonymous reply (reacted to by `member`), `member`'s own
    anonymous reply, `member`'s held reply, another member's hidden reply."""
    other = MembershipFactory(group=group, user=UserFactory(display_name="Other Ola")).user
    story = StoryFactory(group=group, title="The long week")
    theirs = ReplyFactory(story=story, author=other, is_anonymous=True, body="Their words")
    mine = ReplyFactory(story=story, author=member, is_anonymous=True, body="My own words")
    held = ReplyFactory(
        story=story, author=member, body="My held words", moderation_state=ModerationState.HELD
    )
    hidden = ReplyFactory(
        story=story, author=other, body="Hidden words", moderation_state=ModerationState.HIDDEN
    )
    Reaction.objects.create(user=member, reply=theirs, kind="hear")
    Reaction.objects.create(user=other, reply=theirs, kind="metoo")
    return {
        "story": story,
        "reader": MembershipFactory(group=group).user,  # wrote nothing in the thread
        "other": other,
        "theirs": theirs,
        "mine": mine,
        "held": held,
        "hidden": hidden,
    }


# --- per role, on a warm cache ----------------------------------------------------------------
def test_member_sees_own_reactions_own_links_and_held_reply_not_others(client_for, thread, member):
    story, theirs, mine = thread["story"], thread["theirs"], thread["mine"]
    page(client_for(thread["other"]), story)  # another member fills the member cache first
    body = page(client_for(member), story)
    assert pressed(card(body, theirs)) == {"hear"}
    assert pressed(card(body, mine)) == set()
    # Own links on the own reply only; "Report" on the others' only.
    edit = reverse("stories:reply_edit", kwargs={"slug": story.group.slug, "pk": mine.pk})
    assert edit in card(body, mine) and "Report" not in card(body, mine)
    assert "/edit/" not in card(body, theirs) and "Report" in card(body, theirs)
    # Anonymous: "(you)" on the own one, no names anywhere.
    assert "(you)" in card(body, mine) and "(you)" not in card(body, theirs)
    replies = body.split('id="replies-heading"')[1]
    assert "Other Ola" not in replies and "Member Mo" not in card(body, mine)
    # Their own held reply, with the notice; nobody's hidden one.
    assert "My held words" in body and "Your reply is waiting for a facilitator" in body
    assert "Hidden words" not in body
    assert "Pin to the top" not in body and "Earlier versions" not in body


def test_another_member_never_gets_the_first_members_state(client_for, thread, member):
    story = thread["story"]
    page(client_for(member), story)  # member's reactions and links are on their page ...
    body = page(client_for(thread["other"]), story)  # ... and not on the next viewer's
    assert pressed(card(body, thread["theirs"])) == {"metoo"}  # theirs, not member's "hear"
    assert "My held words" not in body and "Your reply is waiting" not in body
    edit = reverse("stories:reply_edit", kwargs={"slug": story.group.slug, "pk": thread["mine"].pk})
    assert edit not in body
    # Their own anonymous reply says "(you)" to them, and member's does not.
    assert "(you)" in card(body, thread["theirs"]) and "(you)" not in card(body, thread["mine"])


def test_counts_show_only_above_zero_and_one_reaction_control_per_post(client_for, thread, member):
    client = client_for(member)
    body = page(client, thread["story"])
    theirs, mine = card(body, thread["theirs"]), card(body, thread["mine"])
    for one in (theirs, mine):
        assert one.count('class="reaction-toggle"') == 1 and "<form" not in one
    assert 'class="reaction-count">1<' in theirs and "reaction-tallies" in theirs
    assert "reaction-tallies" not in mine and 'class="reaction-count">0' not in body
    assert body.count('class="reaction-toggle"') == 1 + 2  # the story and the two visible replies
    # "React" opens ONE form with the four choices, the viewer's own pressed.
    url = reverse(
        "stories:reply_react",
        kwargs={"slug": thread["story"].group.slug, "pk": thread["theirs"].pk},
    )
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert form.count("<form") == 1 and form.count('name="kind"') == 4
    assert re.findall(r'value="(\w+)" aria-pressed="true"', form) == ["hear"]
    # Without JavaScript the same link is a small page with the same form.
    full = client.get(url).content.decode()
    assert "Send a support reaction" in full and full.count('name="kind"') == 4


def test_facilitator_sees_held_hidden_anonymous_authors_and_controls(
    client_for, thread, member, facilitator
):
    story = thread["story"]
    services.reply_edit(reply=thread["mine"], editor=member, body="My own words, edited")
    page(client_for(member), story)
    body = page(client_for(facilitator), story)
    assert "Hidden words" in body and "My held words" in body
    assert "Hidden by a facilitator" in card(body, thread["hidden"])
    assert "posted by Other Ola, shown to facilitators only" in card(body, thread["theirs"])
    assert "posted by Member Mo, shown to facilitators only" in card(body, thread["mine"])
    assert "Earlier versions" in card(body, thread["mine"])
    assert "Pin to the top" in body and "slow-mode-form" in body
    # A facilitator is not the author: no "Your reply is waiting", no edit links on others'.
    assert "Your reply is waiting" not in body and "/edit/" not in card(body, thread["theirs"])


def test_admin_sees_what_facilitators_see(client_for, thread, admin):
    body = page(client_for(admin), thread["story"])
    assert "Hidden words" in body and "posted by Other Ola" in body


def test_facilitator_cache_never_reaches_members(client_for, thread, facilitator):
    page(client_for(facilitator), thread["story"])
    body = page(client_for(thread["reader"]), thread["story"])
    replies = body.split('id="replies-heading"')[1]
    assert "Hidden words" not in body and "Pin to the top" not in body
    assert "posted by" not in replies and "Other Ola" not in replies


def test_content_warning_folds_per_reader_preference(client_for, group, member):
    story = StoryFactory(group=group, warnings="grief", body="Quiet grief words")
    ReplyFactory(story=story)
    shows = MembershipFactory(group=group).user
    WarningPreference.objects.create(user=shows, theme="grief", choice="show")
    page(client_for(shows), story)
    assert 'class="warning-details"' in page(client_for(member), story)
    assert 'class="warning-details"' not in page(client_for(shows), story)


def test_muted_member_gets_no_composer_and_no_reaction_buttons(
    client_for, thread, member, muted_member
):
    story = thread["story"]
    page(client_for(member), story)
    body = page(client_for(muted_member), story)
    assert 'name="body"' not in body and "paused your posting" in body
    assert 'class="reaction-toggle"' not in body and 'class="reaction-count">1<' in body
    assert 'name="body"' in page(client_for(member), story)


# --- the cache serves, and every write through the services clears what it changes -----------
def test_a_warm_page_comes_from_the_cache(client_for, thread):
    client = client_for(thread["reader"])
    page(client, thread["story"])
    # Written behind the services' back: not seen, because the cached cards are used ...
    Reply.objects.filter(pk=thread["theirs"].pk).update(body_html="<p>Sneaky words</p>")
    assert "Sneaky words" not in page(client, thread["story"])
    # ... until the thread's version moves.
    Story.objects.filter(pk=thread["story"].pk).update(version=99)
    assert "Sneaky words" in page(client, thread["story"])


def test_new_reply_invalidates(client_for, thread, member):
    client = client_for(member)
    page(client, thread["story"])
    services.reply_submit(story=thread["story"], author=thread["other"], body="Brand new reply")
    assert "Brand new reply" in page(client, thread["story"])


def test_reply_edit_invalidates(client_for, thread, member):
    client = client_for(member)
    page(client, thread["story"])
    services.reply_edit(reply=thread["mine"], editor=member, body="Changed my mind")
    body = page(client, thread["story"])
    assert "Changed my mind" in card(body, thread["mine"]) and "edited" in card(
        body, thread["mine"]
    )


def test_reply_delete_invalidates(client_for, thread, member):
    client = client_for(member)
    page(client, thread["story"])
    services.reply_delete(reply=thread["mine"], user=member)
    body = page(client, thread["story"])
    assert "My own words" not in body and "removed by the author" in card(body, thread["mine"])


def test_reaction_on_reply_invalidates_counts_and_pressed_state(client_for, thread, member):
    client, other = client_for(member), client_for(thread["other"])
    page(client, thread["story"]), page(other, thread["story"])
    services.reaction_toggle(user=member, kind="strength", reply=thread["mine"])
    assert pressed(card(page(client, thread["story"]), thread["mine"])) == {"strength"}
    others_view = card(page(other, thread["story"]), thread["mine"])
    assert 'class="reaction-count">1<' in others_view and pressed(others_view) == set()
    services.reaction_toggle(user=member, kind="strength", reply=thread["mine"])
    assert "reaction-tallies" not in card(page(client, thread["story"]), thread["mine"])


def test_reaction_on_story_invalidates(client_for, thread, member):
    client = client_for(member)
    page(client, thread["story"])
    services.reaction_toggle(user=member, kind="thanks", story=thread["story"])
    body = page(client, thread["story"])
    control = re.search(r'<div class="reactions" id="reactions-story-\d+".*?</div>', body, re.S)
    assert pressed(control.group(0)) == {"thanks"}
    assert 'class="reaction-count">1<' in control.group(0)


def test_story_edit_and_delete_invalidate(client_for, thread, member):
    story, author = thread["story"], thread["story"].author
    client = client_for(member)
    page(client, story)
    services.story_edit(story=story, editor=author, title="The long week", body="New story text")
    assert "New story text" in page(client, story)
    services.story_delete(story=story, user=author)
    assert "This story was removed by the author." in page(client, story)


def test_moderation_hide_and_restore_invalidate(client_for, thread, member, facilitator):
    client = client_for(member)
    page(client, thread["story"])
    case = case_open(content=thread["theirs"], source="flag")
    content_hide(actor=facilitator, case=case, reason="Unkind")
    assert "Their words" not in page(client, thread["story"])
    content_restore(actor=facilitator, case=case, reason="On reflection it is fine")
    assert "Their words" in page(client, thread["story"])


def test_held_reply_released_invalidates(client_for, thread, member, facilitator):
    from moderation.services import held_item_create, held_post_approve

    other = client_for(thread["other"])
    assert "My held words" not in page(other, thread["story"])
    item = held_item_create(content=thread["held"], reason="first_post")
    held_post_approve(actor=facilitator, item=item)
    assert "My held words" in page(other, thread["story"])


def test_slow_mode_and_pin_invalidate(client_for, thread, facilitator):
    client = client_for(facilitator)
    page(client, thread["story"])
    services.story_slow_mode_set(story=thread["story"], user=facilitator, minutes=15)
    assert re.search(r'<option value="15" selected>', page(client, thread["story"]))
    services.story_pin(story=thread["story"], user=facilitator)
    assert "Unpin" in page(client, thread["story"])
    services.story_unpin(story=thread["story"], user=facilitator)
    assert "Pin to the top" in page(client, thread["story"])


def test_membership_changes_show_at_once(client_for, thread, group, member, facilitator):
    client = client_for(member)
    assert 'name="body"' in page(client, thread["story"])
    member_mute(
        actor=facilitator,
        group=group,
        subject=member,
        until=timezone.now() + timedelta(hours=1),
        reason="A pause",
    )
    assert 'name="body"' not in page(client, thread["story"])
    membership = Membership.objects.get(group=group, user=member)
    group_services.membership_unmute(by=facilitator, membership=membership)
    assert 'name="body"' in page(client, thread["story"])
    group_services.facilitator_appoint(by=UserFactory(is_staff=True), group=group, user=member)
    body = page(client, thread["story"])
    assert "Hidden words" in body and "Pin to the top" in body


def test_warning_preferences_invalidate(
    client_for, group, member, django_capture_on_commit_callbacks
):
    story = StoryFactory(group=group, warnings="grief")
    client = client_for(member)
    assert 'class="warning-details"' in page(client, story)
    with django_capture_on_commit_callbacks(execute=True):
        services.warning_preferences_set(user=member, choices={"grief": "show"})
    assert 'class="warning-details"' not in page(client, story)


def test_follow_shows_at_once(client_for, thread, member):
    client = client_for(member)
    assert "Follow this story" in page(client, thread["story"])
    services.story_follow(story=thread["story"], user=member)
    assert "Stop following" in page(client, thread["story"])


# --- query counts, pinned -------------------------------------------------------------------
def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("replies", [3, 50])
def test_story_page_queries_are_pinned(client_for, group, member, replies):
    story = StoryFactory(group=group)
    for i in range(replies):
        reply = ReplyFactory(story=story, is_anonymous=i % 2 == 0)
        Reaction.objects.create(user=reply.author, reply=reply, kind="hear")
    Reaction.objects.create(user=member, story=story, kind="hear")
    client = client_for(member)
    url = story.get_absolute_url()
    ContentType.objects.get_for_models(Story, Reply)  # per-process, for the report links
    # Cold: session, user, group, memberships, story (+ follow, own held replies), replies
    # count, replies, reaction counts, own reactions, warning choices, unread count.
    assert _queries(client, url) == 11
    # Warm: session, user, group, memberships, story, unread count.
    assert _queries(client, url) == 6


def test_story_list_queries_are_pinned(client_for, group, member):
    for _ in range(30):
        StoryFactory(group=group)
    client = client_for(member)
    url = reverse("stories:list", kwargs={"slug": group.slug})
    client.get(url)
    # session, user, group, memberships, count, stories, unread count.
    assert _queries(client, url) == 7


def test_account_purge_invalidates_their_replies_and_reactions(client_for, thread, member):
    from peersupport.accounts import deletion
    from peersupport.accounts.models import AccountDeletion

    reader = client_for(thread["reader"])
    body = page(reader, thread["story"])
    assert "My own words" in body and 'class="reaction-count">1<' in card(body, thread["theirs"])
    d = deletion.account_deletion_request(user=member, choice="remove_all")
    AccountDeletion.objects.filter(pk=d.pk).update(purge_after=timezone.now())
    assert deletion.account_purge(deletion_id=d.pk)
    body = page(reader, thread["story"])
    assert "My own words" not in body and "removed by the author" in card(body, thread["mine"])
    # Their "I hear you" on the other reply is gone from the counts too.
    assert "I hear you" not in card(body, thread["theirs"])


def test_second_page_numbers_replies_on_from_fifty_one(client_for, group, member):
    story = StoryFactory(group=group)
    for _ in range(52):
        ReplyFactory(story=story)
    client = client_for(member)
    page(client, story)
    body = client.get(story.get_absolute_url() + "?page=2").content.decode()
    assert 'aria-label="Reply 51"' in body and 'aria-label="Reply 52"' in body
    assert "Page 2 of 2" in body and 'aria-label="Reply 50"' not in body
