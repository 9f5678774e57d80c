"""Finding `@Display Name` mentions in text: matched case-insensitively against real names."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from peersupport.accounts.validators import (
    DISPLAY_NAME_MAX,
    DISPLAY_NAME_MIN,
    normalise_display_name,
)

# A name starts right after "@" and is never part of an e-mail address ("ash@example.org").
_AT = re.compile(r"(?<![\w@])@(?=\w)")
_NAME_CHARS = re.compile(r"[\w .'\-]+")


def _candidates(text: str) -> list[list[str]]:
    """For each "@", the possible names after it, longest first (names may contain spaces)."""
    found = []
    for at in _AT.finditer(text):
        run = _NAME_CHARS.match(text, at.end())
        if run is None:
            continue
        words = run.group(0)[: DISPLAY_NAME_MAX + 1]
        options = []
        for end in range(len(words), DISPLAY_NAME_MIN - 1, -1):
            # Only whole words: "@Ash," names Ash but "@Ashley" does not.
            if end < len(words) and (words[end].isalnum() or words[end] == "_"):
                continue
            name = normalise_display_name(words[:end]).rstrip(".'-").lower()
            if len(name) >= DISPLAY_NAME_MIN and name not in options:
                options.append(name)
        if options:
            found.append(options)
    return found


def mentioned_users(text: str) -> list:
    """Active members named with "@" in `text` (the longest matching name wins at each "@")."""
    candidates = _candidates(text or "")
    if not candidates:
        return []
    wanted = {name for options in candidates for name in options}
    by_name = {
        user.lname: user
        for user in get_user_model()
        .objects.annotate(lname=Lower("display_name"))
        .filter(lname__in=wanted, is_active=True)
    }
    users: dict[int, object] = {}
    for options in candidates:
        for name in options:
            if name in by_name:
                users.setdefault(by_name[name].pk, by_name[name])
                break
    return list(users.values())
