"""What an unconfirmed e-mail address cannot do (README: "First post in four steps, and what
confirming the address unlocks"): decided in groups.permissions, enforced where it happens."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from groups import permissions, services
from groups.models import Membership
from peersupport.notifications import services as notifications
from peersupport.notifications.models import EmailOutbox, Kind, Notification
from tests.factories import AdminFactory, GroupFactory, UserFactory


@pytest.fixture
def unconfirmed(db):
    # As sign-up leaves it: the address is on record, not yet confirmed.
    user = UserFactory(email="new@example.org", display_name="New Nia", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return user


@pytest.fixture
def confirmed(db):
    return UserFactory(email="old@example.org", display_name="Old Oak")


def test_can_receive_email_only_with_a_confirmed_address(unconfirmed, confirmed):
    assert permissions.can_receive_email(confirmed)
    assert not permissions.can_receive_email(unconfirmed)
    assert not permissions.can_receive_email(None)


def test_a_confirmed_other_address_does_not_count_for_the_sign_in_one(unconfirmed):
    EmailAddress.objects.create(user=unconfirmed, email="other@example.org", verified=True)
    assert not permissions.can_receive_email(unconfirmed)
    EmailAddress.objects.filter(email="new@example.org").update(verified=True)
    assert permissions.can_receive_email(unconfirmed)


@pytest.mark.django_db
def test_no_notification_e_mail_reaches_an_unconfirmed_address_but_the_app_still_tells_them(
    unconfirmed, confirmed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for user in (unconfirmed, confirmed):
            notifications.notify(
                recipient=user, kind=Kind.REPLY_TO_MY_STORY, url="/somewhere/", text="A reply"
            )
    assert [m.to for m in mail.outbox] == [["old@example.org"]]
    assert Notification.objects.filter(recipient=unconfirmed).count() == 1
    row = EmailOutbox.objects.get(recipient=unconfirmed)
    assert (row.status, row.last_error) == (EmailOutbox.Status.FAILED, "address not confirmed")


def test_an_unconfirmed_member_cannot_be_appointed_facilitator(unconfirmed):
    group = GroupFactory()
    with pytest.raises(PermissionDenied):
        services.facilitator_appoint(by=AdminFactory(), group=group, user=unconfirmed)
    assert not Membership.objects.filter(user=unconfirmed).exists()


def test_a_confirmed_member_can_be_appointed(confirmed):
    group = GroupFactory()
    membership = services.facilitator_appoint(by=AdminFactory(), group=group, user=confirmed)
    assert membership.role == Membership.Role.FACILITATOR


def test_the_staff_page_says_why_in_a_field_error(client, unconfirmed):
    group = GroupFactory()
    client.force_login(AdminFactory())
    response = client.post(
        reverse("groups:staff_facilitators", kwargs={"slug": group.slug}),
        {"display_name": "New Nia"},
    )
    assert response.status_code == 400
    assert "hasn&#x27;t confirmed their e-mail address yet" in response.content.decode()
    assert not Membership.objects.filter(user=unconfirmed).exists()


def test_an_unconfirmed_member_can_still_join_and_post(client, unconfirmed):
    # Verification adds no step before a first post.
    group = GroupFactory()
    services.membership_join(user=unconfirmed, group=group, accept_rules=True)
    assert permissions.access_for(unconfirmed, group).can_post
