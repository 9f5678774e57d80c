"""Volunteer care: distressing text covered in the queue and case until revealed."""

import re

from django.urls import reverse

from moderation import services
from moderation.models import Reason
from tests.content import make_post
from tests.factories import MembershipFactory, StoryFactory

RISKY = "I do not think I can keep going much longer."
CALM = "Selling my old bike, DM me"


def _covered(page: str, text: str) -> bool:
    """Whether `text` appears only inside a closed <details class="covered">."""
    for match in re.finditer(r'<details class="covered">(.*?)</details>', page, re.S):
        if text in match.group(1):
            return True
    return False


def _report(group, content, reason):
    return services.report_create(
        reporter=MembershipFactory(group=group).user, content=content, reason=reason
    ).case


def test_risk_cases_are_covered_in_the_queue_and_case_page_and_routine_ones_are_not(
    client_for, group, member, facilitator
):
    risky = _report(group, make_post(group=group, author=member, text=RISKY), Reason.RISK)
    other = MembershipFactory(group=group).user
    _report(group, make_post(group=group, author=other, text=CALM), Reason.SPAM)
    client = client_for(facilitator)
    queue = client.get(reverse("moderation:queue")).text
    assert _covered(queue, RISKY)
    assert "This may be distressing. Show the text" in queue
    assert CALM in queue and not _covered(queue, CALM)
    # Closed by default: no "open" attribute anywhere.
    assert '<details class="covered" open' not in queue
    case_page = client.get(risky.get_absolute_url()).text
    assert _covered(case_page, RISKY)


def test_a_story_with_content_warnings_is_covered_and_names_its_warnings(
    client_for, group, facilitator
):
    story = StoryFactory(group=group, body="It was a long night.", warnings="self-harm,grief")
    case = _report(group, story, Reason.OTHER)
    assert not case.is_urgent and case.content_warnings
    assert case.is_distressing
    client = client_for(facilitator)
    queue = client.get(reverse("moderation:queue")).text
    assert _covered(queue, "It was a long night.")
    assert "content warnings:" in queue
    assert _covered(client.get(case.get_absolute_url()).text, "It was a long night.")


# --- "this was hard" ----------------------------------------------------------------------------
def _closed_risk_case(group, member, facilitator):
    case = _report(group, make_post(group=group, author=member, text=RISKY), Reason.RISK)
    services.case_claim(actor=facilitator, case=case)
    return services.case_dismiss(
        actor=facilitator,
        case=case,
        reason="Reached out; they are safe.",
        no_outreach_reason="Spoke to them in the chat room instead.",
    )


def test_after_closing_a_risk_case_this_was_hard_tells_an_administrator_privately(
    client_for, group, member, facilitator, admin, django_capture_on_commit_callbacks
):
    from moderation.models import CaseDebrief
    from peersupport.notifications.models import Kind, Notification

    case = _closed_risk_case(group, member, facilitator)
    client = client_for(facilitator)
    page = client.get(case.get_absolute_url()).text
    assert "This was hard: let an administrator know" in page
    url = reverse("moderation:case_debrief", args=[case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": "It brought back my own winter."}, follow=True)
        client.post(url, {"note": "again"})
    assert "An administrator has been told privately" in response.text
    debrief = CaseDebrief.objects.get()
    assert debrief.facilitator == facilitator and debrief.note == "It brought back my own winter."
    (note,) = Notification.objects.filter(kind=Kind.CHECK_IN)
    assert note.recipient == admin and "Facilitator Fen" in note.text
    assert "winter" not in note.text
    # Audited, but site-wide and without the note: the group's other facilitators never see it.
    from moderation.models import AuditLogEntry

    (row,) = AuditLogEntry.objects.filter(action="care.check_in")
    assert (
        row.group_id is None and row.actor_id == facilitator.pk and "winter" not in str(row.after)
    )
    # Only administrators see the note, on the group's workload page.
    workload = reverse("moderation:group_workload", kwargs={"slug": group.slug})
    assert note.url == workload
    assert "It brought back my own winter." in client_for(admin).get(workload).text
    assert client.get(workload).status_code == 403


def test_this_was_hard_is_not_offered_on_an_open_or_routine_case(
    client_for, group, member, facilitator
):
    from moderation.models import CaseDebrief

    case = _report(group, make_post(group=group, author=member, text=RISKY), Reason.RISK)
    client = client_for(facilitator)
    assert "This was hard" not in client.get(case.get_absolute_url()).text
    client.post(reverse("moderation:case_debrief", args=[case.pk]), {"note": ""})
    assert not CaseDebrief.objects.exists()


def test_a_too_long_note_is_refused_kindly_and_nothing_is_saved(
    client_for, group, member, facilitator
):
    from moderation.models import CaseDebrief

    case = _closed_risk_case(group, member, facilitator)
    response = client_for(facilitator).post(
        reverse("moderation:case_debrief", args=[case.pk]), {"note": "x" * 1001}, follow=True
    )
    assert "Please keep the note under 1,000 characters." in response.text
    assert not CaseDebrief.objects.exists()


# --- who carries what ---------------------------------------------------------------------------
def test_the_workload_page_shows_open_cases_per_facilitator_and_time_to_claim(
    client_for, group, member, facilitator, admin
):
    from datetime import timedelta

    from django.utils import timezone

    from moderation.models import Case
    from peersupport.notifications.services import duty_set

    second = MembershipFactory(group=group, role="facilitator").user
    duty_set(user=second, off_duty=True)
    held = _report(group, make_post(group=group, author=member, text=RISKY), Reason.RISK)
    Case.objects.filter(pk=held.pk).update(urgent_since=timezone.now() - timedelta(minutes=12))
    services.case_claim(actor=facilitator, case=held)
    other = MembershipFactory(group=group).user
    _report(group, make_post(group=group, author=other, text=CALM), Reason.SPAM)
    from moderation.selectors import workload_for_group

    workload = workload_for_group(group)
    fen = next(f for f in workload.facilitators if f.user == facilitator)
    assert fen.open_claimed == 1 and fen.claimed_recently == 1
    assert fen.median_minutes_to_claim == 12
    assert next(f for f in workload.facilitators if f.user == second).off_duty
    assert workload.unclaimed == 1 and workload.unclaimed_urgent == 0
    page = client_for(admin).get(reverse("moderation:group_workload", args=[group.slug])).text
    assert "Facilitator Fen" in page and "12 min" in page and "Off duty" in page
