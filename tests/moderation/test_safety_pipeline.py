"""The safety scan: scheduling, verdicts, alerts, escalation and the sweeper (tasks inline)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from moderation import crisis, safety, tasks
from moderation.models import AuditLogEntry, Case, CaseEscalation, HeldItem, SafetyScan, WatchedWord
from peersupport.notifications.models import EmailOutbox, Kind, Notification
from stories.models import ModerationState, Story
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.moderation.safety_support import (
    post_chat,
    post_reply,
    post_story,
    scan_for,
)

CRISIS = "I can't do this anymore. I want to kill myself tonight."
CALM = "A hard week, but I went for a walk and it helped a little."


# Tasks run inline even when REDIS_URL points at a real broker (the real-worker tests opt out).
pytestmark = pytest.mark.usefixtures("eager_tasks")


@pytest.fixture
def seasoned_member(group):
    return MembershipFactory(
        group=group, user=UserFactory(date_joined=timezone.now() - timedelta(days=90))
    ).user


@pytest.fixture(autouse=True)
def _hold_first_posts(settings):
    """The scan is under test here, not first-post holds: posts appear at once."""
    settings.MODERATION_HOLD_FIRST_POSTS = 0


def urgent_notifications(user):
    return Notification.objects.filter(recipient=user, kind=Kind.URGENT_FLAG)


def test_posting_marks_the_item_pending_and_enqueues_only_after_commit(
    group, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story = post_story(group=group, author=member, body=CALM)
    scan = scan_for(story)
    assert scan.status == SafetyScan.Status.PENDING
    assert scan.group == group and scan.author == member
    assert callbacks
    for callback in callbacks:
        callback()
    scan.refresh_from_db()
    assert scan.status == SafetyScan.Status.DONE
    assert scan.enqueued_at is not None


def test_calm_story_is_scanned_with_no_case_and_no_alert(
    group, member, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = post_story(group=group, author=member, body=CALM)
    scan = scan_for(story)
    assert scan.status == SafetyScan.Status.DONE
    assert not scan.is_crisis and not scan.spam and scan.case is None
    assert not Case.objects.exists()
    assert not urgent_notifications(facilitator).exists()


def test_crisis_story_opens_one_urgent_case_and_alerts_the_facilitator_once(
    group, member, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = post_story(group=group, author=member, body=CRISIS)
    scan = scan_for(story)
    # The task delivered twice more (a redelivery, a sweep): nothing happens again.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.safety_scan_run(scan.pk) == "already"
        assert tasks.safety_scan_run(scan.pk) == "already"
    scan.refresh_from_db()
    verdict = crisis.detect(CRISIS)
    assert verdict.severity == crisis.HIGH
    assert scan.is_crisis and scan.crisis_category == verdict.category
    assert scan.rules_version == safety.RULES_VERSION and crisis.RULES_VERSION in scan.rules_version
    assert scan.matched["severity"] == crisis.HIGH
    assert scan.matched["crisis"] and scan.matched["crisis"][0]["category"] in crisis.CATEGORIES
    case = Case.objects.get()
    assert case.is_urgent and case.source == Case.Source.SAFETY_SCAN and case.group == group
    assert scan.case == case
    assert urgent_notifications(facilitator).count() == 1
    assert urgent_notifications(facilitator).get().url == case.get_absolute_url()
    assert EmailOutbox.objects.filter(recipient=facilitator, kind=Kind.URGENT_FLAG).count() == 1
    # Never silencing: the story is still there for everyone.
    story.refresh_from_db()
    assert story.is_visible
    assert AuditLogEntry.objects.filter(action="safety.verdict", reason="crisis").count() == 1


def test_the_author_is_not_alerted_about_their_own_post(
    group, member, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_story(group=group, author=member, body=CRISIS)
    assert not urgent_notifications(member).exists()


def test_crisis_reply_and_chat_message_are_scanned_too(
    group, member, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = post_story(group=group, author=facilitator, body=CALM)
    with django_capture_on_commit_callbacks(execute=True):
        reply = post_reply(story=story, author=member, body="Honestly I want to kill myself.")
    with django_capture_on_commit_callbacks(execute=True):
        message = post_chat(group=group, author=member, body="i'm going to end it all tonight")
    assert scan_for(reply).is_crisis
    assert scan_for(message).is_crisis
    assert Case.objects.filter(is_urgent=True).count() == 2


def test_concern_opens_a_non_urgent_case_and_tells_facilitators_calmly(
    group, member, facilitator, django_capture_on_commit_callbacks
):
    text = "Some days I wish I could just disappear. Everyone would be better off without me."
    assert crisis.detect(text).severity == crisis.CONCERN
    with django_capture_on_commit_callbacks(execute=True):
        story = post_story(group=group, author=member, body=text)
    scan = scan_for(story)
    assert scan.is_crisis and scan.matched["severity"] == crisis.CONCERN
    case = Case.objects.get()
    assert not case.is_urgent and case.source == Case.Source.SAFETY_SCAN and scan.case == case
    # No urgent alert, but the group's facilitators hear of it in their ordinary queue.
    assert not urgent_notifications(facilitator).exists()
    told = Notification.objects.filter(recipient=facilitator, kind=Kind.NEW_REPORT)
    assert told.count() == 1 and told.get().url == case.get_absolute_url()
    # Nothing urgent to escalate to administrators later.
    assert safety.cases_due_for_escalation(now=timezone.now() + timedelta(hours=2)) == []


def test_imminent_risk_opens_an_urgent_case(
    group, member, facilitator, django_capture_on_commit_callbacks
):
    text = "I took 30 paracetamol an hour ago and I feel sick."
    assert crisis.detect(text).severity == crisis.IMMINENT
    with django_capture_on_commit_callbacks(execute=True):
        story = post_story(group=group, author=member, body=text)
    assert scan_for(story).matched["severity"] == crisis.IMMINENT
    assert Case.objects.get().is_urgent
    assert urgent_notifications(facilitator).count() == 1


def test_a_task_for_deleted_content_is_a_clean_no_op(
    group, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        story = post_story(group=group, author=member, body=CRISIS)
    scan = scan_for(story)
    Story.objects.filter(pk=story.pk).delete()
    assert tasks.safety_scan_run(scan.pk) == "skipped"
    assert tasks.safety_scan_run(scan.pk) == "already"
    assert tasks.safety_scan_run(987654321) == "gone"
    assert not Case.objects.exists()


def test_a_story_the_author_removed_is_not_scanned(
    group, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        story = post_story(group=group, author=member, body=CRISIS)
    Story.objects.filter(pk=story.pk).update(is_deleted=True)
    assert tasks.safety_scan_run(scan_for(story).pk) == "skipped"


def test_an_edit_resets_the_scan_and_scans_the_new_text(
    group, member, facilitator, django_capture_on_commit_callbacks
):
    from moderation import hooks

    with django_capture_on_commit_callbacks(execute=True):
        story = post_story(group=group, author=member, body=CALM)
    assert not scan_for(story).is_crisis
    Story.objects.filter(pk=story.pk).update(body=CRISIS)
    story.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            hooks.content_posted(content=story, is_edit=True)
    assert scan_for(story).is_crisis
    assert SafetyScan.objects.count() == 1


def test_watched_word_flag_opens_a_case_and_hold_holds_the_post(
    group, facilitator, seasoned_member, django_capture_on_commit_callbacks
):
    WatchedWord.objects.create(
        phrase="casino", normalized="casino", group=group, action=WatchedWord.Action.FLAG
    )
    WatchedWord.objects.create(
        phrase="pills for sale", normalized="pills for sale", action=WatchedWord.Action.HOLD
    )
    with django_capture_on_commit_callbacks(execute=True):
        flagged = post_story(
            group=group, author=seasoned_member, body="I spent the evening at the casino again."
        )
        held = post_story(group=group, author=seasoned_member, body="Pills for sale, message me.")
    flagged_scan, held_scan = scan_for(flagged), scan_for(held)
    assert (
        flagged_scan.watched_word_action == "flag" and flagged_scan.watched_word_phrase == "casino"
    )
    assert Case.objects.get(object_id=flagged.pk).source == Case.Source.WATCHED_WORD
    flagged.refresh_from_db()
    assert flagged.is_visible
    assert held_scan.watched_word_action == "hold"
    assert HeldItem.objects.get(object_id=held.pk).reason == HeldItem.Reason.WATCHED_WORD
    held.refresh_from_db()
    assert held.moderation_state == ModerationState.HELD


def test_crisis_words_are_never_held_even_with_a_hold_word(
    group, facilitator, seasoned_member, django_capture_on_commit_callbacks
):
    WatchedWord.objects.create(
        phrase="tonight", normalized="tonight", group=group, action=WatchedWord.Action.HOLD
    )
    with django_capture_on_commit_callbacks(execute=True):
        story = post_story(group=group, author=seasoned_member, body=CRISIS)
    story.refresh_from_db()
    assert story.is_visible
    assert not HeldItem.objects.exists()
    assert Case.objects.get().is_urgent


def test_links_from_a_new_account_open_a_spam_case_but_not_from_an_old_one(
    group, member, seasoned_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = post_story(
            group=group, author=member, body="Great deals at https://example.com today"
        )
        old = post_story(
            group=group, author=seasoned_member, body="This helped me: https://example.org/sleep"
        )
    assert scan_for(new).spam and scan_for(new).matched["spam"] == ["link_from_new_account"]
    assert not scan_for(old).spam
    assert Case.objects.get().object_id == new.pk


def test_the_same_text_in_two_groups_within_a_day_is_spam(
    group, seasoned_member, django_capture_on_commit_callbacks
):
    elsewhere = GroupFactory()
    MembershipFactory(group=elsewhere, user=seasoned_member)
    text = "Join my amazing wellness programme, it changed everything for me."
    with django_capture_on_commit_callbacks(execute=True):
        first = post_story(group=group, author=seasoned_member, body=text)
    with django_capture_on_commit_callbacks(execute=True):
        second = post_story(group=elsewhere, author=seasoned_member, body=text)
    assert not scan_for(first).spam
    assert scan_for(second).matched["spam"] == ["repeated_across_groups"]


def test_broker_down_while_posting_keeps_the_post_and_leaves_the_scan_pending(
    group, member, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    with mock.patch.object(tasks.safety_scan_run, "delay", side_effect=OperationalError("down")):
        with django_capture_on_commit_callbacks(execute=True):
            story = post_story(group=group, author=member, body=CRISIS)
    assert Story.objects.filter(pk=story.pk).exists()
    assert scan_for(story).status == SafetyScan.Status.PENDING
    # Later, with the broker back, the sweeper finishes it.
    later = timezone.now() + timedelta(minutes=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.safety_scan_sweep() == 1
    assert scan_for(story).status == SafetyScan.Status.DONE
    assert Case.objects.get().is_urgent


def test_the_sweeper_re_enqueues_stale_pending_scans_only(
    group, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        stale = post_story(group=group, author=member, body=CALM)
        fresh = post_story(group=group, author=member, body=CALM + " Again.")
        tired = post_story(group=group, author=member, body=CALM + " Once more.")
    now = timezone.now()
    SafetyScan.objects.filter(pk=scan_for(stale).pk).update(enqueued_at=now - timedelta(minutes=5))
    SafetyScan.objects.filter(pk=scan_for(fresh).pk).update(enqueued_at=now)
    SafetyScan.objects.filter(pk=scan_for(tired).pk).update(
        enqueued_at=now - timedelta(minutes=5), attempts=safety.MAX_ATTEMPTS
    )
    assert safety.scans_due_for_sweep(now=now) == [scan_for(stale).pk]
    # Marked re-enqueued: the next sweep a moment later does not send it twice.
    assert safety.scans_due_for_sweep(now=now + timedelta(seconds=5)) == []
    assert scan_for(fresh).status == SafetyScan.Status.PENDING


def _crisis_case(group, member, django_capture_on_commit_callbacks) -> Case:
    with django_capture_on_commit_callbacks(execute=True):
        post_story(group=group, author=member, body=CRISIS)
    return Case.objects.get()


def test_an_unacknowledged_urgent_case_alerts_administrators_once_after_15_minutes(
    group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    case = _crisis_case(group, member, django_capture_on_commit_callbacks)
    opened = case.opened_at
    assert safety.cases_due_for_escalation(now=opened + timedelta(minutes=14, seconds=59)) == []
    assert safety.case_escalate(case_id=case.pk, now=opened + timedelta(minutes=14)) is None
    later = opened + timedelta(minutes=15, seconds=1)
    assert safety.cases_due_for_escalation(now=later) == [case.pk]
    with django_capture_on_commit_callbacks(execute=True):
        escalation = safety.case_escalate(case_id=case.pk, now=later)
        assert safety.case_escalate(case_id=case.pk, now=later + timedelta(minutes=1)) is None
    assert escalation.admins_alerted == 1
    assert urgent_notifications(admin).count() == 1
    assert CaseEscalation.objects.count() == 1
    assert safety.cases_due_for_escalation(now=later + timedelta(hours=1)) == []
    assert AuditLogEntry.objects.filter(action="case.escalate").count() == 1


@override_settings(SAFETY_ESCALATE_AFTER_MINUTES=5)
def test_the_escalation_time_is_configurable(
    group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    case = _crisis_case(group, member, django_capture_on_commit_callbacks)
    assert safety.cases_due_for_escalation(
        now=case.opened_at + timedelta(minutes=5, seconds=1)
    ) == [case.pk]


def test_a_facilitator_acknowledging_in_time_means_no_escalation(
    group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    from moderation import services

    case = _crisis_case(group, member, django_capture_on_commit_callbacks)
    services.case_claim(actor=facilitator, case=case)
    later = case.opened_at + timedelta(hours=1)
    assert safety.cases_due_for_escalation(now=later) == []
    assert safety.case_escalate(case_id=case.pk, now=later) is None
    assert not urgent_notifications(admin).exists()
    assert AuditLogEntry.objects.filter(action="case.claim").exists()


def test_the_escalation_task_uses_the_clock(
    group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    case = _crisis_case(group, member, django_capture_on_commit_callbacks)
    assert tasks.safety_escalations_due() == 0
    with mock.patch(
        "django.utils.timezone.now", return_value=case.opened_at + timedelta(minutes=16)
    ):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.safety_escalations_due() == 1
            assert tasks.safety_escalations_due() == 0
    assert urgent_notifications(admin).count() == 1


def test_support_request_opens_a_private_urgent_case_about_the_member(
    group, member, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = safety.support_request_create(member=member, group=group)
        again = safety.support_request_create(member=member, group=group)
    assert case.pk == again.pk
    assert case.is_urgent and case.subject == member and case.group == group
    assert case.source == Case.Source.SUPPORT_REQUEST
    assert case.content_type == ContentType.objects.get_for_model(member)
    assert urgent_notifications(facilitator).count() == 1
    assert AuditLogEntry.objects.filter(action="support.request", actor=member).count() == 2


def test_support_request_refuses_a_group_the_member_cannot_read(non_member, group):
    from django.http import Http404

    with pytest.raises(Http404):
        safety.support_request_create(member=non_member, group=group)


def test_a_crisis_title_alone_is_enough_for_the_scan_to_open_an_urgent_case(
    member, facilitator, group, django_capture_on_commit_callbacks
):
    from moderation.models import Case
    from stories import services as story_services

    with django_capture_on_commit_callbacks(execute=True):
        story = story_services.story_submit(
            group=group,
            author=member,
            title="I want to kill myself tonight",
            body="I don't know what else to write.",
            warnings=[],
            warning_note="",
            is_anonymous=False,
            replies_welcome=True,
        )
    assert Case.objects.filter(object_id=story.pk, is_urgent=True).count() == 1


# --- off duty: urgent alerts go to whoever is on duty, else to administrators -----------------
def test_crisis_alert_skips_an_off_duty_facilitator_for_the_one_on_duty(
    group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    from groups.models import Membership
    from peersupport.notifications.services import duty_set

    on_duty = MembershipFactory(group=group, role=Membership.Role.FACILITATOR).user
    duty_set(user=facilitator, off_duty=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_story(group=group, author=member, body=CRISIS)
    assert not urgent_notifications(facilitator).exists()
    assert urgent_notifications(on_duty).count() == 1
    assert not urgent_notifications(admin).exists()


def test_crisis_alert_goes_straight_to_administrators_when_nobody_is_on_duty(
    group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    from peersupport.notifications.services import duty_set

    duty_set(user=facilitator, off_duty=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_story(group=group, author=member, body=CRISIS)
    assert not urgent_notifications(facilitator).exists()
    assert urgent_notifications(admin).count() == 1
    assert EmailOutbox.objects.filter(recipient=admin, kind=Kind.URGENT_FLAG).count() == 1
