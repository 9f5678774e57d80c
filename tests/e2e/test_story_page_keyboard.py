"""The story page by keyboard: the reply box within 10 Tab presses on a three-reply story, one
compact reaction control per post, the anonymous switch beside "Post reply"; axe and no
sideways scrolling at 1280 and 375 px."""

import os
import re
from pathlib import Path

import pytest

from stories.models import Reaction, Reply
from tests.factories import GroupFactory, MembershipFactory, ReplyFactory, StoryFactory, UserFactory
from tests.live import axe_check, screenshot, sign_in

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("STORY_SHOTS", "/tmp/shots/story-speed"))
TAB_LIMIT = 10


def _three_reply_story():
    group = GroupFactory(name="Living with anxiety", slug="living-with-anxiety")
    reader = MembershipFactory(
        group=group, user=UserFactory(display_name="Kind Heron", email="heron@example.org")
    ).user
    story = StoryFactory(group=group, title="The long week")
    for i, text in enumerate(("I hear you.", "Same here, last winter.", "Sending strength.")):
        reply = ReplyFactory(story=story, body=text, is_anonymous=i == 1)
        Reaction.objects.create(user=reply.author, reply=reply, kind="hear")
    return group, story, reader


def _focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {id: e.id, tag: e.tagName, text: (e.textContent || '').trim().slice(0, 40)}; }"
    )


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    screenshot(page, name)


def test_reply_box_within_ten_tab_presses_and_compact_cards(new_context, live_url):
    group, story, reader = _three_reply_story()
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, reader.email)
    page.goto(f"/groups/{group.slug}/stories/{story.pk}/")
    axe_check(page, "story page, three replies (1280)")
    _shot(page, "story-three-replies-1280")

    # From the top of the page, Tab until the reply box has focus; Enter only on a skip link.
    tabs = 0
    while tabs < 40:
        page.keyboard.press("Tab")
        tabs += 1
        now = _focused(page)
        if now["id"] == "id_body":
            break
        if now["tag"] == "A" and now["text"] == "Skip to the reply box":
            page.keyboard.press("Enter")
            if _focused(page)["id"] == "id_body":
                break
    assert _focused(page)["id"] == "id_body", f"the reply box never got focus ({tabs} Tabs)"
    assert tabs <= TAB_LIMIT, f"{tabs} Tab presses to reach the reply box"

    # Without the skip link, Tab alone: past the header and sub-navigation, each post costs at
    # most its React link and its Report link (it was 36 with four buttons per post).
    page.reload()
    plain_tabs = 0
    while plain_tabs < 60 and _focused(page)["id"] != "id_body":
        page.keyboard.press("Tab")
        plain_tabs += 1
    assert _focused(page)["id"] == "id_body"
    header_and_nav = page.evaluate(
        "() => [...document.querySelectorAll('body > a, header a, header button, .sub-nav a')]"
        ".length"
    )
    assert plain_tabs <= header_and_nav + 3 + 2 * 3 + 1, f"{plain_tabs} Tabs without the skip link"
    print(f"reply box: {tabs} Tab presses with the skip link, {plain_tabs} without")

    # Each reply card: no count reading 0, one reaction control, at most two stops by Tab.
    for reply in Reply.objects.filter(story=story):
        card = page.locator(f"#reply-{reply.pk}")
        assert card.locator(".reaction-toggle").count() == 1
        assert card.locator("form").count() == 0
        assert card.get_by_text(re.compile(r"^0$")).count() == 0
        stops = card.evaluate(
            "c => c.querySelectorAll('a[href], button, input, select, textarea, summary').length"
        )
        assert stops <= 2

    # The anonymous option is a labelled switch beside "Post reply".
    switch = page.get_by_role("switch", name="Reply as “Anonymous member”")
    assert switch.count() == 1
    same_row = page.locator(".reply-actions")
    assert same_row.get_by_role("button", name="Post reply").count() == 1
    assert same_row.get_by_role("switch").count() == 1

    # "React" opens the four choices in place; pressing one marks it as the reader's own.
    first = Reply.objects.filter(story=story).order_by("created_at", "pk").first()
    page.locator(f"#reply-{first.pk} .reaction-toggle").click()
    form = page.locator(f"#reactions-reply-{first.pk}")
    form.get_by_role("button", name="Me too").click()
    page.wait_for_selector(
        f'#reactions-reply-{first.pk} button[value="metoo"][aria-pressed="true"]'
    )
    assert Reaction.objects.filter(user=reader, reply=first, kind="metoo").exists()
    axe_check(page, "story page with the reactions open")
    _shot(page, "story-reactions-open-1280")

    # Phone width: nothing scrolls sideways; axe again.
    phone = new_context(viewport={"width": 375, "height": 800}).new_page()
    sign_in(phone, reader.email)
    phone.goto(f"/groups/{group.slug}/stories/{story.pk}/")
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(phone, "story page, three replies (375)")
    _shot(phone, "story-three-replies-375")

    # Without JavaScript "React" is a small page with the same four choices.
    plain = new_context(java_script_enabled=False).new_page()
    sign_in(plain, reader.email)
    plain.goto(f"/groups/{group.slug}/stories/{story.pk}/")
    plain.locator(f"#reply-{first.pk} .reaction-toggle").click()
    plain.wait_for_url(re.compile(r"/react/$"))
    plain.get_by_role("button", name="Sending strength").click()
    plain.wait_for_url(re.compile(rf"#reply-{first.pk}$"))
    assert Reaction.objects.filter(user=reader, reply=first, kind="strength").exists()
    _shot(plain, "story-no-js-after-reaction-1280")
