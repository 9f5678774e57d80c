"""Failed sign-ins slow a guesser down but never lock the owner out (issue 14, item 6).

Runs with the production rate limits (the test settings turn them off)."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from peersupport import settings as production_settings
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRANGER, OWNER = "198.51.100.7", "203.0.113.9"


@pytest.fixture(autouse=True)
def production_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = production_settings.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


def sign_in(address: str, email: str, password: str, client: Client | None = None):
    client = client or Client(REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def signed_in(client: Client) -> bool:
    return client.get("/").context["user"].is_authenticated


def refused_as_too_many(response) -> bool:
    return "Too many failed sign-in attempts" in response.content.decode()


def test_the_owner_signs_in_from_their_own_address_while_a_stranger_fails_on_their_account():
    UserFactory(email="ivy@example.org")
    for _ in range(8):
        _client, response = sign_in(STRANGER, "ivy@example.org", "guess")
    assert refused_as_too_many(response)
    client, response = sign_in(OWNER, "ivy@example.org", TEST_PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_owner_with_two_factor_reaches_the_code_step_while_a_stranger_fails():
    user = UserFactory(email="ivy@example.org")
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    for _ in range(8):
        sign_in(STRANGER, "ivy@example.org", "guess")
    client, response = sign_in(OWNER, "ivy@example.org", TEST_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")


def test_repeated_failures_on_one_account_from_one_address_are_slowed_down():
    UserFactory(email="ivy@example.org")
    client = Client(REMOTE_ADDR=STRANGER)
    for _ in range(5):
        _c, response = sign_in(STRANGER, "ivy@example.org", "guess", client)
        assert not refused_as_too_many(response)
    _c, response = sign_in(STRANGER, "ivy@example.org", "guess", client)
    assert refused_as_too_many(response)
    # From that address, for now, even the right password waits.
    _c, response = sign_in(STRANGER, "ivy@example.org", TEST_PASSWORD, client)
    assert refused_as_too_many(response) and not signed_in(client)


def test_one_address_guessing_across_many_accounts_is_slowed_down():
    for n in range(12):
        UserFactory(email=f"member{n}@example.org")
    responses = [sign_in(STRANGER, f"member{n}@example.org", "guess")[1] for n in range(11)]
    assert not any(refused_as_too_many(r) for r in responses[:10])
    assert refused_as_too_many(responses[10])
    # Another address is not affected.
    client, response = sign_in(OWNER, "member11@example.org", TEST_PASSWORD)
    assert signed_in(client)
