"""Encryption at rest for safety plans: cryptography's MultiFernet over SAFETY_PLAN_KEYS.

The first key (the newest) encrypts; any key decrypts, so keys rotate without downtime: put a
new key first, run `manage.py safety_plan_reencrypt`, then remove the old key. Never log or
print what passes through here.
"""

from __future__ import annotations

import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class PlanUnreadable(Exception):
    """No configured key opens this plan (a key was removed before re-encrypting)."""


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.SAFETY_PLAN_KEYS))


def encrypt(data: dict) -> str:
    """The plan's data as a Fernet token (text), with the newest key."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return fernet().encrypt(payload).decode("ascii")


def decrypt(token: str) -> dict:
    try:
        payload = fernet().decrypt(token.encode("ascii"))
    except (InvalidToken, ValueError) as exc:
        raise PlanUnreadable from exc
    return json.loads(payload)


def rotate(token: str) -> str:
    """The same plan re-encrypted with the newest key (the old key must still be configured)."""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError) as exc:
        raise PlanUnreadable from exc
