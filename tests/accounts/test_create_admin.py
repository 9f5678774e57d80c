"""`manage.py create_admin`: the first administrator signs in at once, without a log link."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from peersupport.accounts.models import User
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery-staple-42"


def _create(monkeypatch, **options):
    monkeypatch.setenv("ADMIN_PASSWORD", options.pop("password", PASSWORD))
    out = io.StringIO()
    call_command("create_admin", stdout=out, **options)
    return out.getvalue()


def test_create_admin_makes_a_verified_administrator_who_signs_in_at_once(db, monkeypatch):
    output = _create(monkeypatch, email="Rowan@Example.org", display_name="Rowan")
    user = User.objects.get(email="rowan@example.org")
    assert user.is_staff and user.is_superuser and user.display_name == "Rowan"
    assert EmailAddress.objects.get(user=user).verified
    assert "Rowan" in output

    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "rowan@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "confirm-email" not in response["Location"]
    assert client.get("/").context["user"] == user
    # Straight into the administration pages, and no verification e-mail was needed.
    assert client.get("/admin/").status_code == 200
    assert mail.outbox == []


def test_create_admin_refuses_a_weak_password_and_saves_nothing(db, monkeypatch):
    with pytest.raises(CommandError, match="too short|too common"):
        _create(monkeypatch, email="rowan@example.org", display_name="Rowan", password="abc")
    assert not User.objects.filter(email="rowan@example.org").exists()


def test_create_admin_refuses_an_existing_address_and_a_taken_name(db, monkeypatch):
    UserFactory(email="ash@example.org", display_name="Ash")
    with pytest.raises(CommandError, match="already exists"):
        _create(monkeypatch, email="ASH@example.org", display_name="Someone New")
    with pytest.raises(CommandError, match="display name"):
        _create(monkeypatch, email="new@example.org", display_name="ash")
    assert User.objects.count() == 1
    assert not EmailAddress.objects.filter(email="new@example.org").exists()


def test_create_admin_without_a_terminal_or_password_says_how(db, monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="ADMIN_PASSWORD"):
        call_command("create_admin", email="rowan@example.org", display_name="Rowan")
    assert not User.objects.exists()
