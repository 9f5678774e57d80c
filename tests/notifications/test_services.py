"""notify, preferences, read state and unsubscribe."""

import pytest
from django.core import mail

from peersupport.notifications import services
from peersupport.notifications.models import (
    DEFAULT_DELIVERY,
    Delivery,
    EmailOutbox,
    Kind,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from tests.factories import GroupFactory, NotificationFactory, UserFactory

STORY_TEXT = "I finally told my sister about the panic attacks"


def _notify(user, kind=Kind.REPLY_TO_MY_STORY, **kwargs):
    return services.notify(recipient=user, kind=kind, url="/somewhere/", text=STORY_TEXT, **kwargs)


def test_every_kind_has_a_default_delivery():
    assert set(DEFAULT_DELIVERY) == set(Kind.values)


@pytest.mark.django_db
def test_notify_immediate_kind_creates_notification_and_sends_one_email(
    recipient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(recipient)
    assert notification.is_unread
    assert len(mail.outbox) == 1
    assert EmailOutbox.objects.get(recipient=recipient).status == EmailOutbox.Status.SENT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("delivery", "in_app", "emails", "state"),
    [
        (Delivery.IMMEDIATE, 1, 1, Notification.EmailState.IMMEDIATE),
        (Delivery.DIGEST, 1, 0, Notification.EmailState.DIGEST_PENDING),
        (Delivery.IN_APP, 1, 0, Notification.EmailState.NONE),
        (Delivery.OFF, 0, 0, None),
    ],
)
def test_notify_respects_the_members_preference_for_the_kind(
    recipient, django_capture_on_commit_callbacks, delivery, in_app, emails, state
):
    NotificationPreference.objects.create(user=recipient, kind=Kind.MENTION, delivery=delivery)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(recipient, kind=Kind.MENTION)
        # Another kind keeps its own default (immediate) whatever this one says.
        _notify(recipient, kind=Kind.MODERATION_OUTCOME)
    mentions = Notification.objects.filter(recipient=recipient, kind=Kind.MENTION)
    assert mentions.count() == in_app
    if state:
        assert mentions.get().email_state == state
    assert len(mail.outbox) == emails + 1


@pytest.mark.django_db
def test_urgent_flag_still_appears_in_app_even_if_a_stale_preference_says_off(recipient):
    NotificationPreference.objects.create(
        user=recipient, kind=Kind.URGENT_FLAG, delivery=Delivery.OFF
    )
    assert _notify(recipient, kind=Kind.URGENT_FLAG) is not None


@pytest.mark.django_db
def test_notify_refuses_an_unknown_kind(recipient):
    with pytest.raises(ValueError):
        _notify(recipient, kind="something_else")
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_notify_twice_about_the_same_target_alerts_once(
    recipient, django_capture_on_commit_callbacks
):
    target = GroupFactory()  # any model instance works as a target
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(recipient, target=target)
        second = _notify(recipient, target=target)
    assert first.pk == second.pk
    assert Notification.objects.filter(recipient=recipient).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_email_never_contains_post_text_or_group_name_by_default(
    recipient, django_capture_on_commit_callbacks
):
    group = GroupFactory(name="Living with panic")
    with django_capture_on_commit_callbacks(execute=True):
        _notify(recipient, group=group)
    message = mail.outbox[0]
    assert message.subject == "You have a new reply"
    for text in (STORY_TEXT, "Living with panic"):
        assert text not in message.subject
        assert text not in message.body


@pytest.mark.django_db
def test_email_includes_post_text_and_group_name_when_member_opted_in(
    recipient, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=recipient, include_details=True)
    group = GroupFactory(name="Living with panic")
    with django_capture_on_commit_callbacks(execute=True):
        _notify(recipient, group=group)
    message = mail.outbox[0]
    assert "Living with panic" in message.subject
    assert STORY_TEXT in message.body


@pytest.mark.django_db
def test_every_email_carries_one_click_unsubscribe_headers_and_link(
    recipient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(recipient)
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/notifications/unsubscribe/" in url
    assert url in message.body


@pytest.mark.django_db
def test_unsubscribe_token_turns_off_email_for_its_kind_only(recipient):
    token = services.unsubscribe_token(user_id=recipient.pk, kind=Kind.MENTION)
    assert services.email_unsubscribe(token=token) == recipient
    assert services.delivery_for(user=recipient, kind=Kind.MENTION) == Delivery.IN_APP
    assert services.delivery_for(user=recipient, kind=Kind.REPLY_TO_MY_STORY) == Delivery.IMMEDIATE


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "nonsense", "eyJ1IjoxLCJrIjoibWVudGlvbiJ9:forgedsignature"])
def test_unsubscribe_refuses_forged_tokens(recipient, token):
    assert services.email_unsubscribe(token=token) is None
    assert not NotificationPreference.objects.exists()


@pytest.mark.django_db
def test_unsubscribe_token_for_one_member_cannot_be_edited_to_another(recipient):
    other = UserFactory()
    token = services.unsubscribe_token(user_id=recipient.pk, kind=Kind.MENTION)
    value, signature = token.rsplit(":", 1)
    forged_value = services.unsubscribe_token(user_id=other.pk, kind=Kind.MENTION).rsplit(":", 1)[0]
    assert services.email_unsubscribe(token=f"{forged_value}:{signature}") is None
    assert services.unsubscribe_token_read(f"{value}:{signature}") == (recipient.pk, Kind.MENTION)


@pytest.mark.django_db
def test_mark_read_only_touches_the_members_own_notification(recipient):
    mine = NotificationFactory(recipient=recipient)
    theirs = NotificationFactory()
    assert services.notification_mark_read(user=recipient, notification_id=mine.pk)
    assert not services.notification_mark_read(user=recipient, notification_id=theirs.pk)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_all_read_clears_the_unread_count(recipient):
    NotificationFactory.create_batch(3, recipient=recipient)
    other = NotificationFactory()
    assert services.notification_mark_all_read(user=recipient) == 3
    assert services.unread_count(user_id=recipient.pk) == 0
    assert services.unread_count(user_id=other.recipient_id) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"deliveries": {"not_a_kind": Delivery.IN_APP}},
        {"deliveries": {Kind.MENTION: "sometimes"}},
        {"deliveries": {Kind.URGENT_FLAG: Delivery.OFF}},
        {"digest_hour": 24},
        {"quiet_start": 22, "quiet_end": None},
    ],
)
def test_preferences_update_refuses_bad_values_and_saves_nothing(recipient, bad):
    args = {
        "deliveries": {Kind.MENTION: Delivery.OFF},
        "digest_hour": 8,
        "quiet_start": None,
        "quiet_end": None,
        "include_details": False,
        **bad,
    }
    if "deliveries" in bad:
        args["deliveries"] = {Kind.MENTION: Delivery.OFF, **bad["deliveries"]}
    with pytest.raises(ValueError):
        services.preferences_update(user=recipient, **args)
    assert not NotificationPreference.objects.exists()
    assert not NotificationSettings.objects.exists()


@pytest.mark.django_db
def test_notify_group_moderators_reaches_facilitators_only(
    group, facilitator, member, removed_member, other_facilitator, admin
):
    sent = services.notify_group_moderators(
        group=group, kind=Kind.URGENT_FLAG, url="/queue/", text="Someone may be at risk"
    )
    assert {n.recipient for n in sent} == {facilitator}
    assert sent[0].group == group


@pytest.mark.django_db
def test_notify_site_admins_reaches_administrators_only(admin, member):
    sent = services.notify_site_admins(
        kind=Kind.URGENT_FLAG, url="/queue/", text="Nobody has answered yet"
    )
    assert [n.recipient for n in sent] == [admin]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://evil.example/", "//evil.example/x", ""]
)
def test_notify_refuses_links_outside_the_site(recipient, url):
    with pytest.raises(ValueError):
        services.notify(recipient=recipient, kind=Kind.MENTION, url=url, text="hi")
    assert not Notification.objects.exists()


# --- urgent alerts: their own subject, no one-click unsubscribe -------------------------------
@pytest.mark.django_db
def test_urgent_email_says_urgent_without_content_or_group_even_when_details_are_opted_in(
    recipient, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=recipient, include_details=True)
    group = GroupFactory(name="Living with panic")
    with django_capture_on_commit_callbacks(execute=True):
        _notify(recipient, kind=Kind.URGENT_FLAG, group=group)
    (message,) = mail.outbox
    assert message.subject == "Urgent: someone in one of your groups may need support"
    for text in (STORY_TEXT, "Living with panic"):
        assert text not in message.subject
        assert text not in message.body
    assert "/somewhere/" in message.body


@pytest.mark.django_db
def test_urgent_email_has_no_one_click_unsubscribe_and_says_why(
    recipient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(recipient, kind=Kind.URGENT_FLAG)
    (message,) = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers
    assert "List-Unsubscribe-Post" not in message.extra_headers
    assert "/notifications/unsubscribe/" not in message.body
    assert "can't be switched off" in message.body
    assert "off duty" in message.body


@pytest.mark.django_db
def test_an_unsubscribe_token_for_urgent_alerts_is_refused(recipient):
    token = services.unsubscribe_token(user_id=recipient.pk, kind=Kind.URGENT_FLAG)
    assert services.unsubscribe_token_read(token) is None
    assert services.email_unsubscribe(token=token) is None
    assert services.delivery_for(user=recipient, kind=Kind.URGENT_FLAG) == Delivery.IMMEDIATE


# --- off duty ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_off_duty_facilitator_is_skipped_and_back_on_duty_is_alerted_again(
    group, facilitator, admin
):
    other = UserFactory()
    from groups.models import Membership
    from tests.factories import MembershipFactory

    MembershipFactory(group=group, user=other, role=Membership.Role.FACILITATOR)
    services.duty_set(user=facilitator, off_duty=True)
    assert services.is_off_duty(facilitator)
    sent = services.notify_group_moderators(
        group=group, kind=Kind.URGENT_FLAG, url="/queue/", text="Someone may be at risk"
    )
    assert {n.recipient for n in sent} == {other}
    services.duty_set(user=facilitator, off_duty=False)
    assert not services.is_off_duty(facilitator)
    sent = services.notify_group_moderators(
        group=group, kind=Kind.NEW_REPORT, url="/queue/", text="A report"
    )
    assert {n.recipient for n in sent} == {facilitator, other}


@pytest.mark.django_db
def test_going_off_duty_twice_keeps_the_first_time(facilitator):
    first = services.duty_set(user=facilitator, off_duty=True).off_duty_since
    assert services.duty_set(user=facilitator, off_duty=True).off_duty_since == first
