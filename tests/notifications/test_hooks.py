"""The app's events reach exactly the right people's notification centre, once, and safely."""

import pytest
from django.core import mail

from groups import services as group_services
from groups.models import Group, JoinRequest, Membership
from moderation import services as moderation_services
from moderation.models import Action, HeldItem
from peersupport.notifications import services as notification_services
from peersupport.notifications.mentions import mentioned_users
from peersupport.notifications.models import Kind, Notification
from stories import services as story_services
from stories.models import ModerationState, Reply, Story
from tests.content import make_post
from tests.factories import MembershipFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def notes(user=None, kind=None):
    qs = Notification.objects.all()
    if user is not None:
        qs = qs.filter(recipient=user)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return list(qs)


def recipients(kind):
    return sorted(n.recipient.display_name for n in Notification.objects.filter(kind=kind))


@pytest.fixture
def story_author(group):
    return MembershipFactory(group=group, user=UserFactory(display_name="Storyteller Sam")).user


@pytest.fixture
def story(group, story_author):
    return StoryFactory(group=group, author=story_author, title="Heavy Tuesday")


# --- replies ---------------------------------------------------------------------------------
def test_a_reply_notifies_the_story_author_once_with_a_link_to_the_reply(
    story, story_author, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = story_services.reply_submit(story=story, author=member, body="Sending you warmth.")
    (note,) = notes(story_author)
    assert note.kind == Kind.REPLY_TO_MY_STORY
    assert note.url == f"/groups/{story.group.slug}/stories/{story.pk}/#reply-{reply.pk}"
    assert "Member Mo" in note.text
    assert notes(member) == []


def test_replying_to_your_own_story_notifies_nobody(
    story, story_author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reply_submit(
            story=story, author=story_author, body="An update: a better day."
        )
    assert notes() == []


def test_followers_hear_of_a_reply_but_not_the_replier_nor_followers_who_cannot_read(
    group, story, story_author, member, facilitator, django_capture_on_commit_callbacks
):
    follower = MembershipFactory(group=group, user=UserFactory(display_name="Follower Fay")).user
    gone = MembershipFactory(group=group, user=UserFactory(display_name="Gone Gus")).user
    for user in (follower, gone, member):
        story_services.story_follow(story=story, user=user)
    Membership.objects.filter(user=gone, group=group).update(status=Membership.Status.REMOVED)
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reply_submit(story=story, author=member, body="Me too.")
    assert recipients(Kind.REPLY_TO_MY_STORY) == ["Storyteller Sam"]
    assert recipients(Kind.REPLY_IN_FOLLOWED_STORY) == ["Follower Fay"]
    assert notes(member) == [] and notes(gone) == [] and notes(facilitator) == []


def test_a_reply_to_a_story_whose_author_left_the_site_still_reaches_followers(
    group, story, member, django_capture_on_commit_callbacks
):
    follower = MembershipFactory(group=group, user=UserFactory(display_name="Follower Fay")).user
    story_services.story_follow(story=story, user=follower)
    Story.objects.filter(pk=story.pk).update(author=None)
    story.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reply_submit(story=story, author=member, body="Thinking of you.")
    assert recipients(Kind.REPLY_IN_FOLLOWED_STORY) == ["Follower Fay"]
    assert notes(kind=Kind.REPLY_TO_MY_STORY) == []


def test_an_anonymous_reply_never_names_its_author_in_the_app_or_the_email(
    story, story_author, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reply_submit(
            story=story, author=member, body="Secret words here.", is_anonymous=True
        )
    (note,) = notes(story_author)
    assert "Member Mo" not in note.text
    assert "Anonymous member" in note.text
    (message,) = mail.outbox
    everything = message.subject + message.body
    assert "Member Mo" not in everything
    for private in ("Secret words", "Heavy Tuesday", story.group.name):
        assert private not in everything


def test_the_email_names_no_post_and_no_group_by_default_but_does_when_opted_in(
    story, story_author, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reply_submit(story=story, author=member, body="Secret words here.")
    (message,) = mail.outbox
    assert message.subject == "You have a new reply"
    for private in ("Secret words", "Heavy Tuesday", story.group.name):
        assert private not in message.subject + message.body
    assert "#reply-" in message.body

    notification_services.preferences_update(
        user=story_author,
        deliveries={},
        digest_hour=18,
        quiet_start=None,
        quiet_end=None,
        include_details=True,
    )
    Notification.objects.update(read_at="2026-01-01T00:00Z")
    second = MembershipFactory(group=story.group, user=UserFactory(display_name="Second Sol")).user
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reply_submit(story=story, author=second, body="Another.")
    assert story.group.name in mail.outbox[-1].subject
    assert "Heavy Tuesday" in mail.outbox[-1].body


def _premoderate(group):
    fac = MembershipFactory(group=group, role=Membership.Role.FACILITATOR).user
    moderation_services.group_settings_update(
        actor=fac, group=group, premoderation=True, thread_slow_mode_minutes=0
    )
    return fac


def test_a_held_reply_notifies_no_member_until_it_is_released(
    story, story_author, member, django_capture_on_commit_callbacks
):
    fac = _premoderate(story.group)
    with django_capture_on_commit_callbacks(execute=True):
        reply = story_services.reply_submit(story=story, author=member, body="Held words.")
    assert reply.moderation_state == ModerationState.HELD
    assert recipients(Kind.REPLY_TO_MY_STORY) == []
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.held_post_approve(actor=fac, item=HeldItem.objects.get())
    assert recipients(Kind.REPLY_TO_MY_STORY) == ["Storyteller Sam"]


def test_restoring_a_hidden_reply_is_not_news(
    story, member, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = story_services.reply_submit(story=story, author=member, body="Hidden.")
    case = moderation_services.case_open(content=reply, source="report")
    moderation_services.content_hide(actor=facilitator, case=case, reason="Check", pending=True)
    before = Notification.objects.filter(kind=Kind.REPLY_TO_MY_STORY).count()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.content_restore(actor=facilitator, case=case, reason="Fine")
    reply.refresh_from_db()
    assert reply.is_visible
    assert Notification.objects.filter(kind=Kind.REPLY_TO_MY_STORY).count() == before == 1


def test_a_rolled_back_reply_notifies_nobody(story, member, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                story_services.reply_submit(story=story, author=member, body="Never mind.")
                raise RuntimeError
        except RuntimeError:
            pass
    assert notes() == []


# --- reactions -------------------------------------------------------------------------------
def test_reactions_coalesce_into_one_summary_per_story(
    group, story, story_author, django_capture_on_commit_callbacks
):
    people = [MembershipFactory(group=group).user for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            story_services.reaction_toggle(user=person, kind="hear", story=story)
        story_services.reaction_toggle(user=people[0], kind="strength", story=story)
    (note,) = notes(story_author)
    assert note.kind == Kind.REACTION_SUMMARY
    assert "4 reactions" in note.text
    # The default is the digest: no e-mail per click.
    assert mail.outbox == []
    assert note.email_state == Notification.EmailState.DIGEST_PENDING


def test_after_reading_todays_summary_more_reactions_wait_until_tomorrow(
    group, story, story_author, django_capture_on_commit_callbacks
):
    first, second = MembershipFactory(group=group).user, MembershipFactory(group=group).user
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reaction_toggle(user=first, kind="hear", story=story)
    notification_services.notification_mark_all_read(user=story_author)
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reaction_toggle(user=second, kind="hear", story=story)
    assert len(notes(story_author)) == 1


def test_reacting_to_your_own_story_notifies_nobody(
    story, story_author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reaction_toggle(user=story_author, kind="hear", story=story)
    assert notes() == []


def test_a_reaction_to_a_reply_tells_the_replys_author(
    group, story, member, django_capture_on_commit_callbacks
):
    reply = story_services.reply_submit(story=story, author=member, body="Me too.")
    reactor = MembershipFactory(group=group).user
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reaction_toggle(user=reactor, kind="metoo", reply=reply)
    (note,) = notes(member)
    assert note.kind == Kind.REACTION_SUMMARY and note.url.endswith(f"#reply-{reply.pk}")


# --- mentions --------------------------------------------------------------------------------
def test_mentions_match_whole_display_names_case_insensitively(db):
    ash = UserFactory(display_name="Ash")
    tree = UserFactory(display_name="Ash Tree")
    UserFactory(display_name="Ashley")
    assert mentioned_users("thanks @ash, you helped") == [ash]
    assert mentioned_users("@ASH TREE said so") == [tree]
    assert mentioned_users("mail me at someone@ash.org or @Ashleyx") == []
    assert mentioned_users("no mention here") == []


def test_a_mention_in_a_reply_notifies_readers_only_and_never_the_author(
    group, story, story_author, member, non_member, facilitator, django_capture_on_commit_callbacks
):
    body = "@facilitator fen and @Outside Olu and @Member Mo and @Storyteller Sam, thank you."
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reply_submit(story=story, author=member, body=body)
    assert recipients(Kind.MENTION) == ["Facilitator Fen"]
    # The story's author hears once, as a reply, not twice.
    assert recipients(Kind.REPLY_TO_MY_STORY) == ["Storyteller Sam"]
    assert notes(non_member) == [] and notes(member) == []


def test_an_anonymous_mention_does_not_name_its_author(
    group, member, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story_services.story_submit(
            group=group, author=member, title="Hello", body="Hi @Facilitator Fen", is_anonymous=True
        )
    (note,) = notes(facilitator)
    assert (
        note.kind == Kind.MENTION
        and "Member Mo" not in note.text
        and "Anonymous member" in note.text
    )


def test_a_mention_in_chat_notifies_a_reader(
    group, member, facilitator, non_member, django_capture_on_commit_callbacks
):
    from groups.chat import services as chat_services

    with django_capture_on_commit_callbacks(execute=True):
        chat_services.chat_message_post(
            group=group,
            author=member,
            body="@Facilitator Fen @Outside Olu hi",
            client_id="client-0001-abcdef",
        )
    (note,) = notes(facilitator)
    assert note.kind == Kind.MENTION and note.url == f"/groups/{group.slug}/chat/"
    assert notes(non_member) == []


# --- new stories in a followed group ---------------------------------------------------------
def test_a_new_story_reaches_the_groups_followers_but_not_its_author(
    group, member, facilitator, story_author, django_capture_on_commit_callbacks
):
    for user in (member, story_author):
        notification_services.group_follow_set(user=user, group=group, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        story = story_services.story_submit(
            group=group, author=story_author, title="New here", body="Hello all."
        )
    (note,) = notes(kind=Kind.NEW_STORY_IN_FOLLOWED_GROUP)
    assert note.recipient == member and note.url == story.get_absolute_url()
    assert notes(facilitator) == []


def test_a_held_story_tells_followers_nothing(
    group, member, story_author, django_capture_on_commit_callbacks
):
    notification_services.group_follow_set(user=member, group=group, follow=True)
    _premoderate(group)
    with django_capture_on_commit_callbacks(execute=True):
        story = story_services.story_submit(
            group=group, author=story_author, title="Held", body="Held."
        )
    assert story.moderation_state == ModerationState.HELD
    assert notes(kind=Kind.NEW_STORY_IN_FOLLOWED_GROUP) == []


def test_a_follower_who_was_removed_hears_nothing(
    group, member, story_author, django_capture_on_commit_callbacks
):
    notification_services.group_follow_set(user=member, group=group, follow=True)
    Membership.objects.filter(user=member, group=group).update(status=Membership.Status.REMOVED)
    with django_capture_on_commit_callbacks(execute=True):
        story_services.story_submit(group=group, author=story_author, title="New", body="Hello.")
    assert notes() == []


def test_following_a_group_needs_read_access(group, non_member):
    from django.http import Http404

    with pytest.raises(Http404):
        notification_services.group_follow_set(user=non_member, group=group, follow=True)


# --- join requests ---------------------------------------------------------------------------
@pytest.fixture
def request_group(db):
    from tests.factories import GroupFactory

    return GroupFactory(join_policy=Group.JoinPolicy.REQUEST)


def test_a_join_request_tells_the_facilitators_only(
    request_group, admin, django_capture_on_commit_callbacks
):
    fac = MembershipFactory(group=request_group, role=Membership.Role.FACILITATOR).user
    plain = MembershipFactory(group=request_group).user
    asker = UserFactory(display_name="Hopeful Hal")
    with django_capture_on_commit_callbacks(execute=True):
        group_services.join_request_create(user=asker, group=request_group)
        # A second click makes no second request and no second notification.
        group_services.join_request_create(user=asker, group=request_group)
    (note,) = notes(kind=Kind.JOIN_REQUEST)
    assert note.recipient == fac and note.url == f"/groups/{request_group.slug}/requests/"
    assert notes(plain) == [] and notes(admin) == [] and notes(asker) == []


@pytest.mark.parametrize("decide", ["approve", "decline"])
def test_a_decision_tells_the_requester_and_links_to_the_group(
    request_group, decide, django_capture_on_commit_callbacks
):
    fac = MembershipFactory(group=request_group, role=Membership.Role.FACILITATOR).user
    asker = UserFactory(display_name="Hopeful Hal")
    join_request = group_services.join_request_create(user=asker, group=request_group)
    with django_capture_on_commit_callbacks(execute=True):
        getattr(group_services, f"join_request_{decide}")(by=fac, join_request=join_request)
    (note,) = notes(asker)
    assert note.kind == Kind.JOIN_REQUEST_DECIDED and note.url == f"/groups/{request_group.slug}/"
    assert notes(fac, Kind.JOIN_REQUEST_DECIDED) == []


def test_join_request_events_come_from_the_services_after_commit(
    request_group, django_capture_on_commit_callbacks
):
    from groups import signals

    fac = MembershipFactory(group=request_group, role=Membership.Role.FACILITATOR).user
    heard = []

    def listen(sender, *, join_request_id, signal, **kwargs):
        heard.append((signal, join_request_id))

    signals.join_request_created.connect(listen)
    signals.join_request_decided.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            created = group_services.join_request_create(user=UserFactory(), group=request_group)
        assert heard == []  # nothing before commit
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            group_services.join_request_decline(by=fac, join_request=created)
        # A row saved outside the services is no event: no post_save diffing.
        JoinRequest.objects.create(group=request_group, user=UserFactory())
    finally:
        signals.join_request_created.disconnect(listen)
        signals.join_request_decided.disconnect(listen)
    assert heard == [
        (signals.join_request_created, created.pk),
        (signals.join_request_decided, created.pk),
    ]


def test_a_withdrawn_request_tells_nobody(request_group, django_capture_on_commit_callbacks):
    asker = UserFactory()
    group_services.join_request_create(user=asker, group=request_group)
    with django_capture_on_commit_callbacks(execute=True):
        group_services.join_request_withdraw(user=asker, group=request_group)
    assert notes(asker) == []
    assert JoinRequest.objects.get(user=asker).status == JoinRequest.Status.WITHDRAWN


# --- moderation ------------------------------------------------------------------------------
def test_a_report_reaches_the_groups_moderators_but_not_the_reporter(
    group,
    member,
    facilitator,
    other_facilitator,
    admin,
    django_capture_on_commit_callbacks,
):
    post = make_post(group=group, author=member)
    second_fac = MembershipFactory(group=group, role=Membership.Role.FACILITATOR).user
    with django_capture_on_commit_callbacks(execute=True):
        report = moderation_services.report_create(
            reporter=second_fac, content=post, reason="harassment"
        )
    (note,) = notes(kind=Kind.NEW_REPORT)
    assert note.recipient == facilitator and note.url == f"/moderation/cases/{report.case_id}/"
    assert notes(other_facilitator) == [] and notes(admin) == []


def test_a_risk_report_is_an_urgent_alert_with_the_urgent_email_not_a_routine_one(
    group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    post = make_post(group=group, author=member)
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.report_create(
            reporter=MembershipFactory(group=group).user, content=post, reason="risk"
        )
    assert notes(facilitator, Kind.NEW_REPORT) == []
    assert len(notes(facilitator, Kind.URGENT_FLAG)) == 1
    (message,) = [m for m in mail.outbox if facilitator.email in m.to]
    assert message.subject == "Urgent: someone in one of your groups may need support"
    assert "List-Unsubscribe" not in message.extra_headers


def test_a_risk_report_goes_to_administrators_when_no_facilitator_is_on_duty(
    group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    from peersupport.notifications.services import duty_set

    duty_set(user=facilitator, off_duty=True)
    post = make_post(group=group, author=member)
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.report_create(
            reporter=MembershipFactory(group=group).user, content=post, reason="risk"
        )
    assert notes(facilitator) == []
    assert len(notes(admin, Kind.URGENT_FLAG)) == 1


def test_two_reports_on_one_case_notify_once(
    group, member, facilitator, django_capture_on_commit_callbacks
):
    post = make_post(group=group, author=member)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            moderation_services.report_create(
                reporter=MembershipFactory(group=group).user, content=post, reason="spam"
            )
    assert len(notes(facilitator, Kind.NEW_REPORT)) == 1


def test_a_profile_report_goes_to_administrators(
    group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    # Someone in the member's group: only they can see, and so report, the profile.
    other = MembershipFactory(group=group).user
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.report_create(reporter=member, content=other, reason="other")
    assert recipients(Kind.NEW_REPORT) == ["Admin Ari"]


def test_a_held_post_reaches_the_moderators_and_its_outcome_the_author(
    group, member, facilitator, django_capture_on_commit_callbacks
):
    post = make_post(group=group, author=member)
    with django_capture_on_commit_callbacks(execute=True):
        item = moderation_services.held_item_create(content=post, reason=HeldItem.Reason.FIRST_POST)
    (note,) = notes(kind=Kind.HELD_POST)
    assert note.recipient == facilitator and note.url == "/moderation/held/"
    assert notes(member) == []
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.held_post_approve(actor=facilitator, item=item)
    (outcome,) = notes(member)
    assert outcome.kind == Kind.MODERATION_OUTCOME and outcome.url == "/moderation/notices/"
    assert post.title not in outcome.text


def test_an_appeal_reaches_the_administrators(
    group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    post = make_post(group=group, author=member)
    report = moderation_services.report_create(reporter=facilitator, content=post, reason="spam")
    action = moderation_services.content_hide(
        actor=facilitator, case=report.case, reason="Spam.", reason_code="spam"
    )
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.appeal_create(
            author=member, action=Action.objects.get(pk=action.pk), text="Please look."
        )
    (note,) = notes(admin)
    assert note.url == "/moderation/appeals/"
    assert notes(facilitator, Kind.NEW_REPORT) == []


# --- edits and anonymity of new-story notices ------------------------------------------------
def test_an_edit_tells_only_people_it_newly_names(
    group, story, story_author, member, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story_services.story_edit(
            story=story, editor=story_author, title=story.title, body="Thanks @Member Mo"
        )
    assert recipients(Kind.MENTION) == ["Member Mo"]
    notification_services.notification_mark_all_read(user=member)
    with django_capture_on_commit_callbacks(execute=True):
        story_services.story_edit(
            story=Story.objects.get(pk=story.pk),
            editor=story_author,
            title=story.title,
            body="Thanks @Member Mo and @Facilitator Fen",
        )
    assert recipients(Kind.MENTION) == ["Facilitator Fen", "Member Mo"]
    assert len(notes(member, Kind.MENTION)) == 1


def test_an_edited_reply_naming_someone_new_tells_them(
    story, member, facilitator, django_capture_on_commit_callbacks
):
    reply = story_services.reply_submit(story=story, author=member, body="Hello")
    with django_capture_on_commit_callbacks(execute=True):
        story_services.reply_edit(reply=reply, editor=member, body="Hello @Facilitator Fen")
    (note,) = notes(facilitator)
    assert note.kind == Kind.MENTION and note.url.endswith(f"#reply-{reply.pk}")


def test_an_anonymous_new_story_does_not_name_its_author_to_followers(
    group, member, story_author, django_capture_on_commit_callbacks
):
    notification_services.group_follow_set(user=member, group=group, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        story_services.story_submit(
            group=group, author=story_author, title="Quiet", body="Hello.", is_anonymous=True
        )
    (note,) = notes(member)
    assert "Storyteller Sam" not in note.text and "Anonymous member" in note.text


def test_a_failing_notification_never_breaks_the_post(
    story, member, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(notification_services, "notify", broken)
    with django_capture_on_commit_callbacks(execute=True):
        reply = story_services.reply_submit(story=story, author=member, body="Still here.")
    assert Reply.objects.filter(pk=reply.pk).exists()


def test_a_failing_moderation_notification_never_breaks_the_decision(
    group, member, facilitator, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(notification_services, "notify_group_moderators", broken)
    post = make_post(group=group, author=member)
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.held_item_create(content=post, reason=HeldItem.Reason.FIRST_POST)
    assert HeldItem.objects.count() == 1


def test_notifications_come_from_the_services_events_not_from_saves(
    group, member, story_author, django_capture_on_commit_callbacks
):
    from stories import signals

    notification_services.group_follow_set(user=member, group=group, follow=True)
    heard = []

    def listen(sender, *, signal, **ids):
        heard.append((signal, *ids.values()))

    signals.story_published.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            # A row written outside the services is no event (no post_save diffing).
            StoryFactory(group=group, author=story_author)
        assert heard == [] and notes() == []
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            story = story_services.story_submit(
                group=group, author=story_author, title="Real", body="Hello."
            )
        assert heard == []  # only after commit
        for callback in callbacks:
            callback()
    finally:
        signals.story_published.disconnect(listen)
    assert heard == [(signals.story_published, story.pk)]
    assert [n.recipient for n in notes(kind=Kind.NEW_STORY_IN_FOLLOWED_GROUP)] == [member]


# --- facilitator appointments ----------------------------------------------------------------
def test_an_appointed_facilitator_is_told_in_the_app_and_by_email_once(
    group, member, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        group_services.facilitator_appoint(by=admin, group=group, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        # Appointing someone who already facilitates tells them nothing new.
        group_services.facilitator_appoint(by=admin, group=group, user=member)
    (note,) = notes(member, Kind.ROLE_CHANGED)
    assert "You are now a facilitator of" in note.text and group.name in note.text
    assert note.url == group.get_absolute_url()
    (message,) = [m for m in mail.outbox if member.email in m.to]
    assert message.subject == "Your role in a group has changed"
    assert group.name not in message.subject and group.name not in message.body


def test_a_facilitator_stopped_facilitating_is_told(
    group, facilitator, admin, django_capture_on_commit_callbacks
):
    MembershipFactory(group=group, role=Membership.Role.FACILITATOR)
    membership = Membership.objects.get(group=group, user=facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        group_services.facilitator_remove(by=admin, membership=membership)
    (note,) = notes(facilitator, Kind.ROLE_CHANGED)
    assert "You are no longer a facilitator of" in note.text
    assert any(facilitator.email in m.to for m in mail.outbox)


def test_a_refused_removal_tells_nobody(
    group, facilitator, admin, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(group=group, user=facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            group_services.facilitator_remove(by=admin, membership=membership)
        except group_services.LastFacilitator:
            pass
    assert notes(facilitator, Kind.ROLE_CHANGED) == []
