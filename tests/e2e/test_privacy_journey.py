"""Privacy journeys in Chromium: consent at the next sign-in, the notice, and a data export."""

import json
import re
import zipfile

import pytest

from tests.factories import TEST_PASSWORD, MembershipFactory, StoryFactory, UserFactory
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_member_exports_their_data_and_downloads_the_zip(page, group, tmp_path, settings):
    settings.DATA_EXPORT_ROOT = str(tmp_path / "exports")
    member = UserFactory(email="sky@example.org", display_name="Quiet Sky")
    MembershipFactory(group=group, user=member)
    StoryFactory(group=group, author=member, title="Learning to rest", body="SKY-STORY-WORDS")
    other = StoryFactory(group=group, title="Someone else's day", body="NOT-SKY-WORDS")

    sign_in(page, member)
    page.goto("/profile/")
    page.get_by_role("link", name="Your data").click()
    page.wait_for_url(re.compile(r"/me/data/$"))
    axe_check(page, "your data (before)")
    page.get_by_role("button", name="Prepare a copy of my data").click()
    page.wait_for_url(re.compile(r"/me/data/$"))
    # Tasks run inline here, so the copy is ready by the time the page comes back.
    download_link = page.get_by_role("link", name="Download your data (ZIP)")
    assert download_link.is_visible()
    axe_check(page, "your data (ready)")
    screenshot(page, "privacy-data-ready")
    assert page.get_by_role("button", name="Prepare a copy of my data").is_visible()

    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "download.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
        index = archive.read("index.html").decode()
    assert [s["body"] for s in data["stories"]] == ["SKY-STORY-WORDS"]
    assert "NOT-SKY-WORDS" not in json.dumps(data) + index
    assert other.title not in index

    # Told in-app, without content or group name.
    page.goto("/notifications/")
    assert page.get_by_role(
        "link", name="Your copy of your data is ready to download."
    ).is_visible()
    assert "Living with anxiety" not in page.get_by_role("main").inner_text()

    # A second copy the same day is explained, not repeated.
    page.goto("/me/data/")
    page.get_by_role("button", name="Prepare a copy of my data").click()
    assert page.get_by_text(re.compile("You can ask for a new one after")).is_visible()


def test_an_earlier_account_is_asked_for_consent_once_then_can_post(page, group):
    member = UserFactory(
        email="fern@example.org", display_name="Early Fern", health_consent_at=None
    )
    MembershipFactory(group=group, user=member)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(member.email)
    field = page.get_by_label(re.compile(r"^Password:?$"))
    field.fill(TEST_PASSWORD)
    field.press("Enter")
    page.wait_for_url(re.compile(r"/me/consent/"))
    axe_check(page, "consent")
    screenshot(page, "privacy-consent")
    page.get_by_role("button", name="Give my consent").click()
    # A kind error when the box is not ticked; nothing recorded.
    assert page.get_by_text(re.compile("tick the box")).is_visible()
    page.get_by_label(re.compile("I agree that Peer Support may store")).check()
    page.get_by_role("button", name="Give my consent").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("Thank you. You can now post and chat in your groups.").is_visible()

    page.goto(f"/groups/{group.slug}/stories/new/")
    assert page.get_by_role("button", name=re.compile("Share|Post", re.I)).first.is_visible()

    page.goto("/privacy/")
    axe_check(page, "privacy notice")
    assert page.get_by_role("heading", name="Privacy notice", level=1).is_visible()
