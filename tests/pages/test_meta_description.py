"""Every page has a non-empty <meta name="description">, for every role.

The walk is the role matrix's: every GET route that answers a full HTML page (200) to a role is
fetched as that role, plus the account pages allauth owns (not in the matrix).
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.role_matrix import ROLES, World, collect_routes

META = re.compile(r'<meta name="description" content="([^"]*)">')

ALLAUTH_PAGES = {
    "visitor": [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
    ],
    "signed_in": [
        "account_email",
        "account_change_password",
        "account_logout",
        "mfa_index",
        "welcome:welcome",
    ],
}


def _pages_for(role: str) -> list:
    return [
        route
        for route in collect_routes()
        if route.method == "GET" and route.expect[role] == 200 and not route.headers
    ]


def _assert_described(response, where: str) -> bool:
    """True if the response was a full HTML page (and then it must be described)."""
    if "text/html" not in response.get("Content-Type", ""):
        return False
    html = response.content.decode()
    if "<html" not in html[:500]:
        return False  # an htmx fragment, not a page
    found = META.findall(html)
    assert len(found) == 1, f"{where}: expected one meta description, found {len(found)}"
    assert len(found[0].strip()) >= 20, f"{where}: the meta description is empty or too short"
    return True


@pytest.fixture
def world(
    group,
    other_group,
    non_member,
    pending_requester,
    member,
    muted_member,
    removed_member,
    other_facilitator,
    facilitator,
    admin,
) -> World:
    users = {
        "visitor": None,
        "non_member": non_member,
        "pending_requester": pending_requester,
        "member": member,
        "muted_member": muted_member,
        "removed_member": removed_member,
        "other_facilitator": other_facilitator,
        "facilitator": facilitator,
        "admin": admin,
    }
    return World(group=group, other_group=other_group, users=users)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_a_meta_description(role: str, world: World) -> None:
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    pages = 0
    for route in _pages_for(role):
        url = reverse(route.name, kwargs=route.kwargs(world)) + (
            f"?{route.query}" if route.query else ""
        )
        response = client.get(url)
        assert response.status_code == 200, f"{route.id} as {role}: {response.status_code}"
        pages += _assert_described(response, f"{route.id} as {role}")
    names = ALLAUTH_PAGES["visitor" if user is None else "signed_in"]
    for name in names:
        response = client.get(reverse(name))
        assert response.status_code == 200, f"{name} as {role}: {response.status_code}"
        pages += _assert_described(response, f"{name} as {role}")
    # A walk that found nothing would pass: every role sees a good number of pages.
    assert pages >= 10, f"only {pages} pages walked as {role}"


def test_a_page_without_its_own_description_gets_the_sites(client, member, settings):
    settings.SITE_NAME = "Harbour Peer Support"
    client.force_login(member)
    html = client.get(reverse("groups:mine")).content.decode()
    assert META.findall(html) == [
        "Harbour Peer Support: moderated peer support groups where people living with "
        "mental-health difficulties share experiences under a name they choose."
    ]


def test_the_error_pages_are_described_too(client, db):
    html = client.get("/no-such-page/").content.decode()
    assert META.findall(html) and META.findall(html)[0]
