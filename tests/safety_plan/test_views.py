"""The plan pages: the guided form, bad input, plain text, tel: links, the crisis panel, /help/,
the service worker and signing out."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peersupport.safety_plan.content import Contact, PlanContent, tel_href
from peersupport.safety_plan.models import SafetyPlan, SafetyPlanShare
from peersupport.safety_plan.selectors import safety_plan_get_for_owner
from peersupport.safety_plan.services import safety_plan_save, safety_plan_share_create
from tests.factories import MembershipFactory, UserFactory

DETAIL = reverse("safety_plan:detail")
EDIT = reverse("safety_plan:edit")
CHECK = reverse("moderation:support_check")
CRISIS = "I want to kill myself tonight."
IMMINENT = "I've taken 40 paracetamol and I feel really sick."

pytestmark = pytest.mark.usefixtures("eager_tasks")


def _save(member, **content):
    return safety_plan_save(owner=member, content=PlanContent(**content))


def test_the_form_has_the_seven_steps_each_with_a_kind_prompt(client_for, member):
    html = client_for(member).get(EDIT).content.decode()
    for title in (
        "Warning signs",
        "My coping strategies",
        "People and places that distract me",
        "People I can ask for help",
        "Professionals and services",
        "Making my surroundings safer",
        "My reasons for living",
    ):
        assert title in html
    assert "For example: a walk around the block" in html


def test_a_half_done_plan_saves_and_shows_last_updated(client_for, member):
    client = client_for(member)
    response = client.post(EDIT, {"coping": "Make tea\n\n  Call Sam  \n"}, follow=True)
    assert response.redirect_chain[-1][0] == DETAIL
    html = response.content.decode()
    assert "Your safety plan is saved" in html
    assert "Last updated" in html
    assert "<li>Make tea</li>" in html and "<li>Call Sam</li>" in html
    assert safety_plan_get_for_owner(owner=member).content.coping == ["Make tea", "Call Sam"]


def test_an_overlong_item_is_a_field_error_and_nothing_is_saved(client_for, member):
    response = client_for(member).post(
        EDIT, {"coping": "Short one\n" + "x" * 201, "reasons": "My cat"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Line 2 is longer than 200 characters" in html
    assert 'aria-invalid="true"' in html
    # What they typed is still there; nothing was saved.
    assert "My cat" in html
    assert not SafetyPlan.objects.exists()


def test_too_many_items_is_a_field_error_and_the_old_plan_is_kept(client_for, member):
    _save(member, coping=["The old list"])
    response = client_for(member).post(EDIT, {"coping": "\n".join(f"idea {i}" for i in range(11))})
    assert "Please keep this to 10 things or fewer (you have 11)" in response.content.decode()
    assert safety_plan_get_for_owner(owner=member).content.coping == ["The old list"]


def test_an_overlong_phone_number_is_a_field_error(client_for, member):
    response = client_for(member).post(EDIT, {"people_name_1": "Sam", "people_phone_1": "1" * 41})
    assert "Please keep this to 40 characters or fewer." in response.content.decode()
    assert not SafetyPlan.objects.exists()


def test_markdown_and_html_are_shown_as_plain_text(client_for, member):
    client = client_for(member)
    client.post(
        EDIT, {"coping": "<script>alert(1)</script>\n**breathe**", "people_name_1": "<b>Sam</b>"}
    )
    html = client.get(DETAIL).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>**breathe**</li>" in html
    assert "&lt;b&gt;Sam&lt;/b&gt;" in html and "<b>Sam</b>" not in html


@pytest.mark.parametrize(
    ("typed", "href"),
    [
        ("07700 900123", "tel:07700900123"),
        ("+44 (0)20-7946.0018", "tel:+4402079460018"),
        ("116 123", "tel:116123"),
        ("ask at the front desk", ""),
        ("0800 FLOWERS", ""),
        ("12", ""),
        ("++44 1234", ""),
    ],
)
def test_a_tel_link_only_when_the_number_parses(typed, href):
    assert tel_href(typed) == href


def test_phone_numbers_are_kept_as_typed_with_a_link_only_when_they_parse(client_for, member):
    client = client_for(member)
    client.post(
        EDIT,
        {
            "people_name_1": "Sam",
            "people_phone_1": "07700 900-123",
            "people_name_2": "Neighbour",
            "people_phone_2": "knock twice",
        },
    )
    html = client.get(DETAIL).content.decode()
    assert '<a class="tap" href="tel:07700900123">07700 900-123</a>' in html
    assert "Neighbour — knock twice" in html
    assert "tel:knock" not in html


def test_crisis_lines_of_the_members_country_are_offered_and_can_be_added(client_for, member):
    client = client_for(member)
    html = client.get(EDIT, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "Add crisis lines from your country" in html and "Samaritans" in html
    client.post(EDIT, {"suggested": ["0"]}, HTTP_ACCEPT_LANGUAGE="en-GB")
    (added,) = safety_plan_get_for_owner(owner=member).content.professionals
    assert "Samaritans" in added.name and added.tel_href


def test_plan_pages_are_never_stored_by_a_cache(client_for, member):
    _save(member, coping=["Tea"])
    for url in (DETAIL, EDIT):
        response = client_for(member).get(url)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- the crisis panel -------------------------------------------------------------------------
def test_the_panel_shows_the_authors_plan_above_the_crisis_lines(client_for, member, group):
    _save(member, coping=["Hold an ice cube"], people=[Contact("Auntie Bryony", "07700 900123")])
    html = (
        client_for(member)
        .post(CHECK, {"body": CRISIS, "support_group": group.slug}, HTTP_ACCEPT_LANGUAGE="en-GB")
        .content.decode()
    )
    assert "Hold an ice cube" in html
    assert 'href="tel:07700900123"' in html
    assert html.index("Hold an ice cube") < html.index("Samaritans")
    assert reverse("safety_plan:detail") in html


def test_imminent_risk_still_leads_with_the_emergency_number_then_the_plan(client_for, member):
    _save(member, coping=["Hold an ice cube"])
    html = (
        client_for(member).post(CHECK, {"body": IMMINENT}, HTTP_ACCEPT_LANGUAGE="en-GB")
    ).content.decode()
    assert html.index('href="tel:999"') < html.index("Hold an ice cube") < html.index("Samaritans")


def test_without_a_plan_one_gentle_line_invites_making_one(client_for, member):
    html = client_for(member).post(CHECK, {"body": CRISIS}).content.decode()
    assert "When you feel able, a safety plan can help" in html
    assert "Things you said can help" not in html


def test_nobody_else_ever_sees_a_members_plan_in_a_panel(client_for, member, facilitator, group):
    _save(member, coping=["Hold an ice cube"])
    html = (
        client_for(facilitator)
        .post(CHECK, {"body": CRISIS, "support_group": group.slug})
        .content.decode()
    )
    assert "Hold an ice cube" not in html
    assert "When you feel able, a safety plan can help" in html


def test_calm_text_shows_nothing_of_the_plan(client_for, member):
    _save(member, coping=["Hold an ice cube"])
    assert client_for(member).post(CHECK, {"body": "A good walk today."}).content == b""


def test_after_posting_crisis_language_the_next_page_shows_the_plan(client_for, member, group):
    _save(member, coping=["Hold an ice cube"])
    response = client_for(member).post(
        reverse("stories:create", kwargs={"slug": group.slug}),
        {"title": "Tonight", "body": CRISIS, "replies_welcome": "yes"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en-GB",
    )
    html = response.content.decode()
    assert "Hold an ice cube" in html
    assert html.index("Hold an ice cube") < html.index("Samaritans")


# --- /help/ -----------------------------------------------------------------------------------
def test_help_shows_your_safety_plan_to_a_member_who_has_one(client_for, member, client):
    help_url = reverse("help")
    assert "Make a safety plan" in client_for(member).get(help_url).content.decode()
    _save(member, coping=["Tea"])
    html = client_for(member).get(help_url).content.decode()
    assert "Your safety plan" in html and "Open your safety plan" in html
    assert "Your safety plan" not in client.get(help_url).content.decode()


# --- sharing through the page -----------------------------------------------------------------
def test_sharing_and_stopping_from_the_plan_page(client_for, member, group, facilitator):
    _save(member, coping=["Tea"])
    client = client_for(member)
    page = client.post(reverse("safety_plan:share"), {"group": group.pk}, follow=True)
    assert "can read your plan for the next 24 hours" in page.content.decode()
    share = SafetyPlanShare.objects.get()
    listed = client_for(facilitator).get(reverse("safety_plan:shared_list")).content.decode()
    assert "Member Mo" in listed and str(share.token) in listed
    shared = reverse("safety_plan:shared_detail", kwargs={"token": share.token})
    assert "Tea" in client_for(facilitator).get(shared).content.decode()
    client.post(reverse("safety_plan:share_revoke", kwargs={"pk": share.pk}))
    assert client_for(facilitator).get(shared).status_code == 404


def test_sharing_with_a_group_that_is_not_yours_is_a_kind_error(client_for, member, other_group):
    _save(member, coping=["Tea"])
    page = client_for(member).post(
        reverse("safety_plan:share"), {"group": other_group.pk}, follow=True
    )
    assert "Please choose one of your groups." in page.content.decode()
    assert not SafetyPlanShare.objects.exists()


def test_the_shared_list_costs_the_same_queries_for_3_and_30_shares(
    client_for, group, facilitator, django_assert_num_queries
):
    client = client_for(facilitator)
    url = reverse("safety_plan:shared_list")

    def share(n: int) -> None:
        for _ in range(n):
            owner = MembershipFactory(group=group, user=UserFactory()).user
            _save(owner, coping=["Tea"])
            safety_plan_share_create(owner=owner, group=group)

    share(3)
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    share(27)
    with django_assert_num_queries(len(three)):
        html = client.get(url).content.decode()
    assert html.count("safety-plans/shared/") >= 30


# --- never in logs; the offline copy; signing out ---------------------------------------------
def test_plan_text_never_reaches_the_log(client_for, member, group, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for(member)
    client.post(EDIT, {"coping": "Unmistakable-plan-words", "people_name_1": "Zyx Person"})
    client.get(DETAIL)
    client.post(reverse("safety_plan:share"), {"group": group.pk})
    client.post(CHECK, {"body": CRISIS})
    assert "Unmistakable-plan-words" not in caplog.text
    assert "Zyx Person" not in caplog.text


def test_the_service_worker_is_served_at_the_root_with_its_scope(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "peer-support-offline-v1" in body and '"/me/safety-plan/"' in body and '"/help/"' in body


def test_signing_out_tells_the_browser_to_clear_what_this_site_kept(client_for, member):
    client = client_for(member)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'
    # Other pages never clear anything.
    assert "Clear-Site-Data" not in client.get(reverse("help"))


def test_the_sign_out_page_loads_the_clearing_script(client_for, member):
    html = client_for(member).get(reverse("account_logout")).content.decode()
    assert "js/offline.js" in html and "data-sign-out" in html


def test_the_form_shows_a_few_empty_rows_and_more_after_saving(client_for, member):
    client = client_for(member)
    html = client.get(EDIT).content.decode()
    assert 'name="people_name_3"' in html and 'name="people_name_4"' not in html
    assert "Need more? Save, and more rows appear (up to 6)." in html
    client.post(EDIT, {f"people_name_{i}": f"Friend {i}" for i in range(1, 4)})
    html = client.get(EDIT).content.decode()
    assert 'value="Friend 3"' in html
    assert 'name="people_name_5"' in html and 'name="people_name_6"' not in html


def test_a_huge_paste_is_a_kind_field_error(client_for, member):
    response = client_for(member).post(EDIT, {"warning_signs": "word " * 1000})
    assert "Please keep to 10 short lines" in response.content.decode()
    assert not SafetyPlan.objects.exists()
