"""Rules for display names: pseudonyms that never reveal who someone is."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DISPLAY_NAME_MIN = 3
DISPLAY_NAME_MAX = 30

_ALLOWED = re.compile(r"^[\w .'\-]+$", re.UNICODE)
_EMAIL_LIKE = re.compile(r"[^\s@]+@[^\s@]+|\w+\s*(\(at\)|\[at\])\s*\w+", re.IGNORECASE)
# Names that could be mistaken for the app speaking, or for someone with a role.
RESERVED_DISPLAY_NAMES = {
    "anonymous",
    "anonymous member",
    "deleted member",
    "admin",
    "administrator",
    "facilitator",
    "moderator",
    "peer support",
    "staff",
    "system",
}


def normalise_display_name(value: str) -> str:
    """Collapse inner whitespace and trim; NFC so look-alike encodings compare equal."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def validate_display_name(value: str) -> None:
    name = normalise_display_name(value)
    if len(name) < DISPLAY_NAME_MIN or len(name) > DISPLAY_NAME_MAX:
        raise ValidationError(
            _("Please choose a name between %(min)d and %(max)d characters long."),
            code="length",
            params={"min": DISPLAY_NAME_MIN, "max": DISPLAY_NAME_MAX},
        )
    if "@" in name or _EMAIL_LIKE.search(name):
        raise ValidationError(
            _(
                "This looks like an e-mail address. To protect your privacy, please pick a name "
                "that doesn't identify you."
            ),
            code="email_like",
        )
    if sum(ch.isdigit() for ch in name) >= 6:
        raise ValidationError(
            _(
                "This looks like a phone number. To protect your privacy, please pick a name "
                "that doesn't identify you."
            ),
            code="phone_like",
        )
    if not _ALLOWED.match(name):
        raise ValidationError(
            _("Please use letters, numbers, spaces, dots, dashes, apostrophes or underscores."),
            code="characters",
        )
    if name.casefold() in RESERVED_DISPLAY_NAMES:
        raise ValidationError(
            _("This name is kept for the app itself. Please choose another."), code="reserved"
        )
