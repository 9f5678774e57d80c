"""Every URL pattern × every role. A route without an expectation fails here."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.role_matrix import ROLES, THIRD_PARTY_PREFIXES, Route, World, collect_routes

ROUTES = collect_routes()


def _walk(patterns, namespace: str = "") -> list[tuple[str | None, str]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # Django admin: staff-only by its own checks
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found.extend(_walk(p.url_patterns, ns))
        elif isinstance(p, URLPattern):
            callback = p.callback
            module = getattr(callback, "__module__", "") or ""
            wrapped = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
            if wrapped is not None:
                module = wrapped.__module__
            if module.startswith(THIRD_PARTY_PREFIXES):
                continue
            found.append((f"{namespace}{p.name}" if p.name else None, str(p.pattern)))
    return found


def test_every_project_route_has_an_expected_answer_for_every_role():
    declared = {route.name for route in ROUTES}
    walked = _walk(get_resolver().url_patterns)
    unnamed = [pattern for name, pattern in walked if name is None]
    assert unnamed == [], f"give these URL patterns a name: {unnamed}"
    missing = sorted({name for name, _ in walked} - declared)
    assert missing == [], f"add these routes to a tests/<app>/routes.py: {missing}"
    stale = sorted(declared - {name for name, _ in walked})
    assert stale == [], f"these routes no longer exist: {stale}"


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
@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_role_matrix(route: Route, role: str, world: World) -> None:
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(route.name, kwargs=route.kwargs(world)) + (
        f"?{route.query}" if route.query else ""
    )
    data = route.data(world) if route.data else {}
    response = getattr(client, route.method.lower())(url, data=data, headers=route.headers)
    expected = route.expect[role]
    assert response.status_code == expected, (
        f"{route.id} as {role}: expected {expected}, got {response.status_code}"
    )
