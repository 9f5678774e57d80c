"""Moderation wired into stories, replies and chat: adapters, screening, held posts, slow mode."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.chat import services as chat_services
from groups.chat.models import ChatMessage
from moderation import hooks, registry, services
from moderation.models import AuditLogEntry, AuthorNotice, Case, HeldItem, Reason, WatchedWord
from stories import services as story_services
from stories.models import ModerationState, Reply, Story
from tests.factories import MembershipFactory, ReplyFactory, StoryFactory


def chat(group, author, body, client_id="clientid0001"):
    return chat_services.chat_message_post(
        group=group, author=author, body=body, client_id=client_id
    )


def submit(group, author, title="A hard week", body="I'm still here."):
    return story_services.story_submit(group=group, author=author, title=title, body=body)


def word(admin, phrase, action, group=None):
    return services.watched_word_create(actor=admin, phrase=phrase, action=action, group=group)


@pytest.fixture
def story(group, member):
    return StoryFactory(group=group, author=member)


@pytest.fixture
def reply(story, group):
    other = MembershipFactory(group=group).user
    reply = ReplyFactory(story=story, author=other)
    Story.objects.filter(pk=story.pk).update(reply_count=1)
    return reply


# --- adapters -------------------------------------------------------------------------------
def test_story_adapter_reads_and_changes_a_story(story, group, member):
    adapter = registry.adapter_for(story)
    assert (adapter.group(story), adapter.author(story), adapter.title(story)) == (
        group,
        member,
        story.title,
    )
    assert adapter.url(story) == story.get_absolute_url() and adapter.is_visible(story)
    adapter.hide(story, pending=True)
    assert Story.objects.get(
        pk=story.pk
    ).moderation_state == ModerationState.HIDDEN and not adapter.is_visible(story)
    adapter.restore(story)
    assert Story.objects.get(pk=story.pk).moderation_state == ModerationState.VISIBLE
    adapter.hold(story)
    assert Story.objects.get(pk=story.pk).moderation_state == ModerationState.HELD
    adapter.release(story)
    adapter.redact(story, new_text="Some of it is **removed**.")
    story.refresh_from_db()
    assert (
        story.body_html == "<p>Some of it is <strong>removed</strong>.</p>\n"
        and "removed" in story.excerpt
    )


def test_reply_adapter_keeps_the_story_reply_count_right(story, reply):
    adapter = registry.adapter_for(reply)
    assert adapter.group(reply) == story.group and adapter.url(reply).endswith(f"#reply-{reply.pk}")
    adapter.hide(reply, pending=False)
    assert Story.objects.get(pk=story.pk).reply_count == 0
    adapter.hide(reply, pending=False)  # hiding twice never counts twice
    assert Story.objects.get(pk=story.pk).reply_count == 0
    adapter.restore(reply)
    assert Story.objects.get(pk=story.pk).reply_count == 1
    adapter.redact(reply, new_text="[removed]")
    assert Reply.objects.get(pk=reply.pk).body_html == "<p>[removed]</p>\n"


def test_chat_adapter_hides_restores_and_redacts_with_live_broadcasts(
    group, member, django_capture_on_commit_callbacks
):
    message = chat(group, member, "a message").message
    adapter = registry.adapter_for(message)
    assert adapter.group(message) == group and adapter.author(message) == member
    assert (
        adapter.url(message)
        == reverse("chat:room", kwargs={"slug": group.slug})
        + f"?before={message.seq + 1}#msg-{message.seq}"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        adapter.hide(message, pending=False)
        adapter.restore(message)
        adapter.redact(message, new_text="[removed]")
    assert len(callbacks) == 3
    message.refresh_from_db()
    assert message.is_shown and message.body == "[removed]"


# --- watched words refuse or hold before saving ---------------------------------------------
def test_a_blocked_word_refuses_a_story_a_reply_and_a_chat_message_and_saves_nothing(
    group, member, admin, story
):
    word(admin, "buy followers", WatchedWord.Action.BLOCK)
    with pytest.raises(ValidationError) as refused:
        submit(group, member, body="B-U-Y now: buy f0llowers")
    assert "chosen not to allow" in str(refused.value.message_dict["body"])
    with pytest.raises(ValidationError):
        story_services.reply_submit(story=story, author=member, body="buy followers here")
    with pytest.raises(chat_services.ChatRefused) as chat_refused:
        chat(group, member, "BUY FOLLOWERS")
    assert chat_refused.value.code == "blocked"
    assert (
        Story.objects.count() == 1
        and Reply.objects.count() == 0
        and ChatMessage.objects.count() == 0
    )
    with pytest.raises(ValidationError):
        story_services.story_edit(
            story=story, editor=member, title=story.title, body="buy followers"
        )
    assert Story.objects.get(pk=story.pk).body != "buy followers"


def test_a_held_word_saves_the_reply_held_and_queues_it(group, member, admin, story):
    word(admin, "miracle cure", WatchedWord.Action.HOLD, group=group)
    reply = story_services.reply_submit(story=story, author=member, body="Try this miracle cure")
    assert reply.moderation_state == ModerationState.HELD
    item = HeldItem.objects.get(object_id=reply.pk, status=HeldItem.Status.PENDING)
    assert item.reason == HeldItem.Reason.WATCHED_WORD and item.detail == "miracle cure"
    assert Story.objects.get(pk=story.pk).reply_count == 0


def test_a_flagged_word_posts_and_opens_a_case(group, member, admin):
    word(admin, "diet pills", WatchedWord.Action.FLAG)
    message = chat(group, member, "anyone tried diet pills?").message
    assert message.is_shown
    case = Case.objects.get(object_id=message.pk, content_type__model="chatmessage")
    assert case.source == Case.Source.WATCHED_WORD


def test_content_posted_is_called_after_each_save(group, member, story):
    seen = []

    def listener(*, content, is_edit):
        seen.append((type(content).__name__, is_edit, content.pk is not None))

    hooks.on_content_posted(listener)
    try:
        submit(group, member)
        reply = story_services.reply_submit(story=story, author=member, body="Thinking of you.")
        story_services.reply_edit(reply=reply, editor=member, body="Thinking of you today.")
        chat(group, member, "hello")
    finally:
        hooks._listeners.remove(listener)
    assert seen == [
        ("Story", False, True),
        ("Reply", False, True),
        ("Reply", True, True),
        ("ChatMessage", False, True),
    ]


# --- held posts -----------------------------------------------------------------------------
def test_first_story_is_held_then_approved_and_the_next_is_not(group, member, facilitator):
    story = submit(group, member)
    assert story.moderation_state == ModerationState.HELD
    item = HeldItem.objects.get(object_id=story.pk, status=HeldItem.Status.PENDING)
    assert item.reason == HeldItem.Reason.FIRST_POST
    services.held_post_approve(actor=facilitator, item=item)
    assert Story.objects.get(pk=story.pk).moderation_state == ModerationState.VISIBLE
    assert submit(group, member, title="Another").moderation_state == ModerationState.VISIBLE


def test_declined_story_stays_hidden_from_everyone_but_its_author(group, member, facilitator):
    story = submit(group, member)
    item = HeldItem.objects.get(object_id=story.pk)
    services.held_post_decline(
        actor=facilitator, item=item, note="Could you share this in a gentler way?"
    )
    assert Story.objects.get(pk=story.pk).moderation_state == ModerationState.HELD
    assert AuthorNotice.objects.filter(recipient=member).exists()


def test_facilitators_are_never_held(group, facilitator):
    assert submit(group, facilitator).moderation_state == ModerationState.VISIBLE


def test_premoderation_holds_stories_and_replies(group, member, facilitator, story):
    services.group_settings_update(
        actor=facilitator, group=group, premoderation=True, thread_slow_mode_minutes=0
    )
    reply = story_services.reply_submit(story=story, author=member, body="Sending strength.")
    assert reply.moderation_state == ModerationState.HELD
    assert HeldItem.objects.get(object_id=reply.pk).reason == HeldItem.Reason.PREMODERATION
    services.held_post_approve(actor=facilitator, item=HeldItem.objects.get(object_id=reply.pk))
    assert Reply.objects.get(pk=reply.pk).moderation_state == ModerationState.VISIBLE
    assert Story.objects.get(pk=story.pk).reply_count == 1


def test_held_story_is_seen_only_by_its_author_and_facilitators(
    client_for, group, member, facilitator
):
    held = submit(group, member, title="Waiting quietly", body="A held story about quinces")
    other = MembershipFactory(group=group).user
    url = held.get_absolute_url()
    mine = client_for(member).get(url)
    assert mine.status_code == 200 and "waiting for a facilitator" in mine.content.decode()
    assert client_for(other).get(url).status_code == 404
    assert client_for(facilitator).get(url).status_code == 200
    listing = (
        client_for(other).get(reverse("stories:list", kwargs={"slug": group.slug})).content.decode()
    )
    assert "Waiting quietly" not in listing
    StoryFactory(group=group, title="Out in the open", body="A visible story about quinces")
    found = client_for(other).get(reverse("search"), {"q": "quinces"}).content.decode()
    assert "Out in the open" in found and "Waiting quietly" not in found
    assert Story.objects.get(pk=held.pk).reply_count == 0


def test_held_reply_is_not_counted_or_shown_to_others(
    client_for, group, member, facilitator, story
):
    services.group_settings_update(
        actor=facilitator, group=group, premoderation=True, thread_slow_mode_minutes=0
    )
    other = MembershipFactory(group=group).user
    story_services.reply_submit(story=story, author=other, body="A reply about marmalade")
    assert Story.objects.get(pk=story.pk).reply_count == 0
    assert "marmalade" not in client_for(member).get(story.get_absolute_url()).content.decode()
    page = client_for(other).get(story.get_absolute_url()).content.decode()
    assert "marmalade" in page and "waiting for a facilitator" in page


# --- slow mode ------------------------------------------------------------------------------
def test_thread_slow_mode_allows_one_reply_per_member_per_interval(
    group, member, facilitator, story
):
    services.group_settings_update(
        actor=facilitator, group=group, premoderation=False, thread_slow_mode_minutes=10
    )
    story_services.reply_submit(story=story, author=member, body="First thought.")
    with pytest.raises(ValidationError) as refused:
        story_services.reply_submit(story=story, author=member, body="Second thought.")
    assert "slow mode" in str(refused.value.message_dict["body"]) and "reply again at" in str(
        refused.value.message_dict["body"]
    )
    story_services.reply_submit(
        story=story, author=facilitator, body="Facilitators are not slowed."
    )
    story_services.reply_submit(story=story, author=facilitator, body="Really.")
    Reply.objects.filter(author=member).update(created_at=timezone.now() - timedelta(minutes=11))
    story_services.reply_submit(story=story, author=member, body="Later thought.")


def test_a_story_can_override_the_group_slow_mode(group, member, facilitator, story):
    services.group_settings_update(
        actor=facilitator, group=group, premoderation=False, thread_slow_mode_minutes=10
    )
    Story.objects.filter(pk=story.pk).update(reply_slow_mode_minutes=0)
    story.refresh_from_db()
    story_services.reply_submit(story=story, author=member, body="One.")
    story_services.reply_submit(story=story, author=member, body="Two.")


def test_slow_mode_refusal_keeps_the_reply_text_in_the_form(
    client_for, group, member, facilitator, story
):
    services.group_settings_update(
        actor=facilitator, group=group, premoderation=False, thread_slow_mode_minutes=5
    )
    client = client_for(member)
    url = reverse("stories:reply", kwargs={"slug": group.slug, "pk": story.pk})
    assert client.post(url, {"body": "first"}).status_code == 302
    second = client.post(url, {"body": "my second words"})
    assert second.status_code == 400
    body = second.content.decode()
    assert "slow mode" in body and "my second words" in body


# --- muted members --------------------------------------------------------------------------
def test_a_member_muted_through_moderation_is_refused_in_stories_replies_and_chat(
    group, member, facilitator, story
):
    services.member_mute(
        actor=facilitator,
        group=group,
        subject=member,
        until=timezone.now() + timedelta(hours=1),
        reason="cool down",
    )
    with pytest.raises(PermissionDenied):
        submit(group, member)
    with pytest.raises(PermissionDenied):
        story_services.reply_submit(story=story, author=member, body="hi")
    with pytest.raises(chat_services.ChatRefused) as refused:
        chat(group, member, "hi")
    assert refused.value.code == "cannot_post"
    assert AuditLogEntry.objects.filter(action="member.mute", group=group).count() == 1


def test_member_mute_and_remove_go_through_group_services_and_tell_chat(
    group, member, facilitator, monkeypatch
):
    told = []
    from groups import services as group_services

    monkeypatch.setattr(group_services, "chat_member_access_changed", lambda **kw: told.append(kw))
    services.member_mute(actor=facilitator, group=group, subject=member, until=None, reason="r")
    services.member_remove(actor=facilitator, group=group, subject=member, reason="r")
    assert told == [{"group_id": group.pk, "user_id": member.pk}] * 2


def test_removing_the_last_facilitator_through_moderation_is_refused_kindly(
    group, facilitator, admin
):
    with pytest.raises(services.ModerationError):
        services.member_remove(actor=admin, group=group, subject=facilitator, reason="r")


# --- reports, the queue and the case page ---------------------------------------------------
def test_risk_report_on_a_reply_goes_first_and_hiding_it_from_the_case_page_removes_it(
    client_for, group, member, facilitator, story, reply
):
    # An older ordinary case, so "first" means something.
    spam_story = StoryFactory(group=group)
    services.report_create(reporter=member, content=spam_story, reason=Reason.SPAM)
    reporter = MembershipFactory(group=group).user
    report_page = client_for(reporter).get(registry_report_url(reply))
    assert report_page.status_code == 200
    response = client_for(reporter).post(
        registry_report_url(reply), {"reason": Reason.RISK, "note": "worried"}
    )
    assert response.status_code == 302
    case = Case.objects.get(object_id=reply.pk, content_type__model="reply")
    assert case.is_urgent
    queue = client_for(facilitator).get(reverse("moderation:queue")).content.decode()
    assert queue.index(f"/moderation/cases/{case.pk}/") < queue.index(
        f"/moderation/cases/{Case.objects.exclude(pk=case.pk).get().pk}/"
    )
    page = client_for(facilitator).get(case.get_absolute_url()).content.decode()
    assert reply.body in page and story.title in page
    acted = client_for(facilitator).post(
        reverse("moderation:case_act", args=[case.pk]),
        {
            "kind": "hide",
            "reason": "Moved to a private check-in",
            "reason_code": Reason.RISK,
            "note_to_author": "We're here for you.",
        },
    )
    assert acted.status_code == 302
    reply.refresh_from_db()
    assert reply.moderation_state == ModerationState.HIDDEN
    assert Story.objects.get(pk=story.pk).reply_count == 0
    assert reply.body not in client_for(member).get(story.get_absolute_url()).content.decode()
    notice = AuthorNotice.objects.get(recipient=reply.author)
    assert notice.include_help


def registry_report_url(obj) -> str:
    from moderation.templatetags.moderation import report_url

    return report_url(obj)


def test_case_page_hides_restores_and_redacts_stories_and_chat_messages(
    client_for, group, member, facilitator, story
):
    message = chat(group, member, "please see https://example.org").message
    client = client_for(facilitator)
    for content, new_text in ((story, "Part of this was removed."), (message, "[link removed]")):
        case = services.report_create(
            reporter=MembershipFactory(group=group).user, content=content, reason=Reason.SPAM
        ).case
        page = client.get(case.get_absolute_url()).content.decode()
        assert registry.adapter_for(content).excerpt(content)[:20] in page
        act = reverse("moderation:case_act", args=[case.pk])
        assert (
            client.post(
                act, {"kind": "hide_pending", "reason": "checking", "reason_code": Reason.SPAM}
            ).status_code
            == 302
        )
        content.refresh_from_db()
        assert not registry.adapter_for(content).is_visible(content)
        assert (
            client.post(
                act,
                {
                    "kind": "redact",
                    "reason": "link",
                    "reason_code": Reason.SPAM,
                    "new_text": new_text,
                },
            ).status_code
            == 302
        )
        content.refresh_from_db()
        assert registry.adapter_for(content).text(content) == new_text
        # Hidden and redacted: the resolved case can still bring it back.
        assert (
            client.post(
                act, {"kind": "restore", "reason": "fine now", "reason_code": Reason.OTHER}
            ).status_code
            == 302
        )
        content.refresh_from_db()
        assert registry.adapter_for(content).is_visible(content)


def test_report_links_show_beside_others_items_but_not_ones_own(
    client_for, group, member, story, reply
):
    page_for_member = client_for(member).get(story.get_absolute_url()).content.decode()
    assert (
        registry_report_url(reply) in page_for_member
        and registry_report_url(story) not in page_for_member
    )
    page_for_replier = client_for(reply.author).get(story.get_absolute_url()).content.decode()
    assert (
        registry_report_url(story) in page_for_replier
        and registry_report_url(reply) not in page_for_replier
    )


def test_chat_page_has_report_links_for_others_messages_and_a_base_for_live_ones(
    client_for, group, member, facilitator
):
    mine = chat(group, member, "mine", client_id="clientid0001").message
    theirs = chat(group, facilitator, "theirs", client_id="clientid0002").message
    page = (
        client_for(member).get(reverse("chat:room", kwargs={"slug": group.slug})).content.decode()
    )
    assert registry_report_url(theirs) in page and registry_report_url(mine) not in page
    assert 'data-report-base="/moderation/report/' in page


def test_chat_delete_writes_an_audit_row_and_tells_the_author(group, member, facilitator):
    message = chat(group, member, "unkind words").message
    chat_services.chat_message_delete(group=group, actor=facilitator, seq=message.seq)
    entry = AuditLogEntry.objects.get(action="content.remove")
    assert (
        entry.actor == facilitator and entry.group == group and entry.target_id == str(message.pk)
    )
    assert AuthorNotice.objects.filter(recipient=member).exists()
    assert not ChatMessage.objects.get(pk=message.pk).is_shown


def test_story_form_shows_a_blocked_word_as_a_field_error_and_keeps_the_text(
    client_for, group, member, admin
):
    word(admin, "buy followers", WatchedWord.Action.BLOCK)
    url = reverse("stories:create", kwargs={"slug": group.slug})
    response = client_for(member).post(
        url, {"title": "Hello", "body": "You can buy followers here", "replies_welcome": "yes"}
    )
    body = response.content.decode()
    assert (
        response.status_code == 200
        and "chosen not to allow" in body
        and "You can buy followers here" in body
    )
    assert not Story.objects.exists()


def test_a_held_first_story_tells_its_author_it_is_waiting(client_for, group, member):
    url = reverse("stories:create", kwargs={"slug": group.slug})
    response = client_for(member).post(
        url, {"title": "Hello", "body": "My first story", "replies_welcome": "yes"}, follow=True
    )
    assert "waiting for a facilitator" in response.content.decode()
    assert Story.objects.get().moderation_state == ModerationState.HELD


def test_facilitator_sets_a_threads_slow_mode_from_the_story_page_and_it_is_audited(
    client_for, group, member, facilitator, story
):
    page = client_for(facilitator).get(story.get_absolute_url()).content.decode()
    assert "Slow mode for this thread" in page
    assert (
        "Slow mode for this thread"
        not in client_for(member).get(story.get_absolute_url()).content.decode()
    )
    url = reverse("stories:slow_mode", kwargs={"slug": group.slug, "pk": story.pk})
    assert client_for(facilitator).post(url, {"minutes": "15"}).status_code == 302
    assert Story.objects.get(pk=story.pk).reply_slow_mode_minutes == 15
    assert AuditLogEntry.objects.get(action="thread.slow_mode").after == {"minutes": 15}
    story.refresh_from_db()
    story_services.reply_submit(story=story, author=member, body="One.")
    with pytest.raises(ValidationError):
        story_services.reply_submit(story=story, author=member, body="Two.")
    client_for(facilitator).post(url, {"minutes": ""})
    assert Story.objects.get(pk=story.pk).reply_slow_mode_minutes is None
