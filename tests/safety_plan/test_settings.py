"""SAFETY_PLAN_KEYS: required in production, derived in debug, each key checked."""

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.peersupport.test_settings import PRODUCTION_ENV, SETTINGS_FILE


def _load(monkeypatch, **env: str) -> dict:
    for name in [*PRODUCTION_ENV, "EMAIL_HOST", "EMAIL_USE_SSL", "EMAIL_USE_TLS"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_production_refuses_to_start_without_a_key_naming_the_setting(monkeypatch):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SAFETY_PLAN_KEYS"}
    with pytest.raises(ImproperlyConfigured, match="SAFETY_PLAN_KEYS is not set"):
        _load(monkeypatch, **env)


def test_a_key_that_is_not_a_fernet_key_is_refused_naming_the_setting(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SAFETY_PLAN_KEYS: key 2 is not a Fernet key"):
        _load(
            monkeypatch,
            **{**PRODUCTION_ENV, "SAFETY_PLAN_KEYS": PRODUCTION_ENV["SAFETY_PLAN_KEYS"] + ",oops"},
        )


def test_keys_are_read_newest_first(monkeypatch):
    second = "vZhaQfxS7pxz9CnH-0ir6hY2kD4sXTcvzkOo6Bo_5hI="
    loaded = _load(
        monkeypatch,
        **{**PRODUCTION_ENV, "SAFETY_PLAN_KEYS": f"{PRODUCTION_ENV['SAFETY_PLAN_KEYS']},{second}"},
    )
    assert loaded["SAFETY_PLAN_KEYS"] == [PRODUCTION_ENV["SAFETY_PLAN_KEYS"], second]


def test_debug_derives_a_development_key_from_the_secret_key(monkeypatch):
    one = _load(monkeypatch, DEBUG="true", SECRET_KEY="x" * 60)["SAFETY_PLAN_KEYS"]
    again = _load(monkeypatch, DEBUG="true", SECRET_KEY="x" * 60)["SAFETY_PLAN_KEYS"]
    other = _load(monkeypatch, DEBUG="true", SECRET_KEY="y" * 60)["SAFETY_PLAN_KEYS"]
    assert len(one) == 1 and one == again and one != other
