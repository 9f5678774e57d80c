"""The facilitator's console (issue 19): the lost note, the risk protocol, one dialog per
incident, private messages, held posts and appeals with their content, the queue, the audit log."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from groups.models import Membership
from moderation import selectors, services, tasks
from moderation.models import (
    Action,
    Appeal,
    AuditLogEntry,
    AuthorNotice,
    Case,
    CaseFollowUp,
    MessageTemplate,
    Reason,
    StaffMessage,
)
from moderation.services.base import ModerationError
from peersupport.notifications.models import Kind, Notification
from tests.content import make_post, post_state
from tests.factories import AdminFactory, MembershipFactory, UserFactory

NOTE = "We're thinking of you. You're welcome here."


def reported_case(group, author, *, reason=Reason.SPAM, text="A hard week."):
    post = make_post(group=group, author=author, text=text)
    reporter = MembershipFactory(group=group).user
    return services.report_create(reporter=reporter, content=post, reason=reason).case


def act(client, case, **data):
    return client.post(reverse("moderation:case_act", kwargs={"pk": case.pk}), data)


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- 1. the lost note ------------------------------------------------------------------------
ACTION_DATA = {
    "dismiss": {},
    "hide": {},
    "hide_pending": {},
    "restore": {},
    "redact": {"new_text": "[removed by a facilitator]"},
    "warn": {},
    "mute": {"mute_for": "24h"},
    "remove": {},
    "ban": {},
}


@pytest.mark.parametrize("kind", sorted(ACTION_DATA))
def test_the_note_to_the_member_reaches_them_for_every_action_kind(
    kind, client_for, group, member, facilitator, admin
):
    case = reported_case(group, member)
    actor = admin if kind == "ban" else facilitator
    response = act(
        client_for(actor),
        case,
        kind=kind,
        reason_code=Reason.OTHER,
        reason="Looked at it together.",
        note_to_author=NOTE,
        **ACTION_DATA[kind],
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    notices = AuthorNotice.objects.filter(recipient=member)
    assert notices.count() == 1
    assert NOTE in notices.get().message
    assert any("told privately" in m or "note was sent" in m for m in flash(response))


def test_closing_with_no_action_and_no_note_says_nobody_was_told(
    client_for, group, member, facilitator
):
    case = reported_case(group, member)
    response = act(
        client_for(facilitator), case, kind="dismiss", reason_code=Reason.OTHER, reason="Fine."
    )
    assert response.status_code == 302
    assert not AuthorNotice.objects.exists()
    assert flash(response) == ["Closed with no action. Nobody was sent a message."]


# --- 2. the risk protocol ---------------------------------------------------------------------
def test_no_sanction_or_reason_is_preselected_on_a_case(client_for, group, member, facilitator):
    case = reported_case(group, member, reason=Reason.RISK)
    page = client_for(facilitator).get(case.get_absolute_url()).content.decode()
    assert 'name="kind"' in page
    assert not re.search(r'name="kind"[^>]*checked', page)
    assert not re.search(r'name="also_warn"[^>]*checked', page)
    assert '<option value="" selected>Choose one…</option>' in page
    assert "Someone may be at risk: what helps" in page
    assert "Hand over to administrators now" in page


def test_the_action_form_refuses_a_missing_reason_code(client_for, group, member, facilitator):
    case = reported_case(group, member)
    response = act(client_for(facilitator), case, kind="hide", reason="x")
    assert response.status_code == 400
    assert "Please choose the rule or concern closest to this." in response.content.decode()
    assert Case.objects.get(pk=case.pk).is_open


def test_an_urgent_case_needs_outreach_or_a_reason_to_close_with_no_action(
    client_for, group, member, facilitator
):
    case = reported_case(group, member, reason=Reason.RISK)
    client = client_for(facilitator)
    response = act(client, case, kind="dismiss", reason_code=Reason.RISK, reason="Seems OK")
    assert response.status_code == 400
    assert "Please send them a private message first" in response.content.decode()
    assert Case.objects.get(pk=case.pk).is_open
    with pytest.raises(ModerationError):
        services.case_dismiss(actor=facilitator, case=case, reason="Seems OK")
    response = act(
        client,
        case,
        kind="dismiss",
        reason_code=Reason.RISK,
        reason="Seems OK",
        no_outreach_reason="They told the group they are with family tonight.",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.is_open
    assert "with family tonight" in case.actions.get(kind=Action.Kind.DISMISS).reason


def test_a_private_message_from_the_case_counts_as_outreach(
    client_for, group, member, facilitator, django_capture_on_commit_callbacks
):
    case = reported_case(group, member, reason=Reason.RISK)
    client = client_for(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("moderation:case_message", kwargs={"pk": case.pk}),
            {"body": "I read your post and wanted to check in. How are you?"},
        )
    assert sent.status_code == 302
    message = StaffMessage.objects.get()
    assert message.case == case and message.thread.member == member
    assert Notification.objects.filter(recipient=member, kind=Kind.MODERATION_OUTCOME).exists()
    assert "check in" not in Notification.objects.get(recipient=member).text
    response = act(client, case, kind="dismiss", reason_code=Reason.RISK, reason="Reached out")
    assert response.status_code == 302
    assert not Case.objects.get(pk=case.pk).is_open


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_a_supportive_message_that_is_empty_or_too_long_is_a_field_error(
    body, client_for, group, member, facilitator
):
    case = reported_case(group, member, reason=Reason.RISK)
    response = client_for(facilitator).post(
        reverse("moderation:case_message", kwargs={"pk": case.pk}), {"body": body}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Please write a message first." in text or "under 2000 characters" in text
    assert not StaffMessage.objects.exists()
    assert not AuditLogEntry.objects.filter(action="message.send").exists()


def test_a_template_starts_the_message_and_administrators_maintain_them(
    client_for, group, member, facilitator, admin
):
    template = MessageTemplate.objects.create(
        title="Gentle check-in", body="Thinking of you today."
    )
    case = reported_case(group, member, reason=Reason.RISK)
    page = client_for(facilitator).get(f"{case.get_absolute_url()}?template={template.pk}")
    assert "Gentle check-in" in page.content.decode()
    assert "Thinking of you today.</textarea>" in page.content.decode()
    change = reverse("admin:moderation_messagetemplate_change", args=[template.pk])
    assert client_for(admin).get(change).status_code == 200


def test_hand_over_alerts_administrators_at_once(
    client_for, group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    other_admin = AdminFactory(display_name="Admin Bo")
    case = reported_case(group, member, reason=Reason.RISK)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(facilitator).post(
            reverse("moderation:case_handover", kwargs={"pk": case.pk}),
            {"note": "I'm unsure: they mention tonight."},
        )
    assert response.status_code == 302
    for person in (admin, other_admin):
        alert = Notification.objects.get(recipient=person, kind=Kind.URGENT_FLAG)
        assert alert.url == case.get_absolute_url()
    case.refresh_from_db()
    assert case.is_open and case.assignee == facilitator
    assert case.actions.filter(kind=Action.Kind.HANDOVER).exists()
    assert AuditLogEntry.objects.filter(action="case.handover").exists()


def test_hand_over_without_a_note_is_a_field_error(client_for, group, member, facilitator, admin):
    case = reported_case(group, member, reason=Reason.RISK)
    response = client_for(facilitator).post(
        reverse("moderation:case_handover", kwargs={"pk": case.pk}), {"note": ""}
    )
    assert response.status_code == 400
    assert not Notification.objects.filter(recipient=admin).exists()


def test_a_follow_up_in_the_past_is_a_field_error(client_for, group, member, facilitator):
    case = reported_case(group, member, reason=Reason.RISK)
    past = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(facilitator).post(
        reverse("moderation:case_follow_up", kwargs={"pk": case.pk}), {"when": "at", "at": past}
    )
    assert response.status_code == 400
    assert "Please choose a time in the future." in response.content.decode()
    assert not CaseFollowUp.objects.exists()
    with pytest.raises(ModerationError):
        services.case_follow_up_plan(
            actor=facilitator, case=case, due_at=timezone.now() - timedelta(minutes=1)
        )


def test_a_follow_up_reminds_the_claimer_once_when_due(
    client_for, group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    case = reported_case(group, member, reason=Reason.RISK)
    services.case_claim(actor=facilitator, case=case)
    response = client_for(admin).post(
        reverse("moderation:case_follow_up", kwargs={"pk": case.pk}), {"when": "4"}
    )
    assert response.status_code == 302
    follow_up = CaseFollowUp.objects.get()
    assert follow_up.owner == facilitator
    assert tasks.case_follow_ups_due() == 0  # not due yet
    CaseFollowUp.objects.filter(pk=follow_up.pk).update(
        due_at=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.case_follow_ups_due() == 1
        assert tasks.case_follow_ups_due() == 0
    reminder = Notification.objects.get(recipient=facilitator, kind=Kind.URGENT_FLAG)
    assert reminder.url == case.get_absolute_url()


# --- 3. one dialog per incident ------------------------------------------------------------
def test_hide_warn_and_mute_in_one_submission_send_one_notice_with_one_appeal(
    client_for, group, member, facilitator, admin
):
    case = reported_case(group, member)
    response = act(
        client_for(facilitator),
        case,
        kind="hide",
        also_warn="on",
        mute_for="24h",
        reason_code=Reason.HARASSMENT,
        reason="Unkind to another member.",
        note_to_author=NOTE,
    )
    assert response.status_code == 302
    actions = list(Action.objects.filter(subject=member).order_by("pk"))
    assert [a.kind for a in actions] == ["hide", "warn", "mute"]
    assert actions[1].bundle == actions[0] and actions[2].bundle == actions[0]
    notice = AuthorNotice.objects.get(recipient=member)
    assert notice.action == actions[0]
    for words in ("hidden your post", "remind you of the group's rules", "paused your posting"):
        assert words in notice.message
    assert notice.message.count("ask an administrator to look again") == 1
    assert Membership.objects.get(group=group, user=member).status == Membership.Status.MUTED
    page = client_for(member).get(reverse("moderation:notices")).content.decode()
    assert page.count("Ask an administrator to look again") == 1
    # The one appeal covers the whole incident.
    appeal = services.appeal_create(author=member, action=actions[0], text="Please look again")
    services.appeal_decide(actor=admin, appeal=appeal, overturn=True, note="Reversed, sorry.")
    assert Membership.objects.get(group=group, user=member).status == Membership.Status.ACTIVE
    # ...and the hidden post is visible again.
    assert post_state(case.content_type.get_object_for_this_type(pk=case.object_id)) == ""


def test_a_mute_with_no_duration_chosen_is_a_field_error_and_nothing_is_done(
    client_for, group, member, facilitator
):
    case = reported_case(group, member)
    response = act(client_for(facilitator), case, kind="mute", reason_code=Reason.SPAM, reason="x")
    assert response.status_code == 400
    assert "Please choose how long the mute lasts." in response.content.decode()
    assert not Action.objects.filter(kind=Action.Kind.MUTE).exists()
    assert Membership.objects.get(group=group, user=member).status == Membership.Status.ACTIVE


def test_until_lifted_must_be_chosen_explicitly(client_for, group, member, facilitator):
    case = reported_case(group, member)
    response = act(
        client_for(facilitator),
        case,
        kind="mute",
        mute_for="lifted",
        reason_code=Reason.SPAM,
        reason="x",
    )
    assert response.status_code == 302
    membership = Membership.objects.get(group=group, user=member)
    assert membership.status == Membership.Status.MUTED and membership.muted_until is None


def test_a_mute_until_a_date_in_the_past_is_refused_whole(client_for, group, member, facilitator):
    case = reported_case(group, member)
    past = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = act(
        client_for(facilitator),
        case,
        kind="hide",
        mute_for="date",
        until=past,
        reason_code=Reason.SPAM,
        reason="x",
    )
    assert response.status_code == 400
    assert not Action.objects.exists()
    assert Case.objects.get(pk=case.pk).is_open


# --- 4. private messages -----------------------------------------------------------------------
def test_a_member_reads_and_answers_a_private_message(
    client_for, group, member, facilitator, django_capture_on_commit_callbacks
):
    staff = client_for(facilitator)
    url = reverse("moderation:staff_thread", kwargs={"slug": group.slug, "user_id": member.pk})
    assert staff.post(url, {"body": "Hello from the facilitators."}).status_code == 302
    thread = StaffMessage.objects.get().thread
    mine = client_for(member)
    page = mine.get(reverse("moderation:my_thread", kwargs={"pk": thread.pk}))
    assert "Hello from the facilitators." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reply = mine.post(
            reverse("moderation:my_thread", kwargs={"pk": thread.pk}), {"body": "Thanks, I'm OK."}
        )
    assert reply.status_code == 302
    assert Notification.objects.filter(recipient=facilitator, kind=Kind.NEW_REPORT).exists()
    assert "Thanks, I&#x27;m OK." in staff.get(url).content.decode()
    assert set(
        AuditLogEntry.objects.filter(action__startswith="message.").values_list("action", flat=True)
    ) == {"message.send", "message.reply"}
    # Another member cannot open it.
    other = MembershipFactory(group=group).user
    assert (
        client_for(other).get(reverse("moderation:my_thread", kwargs={"pk": thread.pk})).status_code
        == 404
    )


def test_the_members_page_links_to_private_messages(client_for, group, member, facilitator):
    page = client_for(facilitator).get(reverse("groups:members", kwargs={"slug": group.slug}))
    assert (
        reverse("moderation:staff_thread", kwargs={"slug": group.slug, "user_id": member.pk})
        in page.content.decode()
    )
    assert '<option value="">Choose how long…</option>' in page.content.decode()


# --- 5. held posts --------------------------------------------------------------------------
def test_held_posts_show_the_whole_rendered_post_and_the_author_hears_in_words(
    client_for, group, facilitator, settings, django_capture_on_commit_callbacks
):
    from stories import services as story_services

    settings.MODERATION_HOLD_FIRST_POSTS = 1
    author = MembershipFactory(group=group, user=UserFactory(display_name="New Nia")).user
    long_tail = "and the rest of a long story that an excerpt would cut off " * 8
    story = story_services.story_submit(
        group=group,
        author=author,
        title="My first week",
        body=f"**Bold** start {long_tail} THE-END",
        warnings=["grief"],
    )
    page = client_for(facilitator).get(reverse("moderation:held_queue")).content.decode()
    assert "<strong>Bold</strong>" in page and "THE-END" in page
    assert "Content warnings:" in page
    assert story.get_absolute_url() in page
    item = story.__class__.objects.get(pk=story.pk)
    held = selectors.held_queue_for_moderator(facilitator).get()
    with django_capture_on_commit_callbacks(execute=True):
        services.held_post_decline(actor=facilitator, item=held, note="Please add a warning.")
    notice = AuthorNotice.objects.get(recipient=author)
    assert "was not published in Living with anxiety: Please add a warning." in notice.message
    assert item.title in notice.message
    outcome = Notification.objects.get(recipient=author, kind=Kind.MODERATION_OUTCOME)
    assert outcome.text == "Your post was not published. You can read why."


def test_an_approved_held_post_tells_its_author_where_it_is_visible(
    group, facilitator, member, django_capture_on_commit_callbacks
):
    held = services.held_item_create(
        content=make_post(group=group, author=member), reason="first_post"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.held_post_approve(actor=facilitator, item=held)
    assert "is now visible in Living with anxiety" in AuthorNotice.objects.get().message
    assert Notification.objects.get(recipient=member).text == "Your post is now visible."


# --- 6. claiming, the queue and appeals ----------------------------------------------------
def test_the_queue_shows_claimer_filters_and_the_members_record(
    client_for, group, member, facilitator
):
    mine = reported_case(group, member, text="one")
    services.member_warn(actor=facilitator, subject=member, group=group, reason="earlier")
    services.case_claim(actor=facilitator, case=mine)
    urgent = reported_case(group, MembershipFactory(group=group).user, reason=Reason.RISK)
    client = client_for(facilitator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "claimed by Facilitator Fen" in page and "unclaimed" in page
    assert "1 warning" in page
    for show, present, absent in (
        ("mine", mine, urgent),
        ("unclaimed", urgent, mine),
        ("urgent", urgent, mine),
    ):
        page = client.get(reverse("moderation:queue") + f"?show={show}").content.decode()
        assert present.get_absolute_url() in page and absent.get_absolute_url() not in page


def test_the_queue_costs_the_same_queries_with_3_or_30_cases(
    client_for, group, facilitator, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(facilitator)
    counts = []
    for n in (3, 30):
        while Case.objects.count() < n:
            reported_case(group, MembershipFactory(group=group).user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("moderation:queue")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_appeals_show_the_content_and_decision_and_need_a_note(
    client_for, group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    case = reported_case(group, member, text="The words that were hidden")
    action = services.content_hide(
        actor=facilitator, case=case, reason="Too graphic", reason_code=Reason.HARASSMENT
    )
    appeal = services.appeal_create(author=member, action=action, text="It was my story")
    client = client_for(admin)
    page = client.get(reverse("moderation:appeals")).content.decode()
    assert "The words that were hidden" in page and "Too graphic" in page
    assert "The original decision" in page
    response = client.post(
        reverse("moderation:appeal_decide", kwargs={"pk": appeal.pk}),
        {"decision": "overturn", "note": "  "},
    )
    assert response.status_code == 400
    assert "Please write a note to the member about your decision." in response.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("moderation:appeal_decide", kwargs={"pk": appeal.pk}),
            {"decision": "overturn", "note": "It's your story; it's back."},
        )
    assert response.status_code == 302
    latest = AuthorNotice.objects.filter(recipient=member).first()
    assert "A note from the administrator who looked again: It's your story" in latest.message
    told = Notification.objects.get(recipient=facilitator, kind=Kind.NEW_REPORT)
    assert "reversed" in told.text


# --- 7. the audit log ----------------------------------------------------------------------
def test_the_audit_log_reads_in_words_with_links_and_durations(
    client_for, group, member, facilitator
):
    case = reported_case(group, member)
    services.case_incident_act(
        actor=facilitator,
        case=case,
        reason="r",
        reason_code=Reason.SPAM,
        content="hide",
        mute=True,
        mute_until=timezone.now() + timedelta(days=7),
    )
    page = (
        client_for(facilitator)
        .get(reverse("moderation:audit_log") + "?action=member.mute")
        .content.decode()
    )
    assert "Member muted" in page and "for 1\xa0week" in page
    assert "member.mute</td>" not in page
    assert case.get_absolute_url() in page
    assert 'value="member.mute" selected' in page  # the filter is kept
    assert reverse("moderation:audit_export") not in page  # CSV: administrators only
    page = client_for(facilitator).get(reverse("moderation:audit_log")).content.decode()
    assert "Post hidden" in page
    entry = AuditLogEntry.objects.get(action="content.hide")
    target = reverse("moderation:audit_target", kwargs={"pk": entry.pk})
    assert target in page
    assert client_for(facilitator).get(target).status_code == 302


def test_administrators_export_the_filtered_audit_log_as_csv(
    client_for, group, member, facilitator, admin
):
    services.member_warn(actor=facilitator, subject=member, group=group, reason="=HYPERLINK(x)")
    services.moderator_note_create(actor=facilitator, group=group, subject=member, text="n")
    client = client_for(admin)
    page = client.get(reverse("moderation:audit_log") + "?action=member.warn").content.decode()
    assert reverse("moderation:audit_export") + "?action=member.warn" in page
    response = client.get(reverse("moderation:audit_export") + "?action=member.warn")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["when_utc", "who", "action", "what"]
    assert [r[2] for r in rows[1:]] == ["member.warn"]
    assert rows[1][3] == "Member warned"
    assert rows[1][7] == "'=HYPERLINK(x)"


def test_no_mute_duration_is_preselected_in_the_chat_room(client_for, group, facilitator, member):
    from groups.chat import services as chat_services

    chat_services.chat_message_post(
        group=group, author=member, body="Hello room", client_id="abcdefgh1"
    )
    page = client_for(facilitator).get(reverse("chat:room", kwargs={"slug": group.slug}))
    assert '<option value="">Choose how long…</option>' in page.content.decode()
    response = client_for(facilitator).post(
        reverse("chat:mute", kwargs={"slug": group.slug}), {"user_id": member.pk, "mute_for": ""}
    )
    assert response.status_code == 302
    assert Membership.objects.get(group=group, user=member).status == Membership.Status.ACTIVE


def test_a_restore_with_a_note_does_not_explain_a_sanction(group, member, facilitator):
    case = reported_case(group, member)
    services.content_restore(
        actor=facilitator,
        case=case,
        reason="Fine",
        reason_code=Reason.HARASSMENT,
        note_to_author=NOTE,
    )
    message = AuthorNotice.objects.get(recipient=member).message
    assert NOTE in message
    assert "hurt or upset" not in message
