"""A visitor signs up, confirms the e-mail from the outbox, signs in and sees their name."""

import re

import pytest
from django.core import mail

from tests.live import axe_check, screenshot

pytestmark = pytest.mark.browser


def test_visitor_signs_up_confirms_email_signs_in_and_sees_display_name(page, mailoutbox):
    page.goto("/")
    axe_check(page, "landing")
    screenshot(page, "landing-visitor")

    page.get_by_role("link", name="Join", exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/signup/"))
    axe_check(page, "sign-up")
    page.get_by_label("Display name").fill("Calm Otter")
    page.get_by_label("Email").fill("otter@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-and-kind-passphrase")
    page.get_by_label("Password (again)").fill("a-long-and-kind-passphrase")
    page.get_by_label("Password (again)").press("Enter")  # by keyboard
    # Signed in at once, on the welcome page; the address is confirmed from a banner and link.
    page.wait_for_url(re.compile(r"/welcome/$"))
    assert page.get_by_text("Please confirm your e-mail address").is_visible()
    axe_check(page, "welcome")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    page.goto(path)
    axe_check(page, "confirm e-mail")
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("is confirmed").is_visible()
    assert page.get_by_text("Please confirm your e-mail address").count() == 0

    with page.expect_navigation():  # sign-out finishes (and clears offline copies) first
        page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("link", name="Sign in").first.is_visible()
    page.goto("/accounts/login/")
    axe_check(page, "sign-in")
    page.get_by_label("Email").fill("otter@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-and-kind-passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("Welcome back, Calm Otter.").is_visible()
    header = page.get_by_role("banner")
    assert header.get_by_role("link", name=re.compile("Calm Otter")).is_visible()
    screenshot(page, "landing-member")

    page.goto("/profile/")
    axe_check(page, "profile")
    page.get_by_label("Pronouns (optional)").fill("they/them")
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_text("Your profile is saved.").is_visible()

    page.goto("/help/")
    axe_check(page, "help")
    screenshot(page, "help")


def test_pages_work_on_a_narrow_screen_and_keep_the_help_link_visible(new_context):
    context = new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in ["/", "/accounts/login/", "/accounts/signup/", "/help/"]:
        page.goto(path)
        assert page.get_by_role("link", name="Get help now").first.is_visible()
        axe_check(page, f"narrow {path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways ({width}px)"
    screenshot(page, "landing-narrow")


def test_skip_link_is_the_first_thing_the_keyboard_reaches(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_account_settings_pages_are_accessible(page, db):
    from tests.factories import TEST_PASSWORD, UserFactory

    UserFactory(email="wren@example.org", display_name="Wren")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("wren@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    for path in [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/password/reset/",
    ]:
        page.goto(path)
        assert page.get_by_role("link", name="Get help now", exact=True).is_visible()
        axe_check(page, path)
    page.goto("/accounts/2fa/totp/activate/")
    page.get_by_label(re.compile(r"^Password:?$")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    axe_check(page, "totp activate")
    screenshot(page, "mfa-activate")


def test_dark_colour_scheme_keeps_contrast(new_context):
    context = new_context(color_scheme="dark")
    page = context.new_page()
    for path in ["/", "/accounts/signup/", "/help/", "/no-such-page/"]:
        page.goto(path)
        axe_check(page, f"dark {path}")
    page.goto("/")
    screenshot(page, "landing-dark")
