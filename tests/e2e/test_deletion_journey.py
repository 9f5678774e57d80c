"""A member looks at their sessions, deletes their account, comes back to cancel, deletes it
again keeping their replies, and after the grace period another member sees "A former member"."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from peersupport.accounts import tasks
from peersupport.accounts.models import AccountDeletion, User
from tests.factories import (
    TEST_PASSWORD,
    GroupFactory,
    MembershipFactory,
    ReplyFactory,
    StoryFactory,
    UserFactory,
)
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def _fill_deletion_form(page, choice: str, password: str) -> None:
    page.get_by_label(choice).check()
    page.get_by_label("Your password").fill(password)
    page.get_by_label(re.compile("I understand my account will be deleted")).check()
    page.get_by_role("button", name="Delete my account").click()


def test_member_deletes_cancels_and_deletes_again_keeping_replies(page, new_context):
    group = GroupFactory(name="Quiet harbour", slug="quiet-harbour")
    leaving = MembershipFactory(
        group=group, user=UserFactory(email="kes@example.org", display_name="Kestrel")
    ).user
    friend = MembershipFactory(group=group, user=UserFactory(display_name="Friend Fin")).user
    thread = StoryFactory(group=group, author=friend, title="Small wins", body="I went outside.")
    ReplyFactory(story=thread, author=leaving, body="That is a real win, well done.")
    StoryFactory(group=group, author=leaving, title="My own hard month", body="It was hard.")

    sign_in(page, leaving)
    page.goto("/me/security/")
    axe_check(page, "security")
    assert page.get_by_text("This browser").is_visible()
    assert page.get_by_role("link", name="Set up or change two-factor sign-in").is_visible()
    screenshot(page, "security")

    page.get_by_role("link", name="Delete your account").click()
    page.wait_for_url(re.compile(r"/me/delete/$"))
    axe_check(page, "delete")
    # A wrong password: a clear error, nothing changed.
    _fill_deletion_form(page, "Remove everything I wrote", "not-my-password")
    assert page.get_by_text("That password doesn't match").is_visible()
    axe_check(page, "delete with an error")
    assert User.objects.get(pk=leaving.pk).is_active

    _fill_deletion_form(page, "Remove everything I wrote", TEST_PASSWORD)
    page.wait_for_url(re.compile(r"/me/delete/scheduled/$"))
    axe_check(page, "deletion scheduled")
    screenshot(page, "deletion-scheduled")
    assert not User.objects.get(pk=leaving.pk).is_active

    # Within the grace period, signing in offers to keep the account.
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("kes@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/me/delete/cancel/$"))
    axe_check(page, "cancel deletion")
    page.get_by_role("button", name="Keep my account and sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("Your account is no longer being deleted").is_visible()
    assert User.objects.get(pk=leaving.pk).is_active

    # Then for good, keeping the reply in Fin's thread.
    page.goto("/me/delete/")
    _fill_deletion_form(page, re.compile("Keep my replies"), TEST_PASSWORD)
    page.wait_for_url(re.compile(r"/me/delete/scheduled/$"))
    AccountDeletion.objects.filter(status="scheduled").update(
        purge_after=timezone.now() - timedelta(minutes=1)
    )
    assert tasks.account_purges_due() == 1

    other = new_context().new_page()
    sign_in(other, friend)
    other.goto(thread.get_absolute_url())
    assert other.get_by_text("That is a real win, well done.").is_visible()
    assert other.get_by_text("A former member").first.is_visible()
    assert other.get_by_text("Kestrel").count() == 0
    other.goto(group.get_absolute_url())
    assert other.get_by_text("Kestrel").count() == 0
    axe_check(other, "thread after a member left")

    # The old e-mail and password no longer sign anyone in.
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("kes@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    assert "/me/delete/cancel/" not in page.url
