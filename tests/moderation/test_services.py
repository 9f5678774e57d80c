from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from groups.models import Membership
from moderation import services
from moderation.models import (
    Action,
    Appeal,
    AuditLogEntry,
    AuthorNotice,
    Case,
    HeldItem,
    Reason,
    Report,
    SiteBan,
    WatchedWord,
)
from moderation.selectors import case_queue_for_moderator
from tests.content import make_post, post_state
from tests.factories import MembershipFactory, UserFactory


def member_of(group, **kwargs):
    return MembershipFactory(group=group, **kwargs).user


def test_report_opens_a_case_and_a_second_report_joins_it(group, member, post):
    reporter_a, reporter_b = member_of(group), member_of(group)
    first = services.report_create(reporter=reporter_a, content=post, reason=Reason.SPAM)
    second = services.report_create(
        reporter=reporter_b, content=post, reason=Reason.HARASSMENT, note="mean"
    )
    assert first.case_id == second.case_id
    case = first.case
    assert case.group == group and case.subject == member and case.status == Case.Status.OPEN
    assert not case.is_urgent
    assert AuditLogEntry.objects.filter(action="report.create").count() == 2


def test_risk_report_puts_the_case_first_in_the_queue(group, member, facilitator):
    older = make_post(group=group, author=member_of(group), text="older")
    risky = make_post(group=group, author=member_of(group), text="I can't go on")
    services.report_create(reporter=member, content=older, reason=Reason.SPAM)
    services.report_create(reporter=member, content=risky, reason=Reason.RISK)
    queue = list(case_queue_for_moderator(facilitator))
    assert [c.object_id for c in queue] == [risky.pk, older.pk]
    assert queue[0].is_urgent


def test_full_flow_report_hide_notice_appeal_once_and_admin_overturns(
    group, member, post, facilitator, admin
):
    reporter = member_of(group)
    report = services.report_create(reporter=reporter, content=post, reason=Reason.RISK)
    case = report.case
    services.case_claim(actor=facilitator, case=case)
    action = services.content_hide(
        actor=facilitator,
        case=case,
        reason="Worrying post",
        reason_code=Reason.RISK,
        note_to_author="We care about you.",
    )
    post.refresh_from_db()
    assert post_state(post) == "hidden"
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED and case.outcome == Action.Kind.HIDE
    notice = AuthorNotice.objects.get(recipient=member)
    assert notice.include_help and "We care about you." in notice.message
    assert reporter.display_name not in notice.message  # the reporter is never named

    appeal = services.appeal_create(author=member, action=action, text="I'm okay, I was venting.")
    with pytest.raises(services.AlreadyAppealed):
        services.appeal_create(author=member, action=action, text="again")
    with pytest.raises(PermissionDenied):
        services.appeal_decide(actor=facilitator, appeal=appeal, overturn=True, note="no")
    services.appeal_decide(
        actor=admin, appeal=appeal, overturn=True, note="Restored: thank you for explaining."
    )
    appeal.refresh_from_db()
    post.refresh_from_db()
    assert appeal.status == Appeal.Status.OVERTURNED and post_state(post) == ""
    assert AuthorNotice.objects.filter(recipient=member).count() == 2


def test_appeal_is_not_decided_by_the_administrator_who_acted(group, member, post, admin):
    case = services.report_create(reporter=member_of(group), content=post, reason=Reason.SPAM).case
    action = services.content_hide(actor=admin, case=case, reason="spam")
    appeal = services.appeal_create(author=member, action=action, text="not spam")
    with pytest.raises(PermissionDenied):
        services.appeal_decide(actor=admin, appeal=appeal, overturn=False, note="kept")
    services.appeal_decide(
        actor=UserFactory(is_staff=True), appeal=appeal, overturn=False, note="kept"
    )
    assert Appeal.objects.get().status == Appeal.Status.UPHELD


def test_only_the_affected_member_may_appeal(group, member, post, facilitator):
    case = services.report_create(reporter=member_of(group), content=post, reason=Reason.SPAM).case
    action = services.content_hide(actor=facilitator, case=case, reason="spam")
    with pytest.raises(PermissionDenied):
        services.appeal_create(author=member_of(group), action=action, text="on their behalf")


@override_settings(MODERATION_AUTO_HIDE_REPORTS=3)
def test_auto_hide_pending_review_at_three_distinct_reporters(group, member, post):
    reporters = [member_of(group) for _ in range(3)]
    services.report_create(reporter=reporters[0], content=post, reason=Reason.SPAM)
    services.report_create(reporter=reporters[1], content=post, reason=Reason.HARASSMENT)
    post.refresh_from_db()
    assert post_state(post) == ""
    services.report_create(reporter=reporters[2], content=post, reason=Reason.SPAM)
    post.refresh_from_db()
    assert post_state(post) == "hidden-pending"
    case = Case.objects.get()
    assert case.status == Case.Status.OPEN
    assert case.actions.get().kind == Action.Kind.HIDE_PENDING
    assert AuditLogEntry.objects.filter(action="content.auto_hide", actor__isnull=True).exists()
    assert AuthorNotice.objects.filter(recipient=member).exists()


def test_risk_reports_never_auto_hide(group, post):
    for _ in range(4):
        services.report_create(reporter=member_of(group), content=post, reason=Reason.RISK)
    post.refresh_from_db()
    assert post_state(post) == ""


def test_dismissing_a_case_brings_back_an_auto_hidden_item(group, post, facilitator):
    for _ in range(3):
        services.report_create(reporter=member_of(group), content=post, reason=Reason.SPAM)
    services.case_dismiss(actor=facilitator, case=Case.objects.get(), reason="It's fine")
    post.refresh_from_db()
    assert post_state(post) == ""
    assert Case.objects.get().outcome == Action.Kind.DISMISS


@override_settings(MODERATION_REPORT_RATE=(3, 600))
def test_report_flood_from_one_member_is_rate_limited(group, member):
    posts = [make_post(group=group, author=member_of(group), text=f"post {i}") for i in range(4)]
    for item in posts[:3]:
        services.report_create(reporter=member, content=item, reason=Reason.SPAM)
    with pytest.raises(services.ReportRateLimited):
        services.report_create(reporter=member, content=posts[3], reason=Reason.SPAM)
    assert Report.objects.count() == 3


def test_self_report_is_refused_and_changes_nothing(member, post):
    with pytest.raises(services.SelfReport):
        services.report_create(reporter=member, content=post, reason=Reason.SPAM)
    assert Report.objects.count() == 0 and Case.objects.count() == 0


def test_a_second_report_by_the_same_member_is_refused(group, post):
    reporter = member_of(group)
    services.report_create(reporter=reporter, content=post, reason=Reason.SPAM)
    with pytest.raises(services.AlreadyReported):
        services.report_create(reporter=reporter, content=post, reason=Reason.OTHER)
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "role", ["non_member", "removed_member", "other_facilitator", "pending_requester"]
)
def test_report_on_an_item_the_reporter_cannot_read_is_404(role, request, post):
    user = request.getfixturevalue(role)
    with pytest.raises(Http404):
        services.report_create(reporter=user, content=post, reason=Reason.SPAM)
    assert Report.objects.count() == 0


def test_hidden_item_cannot_be_reported_by_members(group, post, facilitator):
    case = services.report_create(reporter=member_of(group), content=post, reason=Reason.SPAM).case
    services.content_hide(actor=facilitator, case=case, reason="spam")
    post.refresh_from_db()
    with pytest.raises(Http404):
        services.report_create(reporter=member_of(group), content=post, reason=Reason.SPAM)


def test_facilitator_of_another_group_cannot_act_on_a_case(group, post, other_facilitator, member):
    case = services.report_create(reporter=member_of(group), content=post, reason=Reason.SPAM).case
    for call in (
        lambda: services.content_hide(actor=other_facilitator, case=case, reason="x"),
        lambda: services.case_claim(actor=other_facilitator, case=case),
        lambda: services.case_dismiss(actor=member, case=case, reason="x"),
    ):
        with pytest.raises((Http404, PermissionDenied)):
            call()
    post.refresh_from_db()
    case.refresh_from_db()
    assert post_state(post) == "" and case.status == Case.Status.OPEN and case.assignee is None


def test_redact_keeps_the_original_for_moderators(group, member, facilitator):
    post = make_post(group=group, author=member, text="Call me on 07700 900123 any time")
    case = services.report_create(
        reporter=member_of(group), content=post, reason=Reason.PERSONAL_INFO
    ).case
    action = services.content_redact(
        actor=facilitator,
        case=case,
        new_text="Call me [removed] any time",
        reason="phone number",
        reason_code=Reason.PERSONAL_INFO,
    )
    post.refresh_from_db()
    post.refresh_from_db()
    assert post.body == "Call me [removed] any time"
    assert action.original_text == "Call me on 07700 900123 any time"
    entry = AuditLogEntry.objects.get(action="content.redact")
    assert entry.before["text"] == "Call me on 07700 900123 any time"


def test_mute_until_a_time_then_overturned_appeal_unmutes(group, member, post, facilitator, admin):
    case = services.report_create(
        reporter=member_of(group), content=post, reason=Reason.HARASSMENT
    ).case
    until = timezone.now() + timedelta(days=1)
    action = services.member_mute(
        actor=facilitator, group=group, subject=member, until=until, reason="cool off", case=case
    )
    membership = Membership.objects.get(group=group, user=member)
    assert membership.status == Membership.Status.MUTED and membership.muted_until == until
    appeal = services.appeal_create(author=member, action=action, text="sorry")
    services.appeal_decide(actor=admin, appeal=appeal, overturn=True, note="ok")
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE


def _overturn(admin, action, subject):
    appeal = services.appeal_create(author=subject, action=action, text="please look again")
    services.appeal_decide(actor=admin, appeal=appeal, overturn=True, note="ok")
    return AuditLogEntry.objects.get(action="appeal.overturn")


def test_overturned_removal_reinstates_through_the_groups_service(
    group, member, facilitator, admin
):
    action = services.member_remove(actor=facilitator, group=group, subject=member, reason="r")
    entry = _overturn(admin, action, member)
    membership = Membership.objects.get(group=group, user=member)
    # Reinstated like any removed member: back in, and asked to accept the rules again.
    assert membership.status == Membership.Status.ACTIVE
    assert membership.rules_accepted_version == 0
    assert entry.after["membership"] == "active"
    assert AuditLogEntry.objects.filter(action="member.reinstate", actor=admin).count() == 1


def test_overturned_mute_leaves_a_later_removal_alone(group, member, facilitator, admin):
    action = services.member_mute(
        actor=facilitator, group=group, subject=member, until=None, reason="cool off"
    )
    services.member_remove(actor=facilitator, group=group, subject=member, reason="later")
    entry = _overturn(admin, action, member)
    assert Membership.objects.get(group=group, user=member).status == Membership.Status.REMOVED
    assert entry.after["membership"] == "unchanged"
    assert not AuditLogEntry.objects.filter(action="member.unmute").exists()


def test_overturned_ban_lifts_it_through_the_unban_service(member, admin):
    action = services.member_ban(actor=admin, subject=member, reason="spam account")
    other_admin = UserFactory(is_staff=True)
    _overturn(other_admin, action, member)
    member.refresh_from_db()
    assert member.is_active
    assert not SiteBan.objects.filter(user=member, lifted_at__isnull=True).exists()
    unban = AuditLogEntry.objects.get(action="member.unban")
    assert unban.actor == other_admin and unban.after == {"is_active": True, "bans_lifted": 1}


def test_unban_does_not_reopen_an_account_nobody_banned(admin):
    closed = UserFactory(is_active=False)
    services.member_unban(actor=admin, subject=closed)
    closed.refresh_from_db()
    assert not closed.is_active


def test_unban_is_for_administrators_only(member, facilitator, admin):
    services.member_ban(actor=admin, subject=member, reason="spam account")
    with pytest.raises(PermissionDenied):
        services.member_unban(actor=facilitator, subject=member)
    member.refresh_from_db()
    assert not member.is_active


def test_mute_in_the_past_is_refused(group, member, facilitator):
    with pytest.raises(services.ModerationError):
        services.member_mute(
            actor=facilitator,
            group=group,
            subject=member,
            until=timezone.now() - timedelta(hours=1),
            reason="x",
        )
    assert Membership.objects.get(group=group, user=member).status == Membership.Status.ACTIVE


def test_facilitator_cannot_mute_another_facilitator(group, facilitator):
    other = member_of(group, role=Membership.Role.FACILITATOR)
    with pytest.raises(PermissionDenied):
        services.member_mute(actor=facilitator, group=group, subject=other, until=None, reason="x")


def test_remove_from_group(group, member, facilitator):
    services.member_remove(
        actor=facilitator, group=group, subject=member, reason="repeated harassment"
    )
    assert Membership.objects.get(group=group, user=member).status == Membership.Status.REMOVED


def test_site_ban_is_for_administrators_only(group, member, facilitator, admin):
    with pytest.raises(PermissionDenied):
        services.member_ban(actor=facilitator, subject=member, reason="x")
    services.member_ban(actor=admin, subject=member, reason="spam account")
    member.refresh_from_db()
    assert (
        not member.is_active
        and SiteBan.objects.filter(user=member, lifted_at__isnull=True).exists()
    )


@pytest.fixture
def fellow_member(group):
    """Someone who shares a group with `member`, so may see (and report) their profile."""
    return MembershipFactory(group=group).user


def test_profile_reports_are_site_wide_for_administrators(
    member, facilitator, admin, fellow_member
):
    report = services.report_create(
        reporter=fellow_member, content=member, reason=Reason.HARASSMENT
    )
    assert report.case.group is None
    assert list(case_queue_for_moderator(facilitator)) == []
    assert list(case_queue_for_moderator(admin)) == [report.case]
    with pytest.raises(Http404):
        services.case_claim(actor=facilitator, case=report.case)


def test_administrator_redacts_a_profile_bio(member, admin, fellow_member):
    member.bio = "DM me for cheap followers"
    member.save()
    case = services.report_create(reporter=fellow_member, content=member, reason=Reason.SPAM).case
    services.content_redact(
        actor=admin, case=case, new_text="", reason="advert in bio", reason_code=Reason.SPAM
    )
    member.refresh_from_db()
    assert member.bio == ""


def test_profile_cannot_be_hidden(member, admin, fellow_member):
    case = services.report_create(reporter=fellow_member, content=member, reason=Reason.SPAM).case
    with pytest.raises(services.ModerationError):
        services.content_hide(actor=admin, case=case, reason="x")


def test_held_post_approve_and_decline_tell_the_author(group, member, facilitator):
    first = make_post(group=group, author=member, text="my first story")
    second = make_post(group=group, author=member_of(group), text="another first story")
    assert services.held_post_should_hold(group=group, author=member) == HeldItem.Reason.FIRST_POST
    held = services.held_item_create(content=first, reason=HeldItem.Reason.FIRST_POST)
    first.refresh_from_db()
    assert post_state(first) == "held"
    services.held_post_approve(actor=facilitator, item=held)
    first.refresh_from_db()
    assert post_state(first) == ""
    assert services.held_post_should_hold(group=group, author=member) is None
    declined = services.held_item_create(content=second, reason=HeldItem.Reason.FIRST_POST)
    services.held_post_decline(actor=facilitator, item=declined, note="Please remove the surname.")
    second.refresh_from_db()
    assert post_state(second) == "held"
    assert "Please remove the surname." in AuthorNotice.objects.get(recipient=second.author).message
    with pytest.raises(services.ModerationError):
        services.held_post_approve(actor=facilitator, item=declined)


def test_premoderation_holds_every_post_but_not_facilitators(group, member, facilitator):
    services.group_settings_update(
        actor=facilitator, group=group, premoderation=True, thread_slow_mode_minutes=5
    )
    assert (
        services.held_post_should_hold(group=group, author=member, prior_posts=10)
        == HeldItem.Reason.PREMODERATION
    )
    assert services.held_post_should_hold(group=group, author=facilitator) is None


@override_settings(MODERATION_HOLD_FIRST_POSTS=2)
def test_first_posts_count_is_configurable(group, member):
    assert (
        services.held_post_should_hold(group=group, author=member, prior_posts=1)
        == HeldItem.Reason.FIRST_POST
    )
    assert services.held_post_should_hold(group=group, author=member, prior_posts=2) is None


def test_watched_words_scope_site_wide_for_admins_group_for_facilitators(
    group, other_group, facilitator, admin
):
    with pytest.raises(PermissionDenied):
        services.watched_word_create(
            actor=facilitator, phrase="buy followers", action=WatchedWord.Action.BLOCK
        )
    with pytest.raises((Http404, PermissionDenied)):
        services.watched_word_create(
            actor=facilitator, phrase="x", action="flag", group=other_group
        )
    services.watched_word_create(actor=facilitator, phrase="Diet Pills", action="hold", group=group)
    with pytest.raises(services.ModerationError):
        services.watched_word_create(
            actor=facilitator, phrase="diet  pills", action="hold", group=group
        )
    site = services.watched_word_create(actor=admin, phrase="buy followers", action="block")
    assert services.screen_text(text="Buy FOLLOWERS here", group=None).blocked
    services.watched_word_delete(actor=admin, word=site)
    assert not services.screen_text(text="Buy FOLLOWERS here", group=None).blocked


def test_flag_opens_a_case_from_a_watched_word(group, member):
    post = make_post(group=group, author=member, text="anything")
    case = services.case_open(content=post, source=Case.Source.WATCHED_WORD, detail="diet pills")
    assert case.source == Case.Source.WATCHED_WORD and case.reports.count() == 0
    assert (
        services.case_open(content=post, source=Case.Source.SAFETY_SCAN, urgent=True).pk == case.pk
    )
    case.refresh_from_db()
    assert case.is_urgent


def test_moderator_note_is_for_that_groups_facilitators(
    group, other_group, member, facilitator, other_facilitator
):
    services.moderator_note_create(
        actor=facilitator, group=group, subject=member, text="Checked in by message."
    )
    with pytest.raises((Http404, PermissionDenied)):
        services.moderator_note_create(
            actor=other_facilitator, group=group, subject=member, text="x"
        )
    with pytest.raises((Http404, PermissionDenied)):
        services.moderator_note_create(actor=member, group=group, subject=member, text="x")


def test_signals_fire_after_commit(group, post, django_capture_on_commit_callbacks):
    from moderation import signals

    seen = []
    receiver = lambda sender, **kw: seen.append(kw)  # noqa: E731
    signals.report_created.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.report_create(reporter=member_of(group), content=post, reason=Reason.RISK)
    finally:
        signals.report_created.disconnect(receiver)
    assert seen and seen[0]["is_urgent"] is True


def test_unclaimed_risk_cases_are_found_for_escalation(group, post, facilitator):
    from moderation.selectors import urgent_cases_unclaimed

    case = services.report_create(reporter=member_of(group), content=post, reason=Reason.RISK).case
    assert list(urgent_cases_unclaimed(older_than=timedelta(minutes=15))) == []
    Case.objects.filter(pk=case.pk).update(urgent_since=timezone.now() - timedelta(minutes=16))
    assert list(urgent_cases_unclaimed(older_than=timedelta(minutes=15))) == [case]
    services.case_claim(actor=facilitator, case=case)
    assert list(urgent_cases_unclaimed(older_than=timedelta(minutes=15))) == []


def test_a_risk_report_on_an_old_case_starts_the_escalation_clock_then(
    group, post, facilitator, admin
):
    from moderation import safety

    spam = services.report_create(reporter=member_of(group), content=post, reason=Reason.SPAM)
    case = spam.case
    assert not case.is_urgent and case.urgent_since is None
    opened = timezone.now() - timedelta(hours=3)
    Case.objects.filter(pk=case.pk).update(opened_at=opened)
    services.report_create(reporter=member_of(group), content=post, reason=Reason.RISK)
    case.refresh_from_db()
    assert case.is_urgent
    assert case.urgent_since > opened + timedelta(hours=2)
    # Not escalated at once because the case is old: the facilitators get their full time.
    now = timezone.now()
    assert safety.cases_due_for_escalation(now=now) == []
    assert safety.case_escalate(case_id=case.pk, now=now) is None
    later = case.urgent_since + timedelta(minutes=15, seconds=1)
    assert safety.cases_due_for_escalation(now=later) == [case.pk]
    assert safety.case_escalate(case_id=case.pk, now=later) is not None


def test_a_case_opened_urgent_is_urgent_since_it_opened(group, post):
    case = services.report_create(reporter=member_of(group), content=post, reason=Reason.RISK).case
    assert case.urgent_since is not None
    assert abs(case.urgent_since - case.opened_at) < timedelta(seconds=5)
