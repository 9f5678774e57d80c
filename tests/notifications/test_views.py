"""The centre, the preferences page and the unsubscribe page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peersupport.notifications import services
from peersupport.notifications.models import (
    DEFAULT_DELIVERY,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from tests.factories import NotificationFactory, UserFactory


def _prefs_data(**overrides):
    data = {
        "digest_hour": "18",
        "quiet_start": "",
        "quiet_end": "",
        **{f"delivery_{k}": v for k, v in DEFAULT_DELIVERY.items()},
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_centre_lists_only_the_members_own_notifications(client_for, recipient):
    NotificationFactory(recipient=recipient, text="Someone replied to your story")
    NotificationFactory(text="Not for Robin")
    response = client_for(recipient).get(reverse("notifications:centre"))
    assert response.status_code == 200
    assert "Someone replied to your story" in response.text
    assert "Not for Robin" not in response.text


@pytest.mark.django_db
def test_header_shows_the_unread_count(client_for, recipient):
    NotificationFactory.create_batch(3, recipient=recipient)
    response = client_for(recipient).get(reverse("home"))
    assert 'aria-label="3 unread"' in response.text
    assert "js/notifications.js" in response.text


@pytest.mark.django_db
def test_visitors_get_no_badge_and_no_script(client):
    response = client.get(reverse("home"))
    assert "data-unread-badge" not in response.text
    assert "js/notifications.js" not in response.text


@pytest.mark.django_db
def test_centre_query_count_is_the_same_for_3_and_30_notifications(client_for, recipient):
    client = client_for(recipient)
    client.get(reverse("notifications:centre"))  # warm the session and content types
    counts = []
    for n in (3, 27):
        NotificationFactory.create_batch(n, recipient=recipient)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("notifications:centre"))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert Notification.objects.filter(recipient=recipient).count() == 30
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_mark_read_with_htmx_returns_the_updated_item(client_for, recipient):
    n = NotificationFactory(recipient=recipient)
    response = client_for(recipient).post(
        reverse("notifications:mark_read", args=[n.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert f'id="notification-{n.pk}"' in response.text
    assert "Mark as read" not in response.text
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.django_db
def test_mark_all_read_without_javascript_redirects_back(client_for, recipient):
    NotificationFactory.create_batch(2, recipient=recipient)
    response = client_for(recipient).post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert services.unread_count(user_id=recipient.pk) == 0


@pytest.mark.django_db
def test_preferences_page_saves_choices(client_for, recipient):
    response = client_for(recipient).post(
        reverse("notifications:preferences"),
        _prefs_data(
            **{
                "delivery_mention": Delivery.OFF,
                "digest_hour": "7",
                "quiet_start": "22",
                "quiet_end": "6",
                "include_details": "on",
            }
        ),
    )
    assert response.status_code == 302
    assert services.delivery_for(user=recipient, kind=Kind.MENTION) == Delivery.OFF
    prefs = NotificationSettings.objects.get(user=recipient)
    assert (prefs.digest_hour, prefs.quiet_start, prefs.quiet_end, prefs.include_details) == (
        7,
        22,
        6,
        True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"delivery_mention": "sometimes"}, "delivery_mention"),
        ({"delivery_urgent_flag": Delivery.OFF}, "delivery_urgent_flag"),
        ({"digest_hour": "25"}, "digest_hour"),
        ({"digest_hour": "seven"}, "digest_hour"),
        ({"quiet_start": "-1", "quiet_end": "6"}, "quiet_start"),
        ({"quiet_start": "22"}, "quiet_end"),
    ],
)
def test_preferences_form_bad_input_shows_field_errors_and_saves_nothing(
    client_for, admin, overrides, field
):
    # An administrator sees every kind, including the facilitators' ones.
    response = client_for(admin).post(
        reverse("notifications:preferences"), _prefs_data(**overrides)
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert "Nothing has been changed yet" in response.text
    assert not NotificationPreference.objects.exists()
    assert not NotificationSettings.objects.exists()


@pytest.mark.django_db
def test_preferences_form_ignores_unknown_kinds(client_for, recipient):
    response = client_for(recipient).post(
        reverse("notifications:preferences"), _prefs_data(delivery_bogus="off")
    )
    assert response.status_code == 302
    assert not NotificationPreference.objects.filter(kind="bogus").exists()


@pytest.mark.django_db
def test_one_click_unsubscribe_post_works_without_session_or_csrf(recipient):
    from django.test import Client

    token = services.unsubscribe_token(user_id=recipient.pk, kind=Kind.REPLY_TO_MY_STORY)
    client = Client(enforce_csrf_checks=True)
    url = reverse("notifications:unsubscribe", kwargs={"token": token})
    assert client.get(url).status_code == 200
    assert services.delivery_for(user=recipient, kind=Kind.REPLY_TO_MY_STORY) == Delivery.IMMEDIATE
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert services.delivery_for(user=recipient, kind=Kind.REPLY_TO_MY_STORY) == Delivery.IN_APP


@pytest.mark.django_db
def test_forged_unsubscribe_token_gets_a_kind_page_and_changes_nothing(client, recipient):
    token = services.unsubscribe_token(user_id=recipient.pk, kind=Kind.MENTION)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.post(reverse("notifications:unsubscribe", kwargs={"token": forged}))
    assert response.status_code == 400
    assert "Nothing has been changed" in response.text
    assert not NotificationPreference.objects.exists()


@pytest.mark.django_db
def test_unsubscribe_for_a_deleted_member_is_refused_kindly(client):
    user = UserFactory()
    token = services.unsubscribe_token(user_id=user.pk, kind=Kind.MENTION)
    user.delete()
    response = client.post(reverse("notifications:unsubscribe", kwargs={"token": token}))
    assert response.status_code == 400


@pytest.mark.django_db
def test_facilitator_kinds_are_offered_only_to_people_who_moderate(
    client_for, member, facilitator, admin
):
    label = "Someone may be at risk (facilitators)"
    assert label not in client_for(member).get(reverse("notifications:preferences")).text
    assert label in client_for(facilitator).get(reverse("notifications:preferences")).text
    assert label in client_for(admin).get(reverse("notifications:preferences")).text


@pytest.mark.django_db
def test_a_member_saving_preferences_leaves_facilitator_kinds_untouched(client_for, member):
    data = {
        "digest_hour": "9",
        "quiet_start": "",
        "quiet_end": "",
        **{f"delivery_{k}": v for k, v in DEFAULT_DELIVERY.items()},
        "delivery_urgent_flag": Delivery.IN_APP,
    }
    assert client_for(member).post(reverse("notifications:preferences"), data).status_code == 302
    assert not NotificationPreference.objects.filter(user=member, kind=Kind.URGENT_FLAG).exists()


# --- following a group's new stories ---------------------------------------------------------
def test_the_group_page_toggle_follows_and_unfollows(client_for, group, member):
    from peersupport.notifications.models import GroupFollow

    client = client_for(member)
    url = f"/notifications/groups/{group.slug}/follow/"
    assert (
        "Tell me about new stories in this group"
        in client.get(f"/groups/{group.slug}/").content.decode()
    )
    assert client.post(url, {"follow": "on"}).status_code == 302
    assert client.post(url, {"follow": "on"}).status_code == 302
    assert GroupFollow.objects.filter(user=member, group=group).count() == 1
    assert (
        "Stop telling me about new stories" in client.get(f"/groups/{group.slug}/").content.decode()
    )
    client.post(url, {"follow": "off"})
    assert not GroupFollow.objects.filter(user=member, group=group).exists()


def test_the_group_follow_toggle_refuses_nonsense_without_changing_anything(
    client_for, group, member
):
    from peersupport.notifications.models import GroupFollow

    response = client_for(member).post(
        f"/notifications/groups/{group.slug}/follow/", {"follow": "maybe"}, follow=True
    )
    assert "Sorry, that didn" in response.content.decode()
    assert not GroupFollow.objects.exists()


def test_people_who_cannot_read_the_group_see_no_toggle(client_for, group, non_member):
    page = client_for(non_member).get(f"/groups/{group.slug}/").content.decode()
    assert "Tell me about new stories" not in page


# --- off duty and why urgent alerts stay on ----------------------------------------------------
@pytest.mark.django_db
def test_preferences_explain_why_urgent_alerts_cannot_be_switched_off(client_for, facilitator):
    page = client_for(facilitator).get(reverse("notifications:preferences")).text
    assert "urgent alerts can&#x27;t be switched off" in page
    assert "Go off duty" in page


@pytest.mark.django_db
def test_a_member_sees_no_duty_switch_and_may_not_use_it(client_for, member):
    client = client_for(member)
    assert "Go off duty" not in client.get(reverse("notifications:preferences")).text
    assert client.post(reverse("notifications:duty"), {"duty": "off"}).status_code == 403
    assert not services.is_off_duty(member)


@pytest.mark.django_db
def test_a_facilitator_goes_off_duty_and_back(client_for, facilitator):
    client = client_for(facilitator)
    response = client.post(reverse("notifications:duty"), {"duty": "off"}, follow=True)
    assert services.is_off_duty(facilitator)
    assert "You&#x27;re off duty" in response.text
    assert "back on duty" in response.text
    client.post(reverse("notifications:duty"), {"duty": "on"})
    assert not services.is_off_duty(facilitator)


@pytest.mark.django_db
def test_a_bad_duty_value_changes_nothing(client_for, facilitator):
    client_for(facilitator).post(reverse("notifications:duty"), {"duty": "maybe"})
    assert not services.is_off_duty(facilitator)
