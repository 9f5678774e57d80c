"""Avatars without photos: initials on a colour chosen by a stable hash of the pseudonym.

Rendered on the server as a small `<span>`; the colour is one of a fixed palette of CSS
classes (`avatar-c0` … `avatar-c11`, each AA with its text in light and dark) because the
Content-Security-Policy forbids inline styles. The hash is of the display name, not of the
account, so a member who changes their pseudonym also changes their avatar: nothing links the
old name to the new one. "Anonymous member" and a former member share one neutral avatar with
no letters, so it reveals nothing about who wrote. Avatars are decorative (`aria-hidden`): the
name is always written beside them.
"""

import hashlib
import unicodedata
from typing import Protocol

from django.utils.html import format_html
from django.utils.safestring import SafeString

PALETTE_SIZE = 12
SIZES = ("sm", "md", "lg")

# A head-and-shoulders outline, the same for every hidden author.
_NEUTRAL_SVG = (
    '<svg viewBox="0 0 24 24" focusable="false" aria-hidden="true">'
    '<circle cx="12" cy="8" r="4.2" fill="currentColor"/>'
    '<path d="M3.5 21c0-4.7 3.8-7.6 8.5-7.6s8.5 2.9 8.5 7.6z" fill="currentColor"/></svg>'
)


class HasDisplayName(Protocol):
    display_name: str


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def avatar_colour_index(name: str) -> int:
    """A palette index that is the same for a name on every machine and every run."""
    digest = hashlib.blake2s(_key(name).encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big") % PALETTE_SIZE


def avatar_initials(name: str) -> str:
    """Up to two letters: the first letter or digit of the first and of the last word."""
    words = [w for w in (name or "").split() if any(ch.isalnum() for ch in w)]
    if not words:
        return "?"
    firsts = [next(ch for ch in w if ch.isalnum()) for w in words]
    letters = firsts[0] if len(firsts) == 1 else firsts[0] + firsts[-1]
    return letters.upper()


def _size(size: str) -> str:
    return size if size in SIZES else "md"


def avatar_html(
    user: HasDisplayName | None, *, anonymous: bool = False, size: str = "md"
) -> SafeString:
    """The avatar for a user; the neutral one when anonymous or when there is no user."""
    name = getattr(user, "display_name", "") if user is not None else ""
    if anonymous or not name:
        return neutral_avatar_html(size=size)
    return format_html(
        '<span class="avatar avatar-{} avatar-c{}" aria-hidden="true">{}</span>',
        _size(size),
        avatar_colour_index(name),
        avatar_initials(name),
    )


def neutral_avatar_html(*, size: str = "md") -> SafeString:
    """The one avatar shared by every anonymous post and every former member."""
    return format_html(
        '<span class="avatar avatar-{} avatar-neutral" aria-hidden="true">{}</span>',
        _size(size),
        SafeString(_NEUTRAL_SVG),
    )
