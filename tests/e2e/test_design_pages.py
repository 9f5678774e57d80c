"""Every page, every role, at 375 and 1280 px: no sideways overflow, a header of one row, and
axe with no serious or critical issue. Screenshots go to artifacts/design/ (gitignored).

The pages hold the demo data (`seed_demo`), so they are as full as a real site's: long group
names, chat, cases, tables. Problems are collected over the whole walk and reported together.
"""

import re

import pytest
from django.core.management import call_command

from tests.live import ARTIFACTS, axe_check, sign_in, watch

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
# The header is checked at more widths on one page per role: its breakpoints live in between.
HEADER_WIDTHS = (320, 375, 600, 700, 768, 900, 1024, 1280)
SHOTS = ARTIFACTS / "design"

PEOPLE = {
    "member": "ash@example.org",
    "facilitator": "willow@example.org",
    "admin": "admin@example.org",
}

# What a page must not do: scroll sideways, or let the header take more than one row.
MEASURE = """() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const inner = document.querySelector('.header-inner');
  const parts = [];
  for (const el of inner.children) {
    if (el.classList.contains('header-tools')) {
      for (const tool of el.children) if (visible(tool) && !tool.classList.contains('visually-hidden')) parts.push(tool);
    } else if (visible(el)) parts.push(el);
  }
  const boxes = parts.map((el) => { const r = el.getBoundingClientRect();
    return {name: el.className || el.tagName, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; });
  const links = Array.from(document.querySelectorAll('.site-nav .nav-list > li')).filter(visible)
    .map((li) => li.getBoundingClientRect().top);
  const list = document.querySelector('.site-nav .nav-list');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    headerHeight: document.querySelector('.site-header').getBoundingClientRect().height,
    boxes,
    linkTops: links,
    navOverflow: list && visible(list) ? list.scrollWidth - list.clientWidth : 0,
    help: (() => { const h = document.querySelector('.site-header .help-link'); return h ? visible(h) : false; })(),
  };
}"""


def header_problems(m: dict) -> list[str]:
    problems = []
    if m["headerHeight"] > 72:
        problems.append(f"header is {m['headerHeight']:.0f}px tall")
    if not m["help"]:
        problems.append("Get help now is not visible")
    centres = [(b["top"] + b["bottom"]) / 2 for b in m["boxes"]]
    if centres and max(centres) - min(centres) > 8:
        problems.append(f"header parts on more than one row: {m['boxes']}")
    if m["linkTops"] and max(m["linkTops"]) - min(m["linkTops"]) > 2:
        problems.append(f"navigation links wrap: tops {m['linkTops']}")
    ordered = sorted(m["boxes"], key=lambda b: b["left"])
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a["right"] > b["left"] + 1:
            problems.append(f"{a['name']} overlaps {b['name']}")
    if m["navOverflow"] > 1:
        problems.append(f"navigation overflows by {m['navOverflow']}px")
    if m["boxes"] and max(b["right"] for b in m["boxes"]) > m["innerWidth"] + 0.5:
        problems.append("header runs past the window")
    return problems


def demo_pages() -> dict[str, list[str]]:
    from groups.chat.models import ChatMessage
    from moderation.models import Case
    from peersupport.accounts.models import User
    from stories.models import Story

    story = Story.objects.filter(group__slug="anxiety-support").order_by("pk").first()
    story_url = f"/groups/anxiety-support/stories/{story.pk}/"
    case = Case.objects.filter(group__slug="anxiety-support").order_by("-is_urgent", "pk").first()
    any_case = Case.objects.order_by("-is_urgent", "pk").first()
    river = User.objects.get(email="river@example.org")
    assert ChatMessage.objects.exists(), "the demo has chat messages"
    common = ["/", "/help/", "/groups/", "/groups/anxiety-support/", "/resources/"]
    return {
        "visitor": [*common, "/accounts/login/", "/accounts/signup/", "/privacy/"],
        "member": [
            *common,
            "/groups/mine/",
            "/groups/anxiety-support/stories/",
            story_url,
            "/groups/anxiety-support/stories/new/",
            "/groups/anxiety-support/chat/",
            "/search/?q=panic",
            "/notifications/",
            "/profile/",
            "/me/security/",
            "/me/safety-plan/",
            f"/members/{river.handle}/",
            "/moderation/my-reports/",
        ],
        "facilitator": [
            "/",
            "/moderation/",
            f"/moderation/cases/{case.pk}/",
            "/moderation/held/",
            "/groups/anxiety-support/",
            "/groups/anxiety-support/members/",
            "/groups/anxiety-support/requests/",
            "/groups/anxiety-support/chat/",
            "/safety-plans/shared/",
            story_url,
        ],
        "admin": [
            "/",
            "/moderation/",
            f"/moderation/cases/{any_case.pk}/",
            "/moderation/audit/",
            "/moderation/appeals/",
            "/moderation/watched-words/",
            "/groups/manage/",
            "/staff/resources/",
            "/styleguide/",
        ],
    }


def walk(context, live_url: str, role: str, paths: list[str]) -> list[str]:
    page = context.new_page()
    page.watch = watch(page, live_url)
    problems: list[str] = []
    if role in PEOPLE:
        sign_in(page, PEOPLE[role], "peer-support-demo")
    for width in HEADER_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        problems += [f"{role} / at {width}px: {p}" for p in header_problems(page.evaluate(MEASURE))]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(path)
            where = f"{role} {path} at {width}px"
            if response is None or response.status != 200:
                problems.append(f"{where}: status {response.status if response else None}")
                continue
            m = page.evaluate(MEASURE)
            if m["scrollWidth"] > m["innerWidth"]:
                problems.append(
                    f"{where}: scrolls sideways ({m['scrollWidth']} > {m['innerWidth']})"
                )
            problems += [f"{where}: {p}" for p in header_problems(m)]
            name = re.sub(r"[^a-z0-9]+", "-", f"{role}-{width}-{path}".lower()).strip("-")
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
            try:
                axe_check(page, where)
            except pytest.fail.Exception as failure:
                problems.append(str(failure))
    csp = [
        e for e in page.watch.console_errors if "Content Security Policy" in e or "Refused to" in e
    ]
    problems += [f"{role}: CSP {e}" for e in csp]
    problems += [f"{role}: off-site request {u}" for u in page.watch.foreign_requests]
    return problems


def test_every_page_every_role_fits_the_screen_with_a_one_row_header(
    new_context, live_url, settings
):
    settings.DEBUG = True  # seed_demo refuses without it; the pages themselves do not care
    call_command("seed_demo", "--quiet-logins")
    settings.DEBUG = False
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = demo_pages()
    problems: list[str] = []
    for role, paths in pages.items():
        problems += walk(new_context(), live_url, role, paths)
    assert problems == [], "\n".join(problems)


def test_the_menu_opens_without_javascript_on_a_phone(new_context, live_url):
    from tests.factories import UserFactory

    person = UserFactory(display_name="Calm Otter")
    context = new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    sign_in(page, person.email)
    header = page.get_by_role("banner")
    assert header.get_by_role("link", name="Get help now").is_visible()
    groups = header.get_by_role("link", name="My groups")
    assert not groups.is_visible()
    header.locator(".nav-menu > summary").click()
    assert groups.is_visible()
    assert header.get_by_role("button", name="Sign out").is_visible()
    groups.click()
    page.wait_for_url(re.compile(r"/groups/mine/$"))
    # axe needs scripts (it never finishes in a page without them): check the open menu again
    # in an ordinary browser.
    scripted = new_context(viewport={"width": 375, "height": 800}).new_page()
    sign_in(scripted, person.email)
    scripted.locator(".nav-menu > summary").click()
    assert scripted.get_by_role("link", name="My groups").is_visible()
    axe_check(scripted, "menu open at 375px")
    scripted.keyboard.press("Escape")
    assert not scripted.get_by_role("link", name="My groups").is_visible()


def test_chat_groups_runs_shows_days_and_offers_refresh_only_when_not_live(new_context, settings):
    from groups.models import Membership
    from tests.factories import GroupFactory, MembershipFactory, UserFactory

    settings.CHAT_FLOOD_MESSAGES = 100
    group = GroupFactory(name="Evening circle", slug="evening-circle")
    ash = MembershipFactory(group=group, user=UserFactory(display_name="Ash Tree")).user
    willow = MembershipFactory(
        group=group, user=UserFactory(display_name="Willow"), role=Membership.Role.FACILITATOR
    ).user
    # A long evening already: the page is taller than a phone's screen.
    import uuid

    from groups.chat.models import ChatMessage, ChatRoomSettings

    ChatRoomSettings.objects.create(group=group, last_seq=30)
    ChatMessage.objects.bulk_create(
        ChatMessage(group=group, seq=i, author=willow, client_id=uuid.uuid4().hex, body=f"Hi {i}")
        for i in range(1, 31)
    )
    context = new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    sign_in(page, ash.email)
    page.goto("/groups/evening-circle/chat/")
    page.locator("#chat-connection", has_text=re.compile(r"^Connected")).wait_for()
    # Live: no need to refresh by hand.
    assert page.locator("#chat-refresh").is_hidden()
    composer = page.get_by_label("Your message")
    for text in ("First line", "Second line, same minute"):
        composer.fill(text)
        composer.press("Enter")
    page.locator("#chat-log li[data-id='32']").wait_for()
    # One day separator above the first message, and the second message joins the first's run.
    assert page.locator("#chat-log li.chat-day").count() == 1
    assert page.locator("#chat-log li.chat-day").inner_text() == "Today"
    classes = page.locator("#chat-log li[data-id='32']").get_attribute("class").split()
    assert "is-continued" in classes
    assert "is-continued" not in page.locator("#chat-log li[data-id='31']").get_attribute("class")
    assert page.locator("#chat-log li[data-id='31'] .avatar").inner_text() == "AT"
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The composer stays at the bottom of a phone's screen.
    box = page.locator("#composer").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 740 + 1
    axe_check(page, "chat at 375px")
    page.screenshot(path=str(SHOTS / "chat-375-live.png"), full_page=False)
    # The connection drops: the refresh link comes back.
    context.set_offline(True)
    page.locator("#chat-connection", has_text="Connection lost").wait_for()
    assert page.locator("#chat-refresh").is_visible()
    context.set_offline(False)
    page.locator("#chat-connection", has_text=re.compile(r"^Connected")).wait_for()
    # Without JavaScript the refresh link is always there.
    plain = new_context(java_script_enabled=False).new_page()
    sign_in(plain, ash.email)
    plain.goto("/groups/evening-circle/chat/")
    assert plain.locator("#chat-refresh").is_visible()
    assert plain.locator("#chat-log li.chat-day").count() == 1
