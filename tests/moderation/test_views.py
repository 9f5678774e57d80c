import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moderation import services
from moderation.models import AuditLogEntry, Case, Reason, Report
from tests.content import make_post, post_state
from tests.factories import MembershipFactory, UserFactory


def report_url(obj) -> str:
    ct = ContentType.objects.get_for_model(obj)
    return reverse("moderation:report", kwargs={"content_type_id": ct.pk, "object_id": obj.pk})


def reporter_in(group):
    return MembershipFactory(
        group=group,
        user=UserFactory(display_name=f"Reporter {UserFactory._meta.model.objects.count()}"),
    ).user


def test_report_form_shows_the_reasons_and_creates_a_report(client_for, group, post):
    reporter = reporter_in(group)
    client = client_for(reporter)
    page = client.get(report_url(post))
    assert page.status_code == 200
    for label in (
        "Someone may be at risk",
        "Harassment or bullying",
        "Harmful or unsafe advice",
        "Sharing personal information",
        "Spam",
        "Something else",
    ):
        assert label in page.content.decode()
    response = client.post(
        report_url(post), {"reason": "risk", "note": "They sound very low."}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("moderation:my_reports")
    assert "Thank you for telling us" in response.content.decode()
    assert "Received: waiting for a facilitator." in response.content.decode()
    assert Report.objects.get().case.is_urgent


def test_report_without_a_reason_is_a_kind_field_error(client_for, group, post):
    response = client_for(reporter_in(group)).post(report_url(post), {"reason": ""})
    assert response.status_code == 200
    assert "Please choose the reason closest to what you saw." in response.content.decode()
    assert Report.objects.count() == 0


def test_report_on_an_unknown_content_type_or_forged_id_is_404(client_for, group, post, member):
    client = client_for(reporter_in(group))
    ct_group = ContentType.objects.get(app_label="groups", model="group")
    assert (
        client.get(
            reverse(
                "moderation:report", kwargs={"content_type_id": ct_group.pk, "object_id": group.pk}
            )
        ).status_code
        == 404
    )
    ct = ContentType.objects.get_for_model(post)
    assert (
        client.get(
            reverse("moderation:report", kwargs={"content_type_id": ct.pk, "object_id": 999999})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("moderation:report", kwargs={"content_type_id": 999999, "object_id": post.pk})
        ).status_code
        == 404
    )


def test_self_report_through_the_page_changes_nothing(client_for, member, post):
    response = client_for(member).post(report_url(post), {"reason": "spam"}, follow=True)
    assert "your own post" in response.content.decode()
    assert Report.objects.count() == 0


def test_profile_report_page(client_for, member, group):
    client = client_for(MembershipFactory(group=group).user)
    assert client.post(report_url(member), {"reason": "harassment"}).status_code == 302
    assert Case.objects.get().group is None


def test_forged_case_id_is_404(client_for, facilitator):
    assert (
        client_for(facilitator).get(reverse("moderation:case", kwargs={"pk": 424242})).status_code
        == 404
    )
    assert (
        client_for(facilitator)
        .post(
            reverse("moderation:case_act", kwargs={"pk": 424242}),
            {"kind": "dismiss", "reason": "x"},
        )
        .status_code
        == 404
    )


def test_action_on_another_groups_case_changes_nothing(
    client_for, other_group, other_facilitator, facilitator
):
    post = make_post(group=other_group, author=MembershipFactory(group=other_group).user)
    case = services.report_create(
        reporter=MembershipFactory(group=other_group).user, content=post, reason="spam"
    ).case
    before = AuditLogEntry.objects.count()
    response = client_for(facilitator).post(
        reverse("moderation:case_act", kwargs={"pk": case.pk}),
        {"kind": "hide", "reason_code": "spam", "reason": "x"},
    )
    assert response.status_code == 404
    post.refresh_from_db()
    assert post_state(post) == "" and AuditLogEntry.objects.count() == before


def test_action_without_a_reason_is_refused_with_a_field_error(
    client_for, group, post, facilitator
):
    case = services.report_create(reporter=reporter_in(group), content=post, reason="spam").case
    response = client_for(facilitator).post(
        reverse("moderation:case_act", kwargs={"pk": case.pk}),
        {"kind": "hide", "reason_code": "spam", "reason": ""},
    )
    assert response.status_code == 400
    assert "Please say briefly why" in response.content.decode()
    post.refresh_from_db()
    assert post_state(post) == ""


def test_ban_is_not_offered_to_facilitators_and_refused_if_forged(
    client_for, group, post, facilitator, member
):
    case = services.report_create(reporter=reporter_in(group), content=post, reason="spam").case
    page = client_for(facilitator).get(case.get_absolute_url()).content.decode()
    assert 'value="ban"' not in page and 'value="hide"' in page
    response = client_for(facilitator).post(
        reverse("moderation:case_act", kwargs={"pk": case.pk}),
        {"kind": "ban", "reason_code": "spam", "reason": "x"},
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.is_active


def test_case_page_names_reporters_to_moderators_and_the_notice_never_does(
    client_for, group, post, facilitator, member
):
    reporter = MembershipFactory(group=group, user=UserFactory(display_name="Watchful Wren")).user
    case = services.report_create(reporter=reporter, content=post, reason="risk").case
    assert "Watchful Wren" in client_for(facilitator).get(case.get_absolute_url()).content.decode()
    client_for(facilitator).post(
        reverse("moderation:case_act", kwargs={"pk": case.pk}),
        {"kind": "hide", "reason_code": "risk", "reason": "worried"},
    )
    notices = client_for(member).get(reverse("moderation:notices")).content.decode()
    assert "Watchful Wren" not in notices
    assert reverse("help") in notices and "Ask an administrator to look again" in notices


def test_reporter_sees_the_outcome(client_for, group, post, facilitator):
    reporter = reporter_in(group)
    case = services.report_create(reporter=reporter, content=post, reason="spam").case
    services.content_hide(actor=facilitator, case=case, reason="spam")
    page = client_for(reporter).get(reverse("moderation:my_reports")).content.decode()
    assert "took action" in page


def test_audit_log_filters_by_action_and_facilitators_see_only_their_groups(
    client_for, group, other_group, facilitator, admin, member
):
    services.member_warn(actor=facilitator, subject=member, group=group, reason="in my group")
    other_member = MembershipFactory(group=other_group).user
    services.member_warn(actor=admin, subject=other_member, group=other_group, reason="elsewhere")
    services.watched_word_create(actor=admin, phrase="spam link", action="flag")
    fac_page = client_for(facilitator).get(reverse("moderation:audit_log")).content.decode()
    assert "in my group" in fac_page and "elsewhere" not in fac_page
    admin_page = (
        client_for(admin)
        .get(reverse("moderation:audit_log") + "?action=watched_word.create")
        .content.decode()
    )
    assert "watched_word.create" in admin_page and "in my group" not in admin_page
    by_actor = (
        client_for(admin)
        .get(reverse("moderation:audit_log") + "?actor=facilitator+fen")
        .content.decode()
    )
    assert "in my group" in by_actor and "elsewhere" not in by_actor
    by_group = (
        client_for(admin)
        .get(reverse("moderation:audit_log") + f"?group={other_group.pk}")
        .content.decode()
    )
    assert "elsewhere" in by_group and "in my group" not in by_group


def test_audit_log_group_filter_cannot_reach_another_groups_entries(
    client_for, group, other_group, facilitator, admin
):
    services.member_warn(
        actor=admin,
        subject=MembershipFactory(group=other_group).user,
        group=other_group,
        reason="elsewhere",
    )
    page = (
        client_for(facilitator)
        .get(reverse("moderation:audit_log") + f"?group={other_group.pk}")
        .content.decode()
    )
    assert "elsewhere" not in page


def test_watched_word_page_adds_and_refuses_empty_phrases(client_for, group, facilitator):
    url = reverse("moderation:group_watched_words", kwargs={"slug": group.slug})
    client = client_for(facilitator)
    assert client.post(url, {"phrase": "miracle cure", "action": "hold"}).status_code == 302
    response = client.post(url, {"phrase": "!!!", "action": "hold"})
    assert response.status_code == 400 and "at least one letter" in response.content.decode()
    assert "miracle cure" in client.get(url).content.decode()


def test_appeal_page_once(client_for, group, post, facilitator, member):
    case = services.report_create(reporter=reporter_in(group), content=post, reason="spam").case
    action = services.content_hide(actor=facilitator, case=case, reason="spam")
    url = reverse("moderation:appeal_create", kwargs={"pk": action.notice.pk})
    client = client_for(member)
    assert client.post(url, {"text": ""}).status_code == 200
    assert client.post(url, {"text": "It was a quote."}).status_code == 302
    assert client.get(url).status_code == 302  # already appealed: back to the notices
    assert client_for(reporter_in(group)).get(url).status_code == 404


def test_held_decline_needs_a_note(client_for, group, facilitator):
    item = services.held_item_create(
        content=make_post(group=group, author=MembershipFactory(group=group).user),
        reason="first_post",
    )
    client = client_for(facilitator)
    client.post(
        reverse("moderation:held_decide", kwargs={"pk": item.pk}),
        {"decision": "decline", "note": ""},
    )
    item.refresh_from_db()
    assert item.status == "pending"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _make_cases(group, n):
    for i in range(n):
        post = make_post(group=group, author=MembershipFactory(group=group).user, text=f"post {i}")
        reason = Reason.RISK if i % 3 == 0 else Reason.SPAM
        case = services.report_create(
            reporter=MembershipFactory(group=group).user, content=post, reason=reason
        ).case
        if i % 2:
            services.case_claim(
                actor=MembershipFactory(group=group, role="facilitator").user, case=case
            )
        services.held_item_create(
            content=make_post(group=group, author=MembershipFactory(group=group).user),
            reason="first_post",
        )


@pytest.mark.parametrize(
    "url_name", ["moderation:queue", "moderation:audit_log", "moderation:held_queue"]
)
def test_list_pages_query_count_is_constant(client_for, group, admin, url_name):
    url = reverse(url_name)
    _make_cases(group, 3)
    client = client_for(admin)
    few = _queries(client, url)
    _make_cases(group, 27)
    assert _queries(client, url) == few


def test_case_page_query_count_is_constant_in_reports(client_for, group, post, facilitator):
    case = None
    for _ in range(3):
        case = services.report_create(
            reporter=MembershipFactory(group=group).user, content=post, reason="risk"
        ).case
    client = client_for(facilitator)
    few = _queries(client, case.get_absolute_url())
    for _ in range(27):
        services.report_create(
            reporter=MembershipFactory(group=group).user, content=post, reason="risk"
        )
    assert _queries(client, case.get_absolute_url()) == few


def test_queue_shows_risk_first_with_its_age(client_for, group, facilitator):
    calm = make_post(group=group, author=MembershipFactory(group=group).user, text="calm")
    risky = make_post(group=group, author=MembershipFactory(group=group).user, text="risky")
    services.report_create(
        reporter=MembershipFactory(group=group).user, content=calm, reason="spam"
    )
    services.report_create(
        reporter=MembershipFactory(group=group).user, content=risky, reason="risk"
    )
    page = client_for(facilitator).get(reverse("moderation:queue")).content.decode()
    assert page.index("Someone may be at risk") < page.index(
        f"A story by {calm.author.display_name}"
    )
    assert "waiting" in page


def test_profile_page_links_to_its_report_form_except_your_own(client_for, member, group):
    # Profiles are seen by people who share a group with the member.
    fellow = MembershipFactory(group=group).user
    link = report_url(member)
    assert link in client_for(fellow).get(member.get_absolute_url()).content.decode()
    assert link not in client_for(member).get(member.get_absolute_url()).content.decode()


def test_queue_for_one_group_and_not_for_a_group_you_do_not_moderate(
    client_for, group, other_group, admin, facilitator
):
    mine = make_post(group=group, author=MembershipFactory(group=group).user, text="mine")
    theirs = make_post(
        group=other_group, author=MembershipFactory(group=other_group).user, text="theirs"
    )
    services.report_create(
        reporter=MembershipFactory(group=group).user, content=mine, reason="spam"
    )
    services.report_create(
        reporter=MembershipFactory(group=other_group).user, content=theirs, reason="spam"
    )
    page = (
        client_for(admin).get(reverse("moderation:queue") + f"?group={group.slug}").content.decode()
    )
    assert ">mine<" in page and ">theirs<" not in page
    assert (
        client_for(facilitator)
        .get(reverse("moderation:queue") + f"?group={other_group.slug}")
        .status_code
        == 404
    )
