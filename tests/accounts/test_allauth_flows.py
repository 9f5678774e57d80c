"""Sign-in, password reset, two-factor sign-in and rate limits, through allauth's real views."""

import base64
import hashlib
import hmac
import re
import struct
import time

from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory


def totp_now(secret: str) -> str:
    """RFC 6238 code for the current 30-second step (6 digits, SHA-1)."""
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in(client: Client, email: str, password: str = TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_member_signs_in_with_email_and_out_again(db):
    user = UserFactory(email="ivy@example.org", display_name="Ivy")
    client = Client()
    response = sign_in(client, "IVY@example.org")
    assert response.status_code == 302
    assert client.get("/").context["user"] == user
    client.post(reverse("account_logout"))
    assert not client.get("/").context["user"].is_authenticated


def test_wrong_password_gets_a_calm_error_and_no_session(db):
    UserFactory(email="ivy@example.org")
    client = Client()
    response = sign_in(client, "ivy@example.org", "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not response.context["user"].is_authenticated


def test_password_reset_by_email_link(db):
    UserFactory(email="ivy@example.org")
    client = Client()
    client.post(reverse("account_reset_password"), {"email": "ivy@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )
    assert response.status_code == 302
    assert sign_in(Client(), "ivy@example.org", "a-brand-new-passphrase").status_code == 302


def test_member_turns_on_totp_and_then_needs_a_code_to_sign_in(db):
    user = UserFactory(email="ivy@example.org")
    client = Client()
    sign_in(client, "ivy@example.org")
    response = client.get(reverse("mfa_activate_totp"))
    # Turning on two-factor asks for the password again first.
    assert response.status_code == 302 and reverse("account_reauthenticate") in response.url
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    fresh = Client()
    response = sign_in(fresh, "ivy@example.org")
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert not fresh.get("/").context["user"].is_authenticated
    response = fresh.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert fresh.get("/").context["user"] == user


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip,3/5m/key"})
def test_repeated_failed_sign_ins_are_rate_limited(db):
    UserFactory(email="ivy@example.org")
    client = Client()
    for _ in range(3):
        sign_in(client, "ivy@example.org", "wrong")
    # Even the right password is refused for now, with a message saying why.
    response = sign_in(client, "ivy@example.org")
    assert response.status_code in (200, 429)
    assert "Too many failed" in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated
