"""Shared fixtures: roles, a live ASGI server and a real Chromium.

Role fixtures that depend on groups (muted_member, removed_member, facilitator, ...) live
with the groups tests' fixtures in this file as the groups app grows.
"""

import os
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from groups.models import Membership
from tests.factories import (
    TEST_PASSWORD,
    AdminFactory,
    GroupFactory,
    JoinRequestFactory,
    MembershipFactory,
    UserFactory,
)

pytest_plugins = ["tests.live"]


@pytest.fixture
def visitor() -> None:
    """Not signed in."""
    return None


@pytest.fixture
def group(db):
    """A listed, open group: the one the role fixtures belong to."""
    return GroupFactory(name="Living with anxiety", slug="living-with-anxiety")


@pytest.fixture
def other_group(db):
    return GroupFactory(name="Grief and loss", slug="grief-and-loss", topic="Grief")


@pytest.fixture
def non_member(db):
    """Signed in, but not in the group."""
    return UserFactory(display_name="Outside Olu")


@pytest.fixture
def member(group):
    return MembershipFactory(group=group, user=UserFactory(display_name="Member Mo")).user


@pytest.fixture
def muted_member(group):
    return MembershipFactory(
        group=group,
        user=UserFactory(display_name="Muted Max"),
        status=Membership.Status.MUTED,
        muted_until=timezone.now() + timedelta(hours=2),
    ).user


@pytest.fixture
def removed_member(group):
    return MembershipFactory(
        group=group, user=UserFactory(display_name="Removed Rae"), status=Membership.Status.REMOVED
    ).user


@pytest.fixture
def pending_requester(group):
    return JoinRequestFactory(group=group, user=UserFactory(display_name="Hopeful Hal")).user


@pytest.fixture
def facilitator(group):
    return MembershipFactory(
        group=group,
        user=UserFactory(display_name="Facilitator Fen"),
        role=Membership.Role.FACILITATOR,
    ).user


@pytest.fixture
def other_facilitator(other_group):
    """A facilitator of another group: no more rights here than a non-member."""
    return MembershipFactory(
        group=other_group,
        user=UserFactory(display_name="Elsewhere Eli"),
        role=Membership.Role.FACILITATOR,
    ).user


@pytest.fixture
def admin(db):
    return AdminFactory(display_name="Admin Ari")


@pytest.fixture
def client_for():
    """Return a test client signed in as the given user (or anonymous for None)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


def pytest_report_header(config) -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    return [
        f"peersupport: database={engine} channel_layer={layer} redis={'yes' if settings.REDIS_URL else 'no'} "
        f"browser_required={os.environ.get('CI', '') == 'true' or os.environ.get('REQUIRE_BROWSER', '') == '1'}"
    ]


# --- moderation -----------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _fresh_cache_per_test():
    """Start each test with an empty cache: rate limits are keyed by user id, and ids are
    reused after a test's transaction rolls back."""
    from django.core.cache import cache

    cache.clear()
    yield


# --- moderation wiring ----------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _hold_first_posts(settings):
    """Posts appear at once in most tests; tests of held first posts turn the rule back on."""
    settings.MODERATION_HOLD_FIRST_POSTS = 0


@pytest.fixture(autouse=True)
def eager_tasks():
    """Run Celery tasks inline even when REDIS_URL points at a real broker, so every test sees
    the same thing on SQLite and on CI's PostgreSQL and Redis (the one copy; the real-worker
    tests override it with a fixture of the same name, or switch it off in their own)."""
    from peersupport.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before
