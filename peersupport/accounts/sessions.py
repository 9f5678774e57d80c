"""A member's signed-in sessions: tracked on sign-in and use, listed and revoked by them.

Django's session store cannot be searched by user, so each signed-in session has a small
`MemberSession` row keyed by its session key. Use is recorded at most every few minutes (a cache
key says when it last was), so pages do no extra query on most requests.
"""

import hashlib
import re
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import MemberSession, User

TOUCH_EVERY_SECONDS = 300

_BROWSERS = [
    (re.compile(r"Edg(e|A|iOS)?/"), "Edge"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"SamsungBrowser/"), "Samsung Internet"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"Chrome/|CriOS/|Chromium/"), "Chrome"),
    (re.compile(r"Safari/"), "Safari"),
]
_SYSTEMS = [
    (re.compile(r"Android"), "Android"),
    (re.compile(r"iPhone|iPad|iPod"), "iOS"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Mac OS X|Macintosh"), "macOS"),
    (re.compile(r"Linux"), "Linux"),
]


def browser_family(user_agent: str) -> str:
    """ "Firefox on Linux" from a user agent; nothing more of it is kept."""
    browser = next((name for rx, name in _BROWSERS if rx.search(user_agent)), "")
    system = next((name for rx, name in _SYSTEMS if rx.search(user_agent)), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")


def _touch_key(session_key: str) -> str:
    return "member-session:" + hashlib.sha256(session_key.encode()).hexdigest()[:32]


def session_touch(*, user: User, session_key: str, user_agent: str) -> None:
    """Record that this session was used now (at most every few minutes per session)."""
    key = _touch_key(session_key)
    if cache.get(key):
        return
    MemberSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "browser": browser_family(user_agent)[:60],
            "last_used_at": timezone.now(),
        },
    )
    cache.set(key, 1, TOUCH_EVERY_SECONDS)


def session_forget(*, session_key: str) -> None:
    """The session ended (signed out): drop its row."""
    MemberSession.objects.filter(session_key=session_key).delete()
    cache.delete(_touch_key(session_key))


def _store_delete(session_keys: list[str]) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in session_keys:
        store(session_key=session_key).delete()
        cache.delete(_touch_key(session_key))


@transaction.atomic
def sessions_revoke(*, user: User, keep_session_key: str | None = None) -> int:
    """Sign the member out of every session but `keep_session_key`; returns how many ended."""
    rows = MemberSession.objects.select_for_update().filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    rows.delete()
    # Through the session store (database or cache), at once: should the transaction roll
    # back, a revoked session stays ended rather than a wanted sign-out being lost.
    _store_delete(keys)
    return len(keys)


def session_list_for_user(*, user: User) -> list[MemberSession]:
    """The member's signed-in sessions, most recently used first."""
    return list(MemberSession.objects.filter(user=user).order_by("-last_used_at", "-pk"))


def on_logged_in(sender: object, request: object, user: User, **kwargs: object) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        headers = getattr(request, "headers", {}) or {}
        session_touch(
            user=user, session_key=session.session_key, user_agent=headers.get("User-Agent", "")
        )


def on_logged_out(sender: object, request: object, user: User | None, **kwargs: object) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        session_forget(session_key=session.session_key)
