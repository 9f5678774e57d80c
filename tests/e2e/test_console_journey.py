"""The facilitator's console in a real browser: on an urgent case the facilitator follows the
risk protocol (checklist, a private message from a template, a follow-up) and closes it with
no sanction; the member reads and answers privately; another incident is handled in one
dialog (hide + warn + mute) and the member gets one notice; the audit log reads in words.
Every page is checked with axe. Group content is played by the test stand-in adapter."""

import re

import pytest

from tests.content import make_post
from tests.factories import AdminFactory, GroupFactory, MembershipFactory, UserFactory
from tests.live import axe_check, screenshot, sign_in, watch

pytestmark = pytest.mark.browser


def open_as(new_context, live_url, user):
    page = new_context().new_page()
    page.watch = watch(page, live_url)
    sign_in(page, user)
    return page


def clean(page) -> None:
    assert page.watch.foreign_requests == []
    assert [e for e in page.watch.console_errors if "Content Security Policy" in e] == []


def test_risk_protocol_private_messages_and_one_dialog(new_context, live_url):
    from moderation import services
    from moderation.models import MessageTemplate

    group = GroupFactory(name="Living with low mood", slug="low-mood")
    member = MembershipFactory(group=group, user=UserFactory(display_name="Sam Author")).user
    facilitator = MembershipFactory(
        group=group, user=UserFactory(display_name="Fen Facilitator"), role="facilitator"
    ).user
    admin = AdminFactory(display_name="Admin Ari")
    MessageTemplate.objects.create(
        title="Our own check-in", body="I read your post and wanted to check in. How are you?"
    )
    risky = make_post(group=group, author=member, text="I can't keep going much longer.")
    case = services.report_create(
        reporter=MembershipFactory(group=group).user, content=risky, reason="risk"
    ).case
    rude_member = MembershipFactory(group=group, user=UserFactory(display_name="Rae Rude")).user
    rude = make_post(group=group, author=rude_member, text="You are all idiots.")
    other = services.report_create(
        reporter=MembershipFactory(group=group).user, content=rude, reason="harassment"
    ).case

    fac = open_as(new_context, live_url, facilitator)
    fac.goto("/moderation/?show=urgent")
    axe_check(fac, "queue, urgent filter")
    assert fac.locator(".case-card").count() == 1
    fac.goto(case.get_absolute_url())
    axe_check(fac, "urgent case")
    assert fac.get_by_role("heading", name="Someone may be at risk: what helps").is_visible()
    # Nothing is preselected in the decision.
    assert not fac.get_by_label("Hide it", exact=True).is_checked()
    fac.get_by_role("button", name="Claim this case").click()
    # Closing with no action before any outreach: a field error, the case stays open.
    fac.get_by_label(re.compile("No action needed")).check()
    fac.get_by_label("Which rule or concern").select_option("risk")
    fac.get_by_label("Reason (for the audit log)").fill("Reached out; no sanction.")
    fac.get_by_role("button", name="Apply").click()
    assert fac.get_by_text(re.compile("Please send them a private message first")).is_visible()
    axe_check(fac, "case with a field error")
    # A private message from a template.
    fac.goto(case.get_absolute_url())
    fac.get_by_role("link", name="Our own check-in", exact=True).click()
    message = fac.get_by_label(re.compile("Your message"))
    assert "wanted to check in" in message.input_value()
    message.fill(message.input_value() + " You're not alone.")
    fac.get_by_role("button", name="Send privately").click()
    assert fac.get_by_text("Your message was sent privately.").is_visible()
    fac.get_by_label("When to follow up").select_option("4")
    fac.get_by_role("button", name="Plan the follow-up").click()
    assert fac.get_by_text(re.compile("will be reminded then")).is_visible()
    fac.get_by_label(re.compile("No action needed")).check()
    fac.get_by_label("Which rule or concern").select_option("risk")
    fac.get_by_label("Reason (for the audit log)").fill("Reached out privately.")
    fac.get_by_role("button", name="Apply").click()
    assert fac.get_by_text("Closed with no action. Nobody was sent a message.").is_visible()
    screenshot(fac, "console-urgent-case")

    # The member reads the message and answers privately.
    mem = open_as(new_context, live_url, member)
    mem.goto("/moderation/messages/")
    axe_check(mem, "my private messages")
    mem.get_by_role("link", name=re.compile("With the facilitators of")).click()
    axe_check(mem, "my private thread")
    assert mem.get_by_text(re.compile("You're not alone.")).is_visible()
    mem.get_by_label(re.compile("Your reply")).fill("Thank you. Talking helps.")
    mem.get_by_role("button", name="Send").click()
    assert mem.get_by_text("Thank you. Your reply was sent to the facilitators.").is_visible()

    fac.goto(f"/moderation/groups/{group.slug}/members/{member.pk}/messages/")
    axe_check(fac, "staff thread")
    assert fac.get_by_text("Thank you. Talking helps.").is_visible()

    # One dialog for another incident: hide + warn + mute for 24 hours.
    fac.goto(other.get_absolute_url())
    fac.get_by_label("Hide it", exact=True).check()
    fac.get_by_label("Also warn the member privately").check()
    fac.get_by_label("24 hours").check()
    fac.get_by_label("Which rule or concern").select_option("harassment")
    fac.get_by_label("Reason (for the audit log)").fill("Insulted the group.")
    fac.get_by_role("button", name="Apply").click()
    assert fac.get_by_text(re.compile("in one message")).is_visible()
    rae = open_as(new_context, live_url, rude_member)
    rae.goto("/moderation/notices/")
    axe_check(rae, "notices after one dialog")
    assert rae.get_by_role("link", name="Ask an administrator to look again").count() == 1

    fac.goto("/moderation/audit/")
    axe_check(fac, "audit log")
    assert fac.locator("table").get_by_text("Member muted").first.is_visible()
    adm = open_as(new_context, live_url, admin)
    adm.goto("/moderation/audit/?action=member.mute")
    axe_check(adm, "audit log, filtered, administrator")
    assert adm.get_by_role("link", name="Download these entries as CSV").is_visible()
    for page in (fac, mem, rae, adm):
        clean(page)


def test_held_post_and_appeal_pages_show_the_content(new_context, live_url):
    from moderation import services

    group = GroupFactory(name="Held group", slug="held-group")
    facilitator = MembershipFactory(
        group=group, user=UserFactory(display_name="Fen"), role="facilitator"
    ).user
    admin = AdminFactory(display_name="Admin Ari")
    author = MembershipFactory(group=group).user
    hidden_author = MembershipFactory(group=group).user
    services.held_item_create(
        content=make_post(group=group, author=author, text="My first post, in full."),
        reason="first_post",
    )
    case = services.report_create(
        reporter=MembershipFactory(group=group).user,
        content=make_post(group=group, author=hidden_author, text="Words that were hidden"),
        reason="spam",
    ).case
    action = services.content_hide(actor=facilitator, case=case, reason="Spam", reason_code="spam")
    services.appeal_create(author=hidden_author, action=action, text="It wasn't spam.")

    fac = open_as(new_context, live_url, facilitator)
    fac.goto("/moderation/held/")
    axe_check(fac, "held posts")
    assert fac.get_by_text("My first post, in full.").is_visible()
    adm = open_as(new_context, live_url, admin)
    adm.goto("/moderation/appeals/")
    axe_check(adm, "appeals with content")
    assert adm.get_by_text("Words that were hidden").is_visible()
    adm.get_by_label("Keep the decision").check()
    adm.get_by_role("button", name="Decide").click()
    assert adm.get_by_text("Please write a note to the member about your decision.").is_visible()
    axe_check(adm, "appeal with a field error")
    for page in (fac, adm):
        clean(page)
