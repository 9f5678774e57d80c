"""Shared fixtures: roles, a live ASGI server and a real Chromium.

Role fixtures that depend on groups (muted_member, removed_member, facilitator, ...) live
with the groups tests' fixtures in this file as the groups app grows.
"""
import os

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD, AdminFactory, UserFactory

pytest_plugins = ["tests.live"]


@pytest.fixture
def visitor() -> None:
    """Not signed in."""
    return None


@pytest.fixture
def member(db):
    return UserFactory(display_name="Member Mo")


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
    return [f"peersupport: database={engine} channel_layer={layer} redis={'yes' if settings.REDIS_URL else 'no'} "
            f"browser_required={os.environ.get('CI', '') == 'true' or os.environ.get('REQUIRE_BROWSER', '') == '1'}"]
