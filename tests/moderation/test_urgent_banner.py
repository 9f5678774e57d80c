"""Urgent is unmistakable: a banner on every page for the group's facilitators while an urgent
case waits unclaimed (tab title too), live over the notifications socket, cleared on claim."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from moderation import services
from moderation.models import Reason
from moderation.selectors import urgent_banner_for
from peersupport.asgi import application
from peersupport.notifications.services import duty_set
from tests.factories import MembershipFactory

BANNER = "data-urgent-banner"


def _risk_case(group, post):
    reporter = MembershipFactory(group=group).user
    return services.report_create(reporter=reporter, content=post, reason=Reason.RISK).case


def test_the_banner_counts_unclaimed_urgent_cases_for_the_groups_facilitators_only(
    group, post, facilitator, other_facilitator, member, admin
):
    assert urgent_banner_for(facilitator).count == 0
    case = _risk_case(group, post)
    banner = urgent_banner_for(facilitator)
    assert banner.count == 1 and banner.url == case.get_absolute_url()
    # Not for members, nor another group's facilitator, nor an administrator who facilitates
    # nothing (they hear through escalation).
    assert urgent_banner_for(member) is None
    assert urgent_banner_for(other_facilitator).count == 0
    assert urgent_banner_for(admin) is None
    services.case_claim(actor=facilitator, case=case)
    assert urgent_banner_for(facilitator).count == 0


def test_a_routine_report_raises_no_banner(group, post, facilitator):
    services.report_create(
        reporter=MembershipFactory(group=group).user, content=post, reason=Reason.SPAM
    )
    assert urgent_banner_for(facilitator).count == 0


def test_an_off_duty_facilitator_sees_no_banner(group, post, facilitator):
    _risk_case(group, post)
    duty_set(user=facilitator, off_duty=True)
    assert urgent_banner_for(facilitator).count == 0
    duty_set(user=facilitator, off_duty=False)
    assert urgent_banner_for(facilitator).count == 1


def test_every_page_shows_the_banner_and_title_to_facilitators_and_nothing_to_members(
    client_for, group, post, facilitator, member
):
    _risk_case(group, post)
    for path in (reverse("home"), reverse("groups:detail", kwargs={"slug": group.slug})):
        page = client_for(facilitator).get(path).text
        assert BANNER in page and "<title>Urgent · " in page
        assert "may need support now" in page
        page = client_for(member).get(path).text
        assert BANNER not in page and "<title>Urgent" not in page


def test_the_banner_is_ready_but_hidden_when_nothing_waits(client_for, facilitator):
    page = client_for(facilitator).get(reverse("home")).text
    assert BANNER in page and "<title>Urgent" not in page
    assert 'data-urgent-banner data-title-prefix="Urgent · "' in page
    assert " hidden>" in page.split(BANNER, 1)[1].split("\n", 1)[0]


# --- live, over the real ASGI application -----------------------------------------------------
def _run(coro_fn, *args):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(async_to_sync(coro_fn), *args).result(timeout=30)


def _headers_for(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [(b"origin", b"http://localhost"), (b"cookie", cookie.encode())]


async def _next_urgent(communicator) -> dict:
    while True:
        frame = await communicator.receive_json_from(timeout=3)
        if frame["type"] == "urgent":
            return frame


@pytest.mark.django_db(transaction=True)
def test_the_banner_appears_live_and_clears_live_when_claimed(group, post, facilitator, member):
    _run(_live, group, post, facilitator, member)


async def _live(group, post, facilitator, member):
    fac = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=await database_sync_to_async(_headers_for)(facilitator),
    )
    mem = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=await database_sync_to_async(_headers_for)(member),
    )
    try:
        assert (await fac.connect())[0] and (await mem.connect())[0]
        assert await _next_urgent(fac) == {"type": "urgent", "count": 0, "url": "/moderation/"}
        assert (await mem.receive_json_from(timeout=3))["type"] == "unread"
        case = await database_sync_to_async(_risk_case)(group, post)
        assert await _next_urgent(fac) == {
            "type": "urgent",
            "count": 1,
            "url": case.get_absolute_url(),
        }
        await database_sync_to_async(services.case_claim)(actor=facilitator, case=case)
        assert (await _next_urgent(fac))["count"] == 0
        # The member's socket never hears about it.
        assert await mem.receive_nothing(timeout=0.5)
    finally:
        await fac.disconnect()
        await mem.disconnect()
