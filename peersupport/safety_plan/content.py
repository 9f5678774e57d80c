"""The plan's content: its seven steps, their limits, and phone numbers that may become links.

The content is plain data (lists of short strings, and name/phone pairs for people and
services), kept as JSON inside the ciphertext. Templates show every item as plain text: Markdown
or HTML typed into the plan is shown exactly as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SCHEMA_VERSION = 1
MAX_ITEMS = 10
MAX_ITEM_LENGTH = 200
MAX_CONTACTS = 6
MAX_NAME_LENGTH = 100
MAX_PHONE_LENGTH = 40


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    prompt: str
    example: str
    contacts: bool = False


# The Stanley-Brown steps, in their order. Prompts are kind and concrete: people may write this
# on a calm day, or on a hard one.
STEPS: tuple[Step, ...] = (
    Step(
        "warning_signs",
        _("Warning signs"),
        _("What tells you a hard time might be starting? Thoughts, feelings, situations."),
        _("For example: not sleeping, pulling away from friends, thinking “what's the point”."),
    ),
    Step(
        "coping",
        _("My coping strategies"),
        _("Things you can do on your own to take your mind off things, even a little."),
        _("For example: a walk around the block, a hot shower, a favourite playlist."),
    ),
    Step(
        "distractions",
        _("People and places that distract me"),
        _("Places you can go and people you can be around, without having to talk about it."),
        _("For example: the library, a café, my neighbour's kitchen, the park."),
    ),
    Step(
        "people",
        _("People I can ask for help"),
        _("People you trust enough to say “I'm not OK”. Add a number if you like."),
        _("For example: my sister Sam, 07700 900123."),
        contacts=True,
    ),
    Step(
        "professionals",
        _("Professionals and services"),
        _("Your doctor, a therapist, or a crisis line you could call or text."),
        _("For example: my GP surgery, or a crisis line from the suggestions below."),
        contacts=True,
    ),
    Step(
        "environment",
        _("Making my surroundings safer"),
        _("Small steps that put distance between you and things you could use to hurt yourself."),
        _("For example: ask a friend to keep my medication for now."),
    ),
    Step(
        "reasons",
        _("My reasons for living"),
        _("What matters to you, or has mattered, or might one day."),
        _("For example: my cat, seeing the sea again, my nephew's laugh."),
    ),
)
STEP_KEYS = tuple(step.key for step in STEPS)
LIST_KEYS = tuple(step.key for step in STEPS if not step.contacts)
CONTACT_KEYS = tuple(step.key for step in STEPS if step.contacts)

_PHONE_PUNCTUATION = re.compile(r"[\s\-.()/]")
_PHONE_DIGITS = re.compile(r"\+?\d{3,15}")


def tel_href(phone: str) -> str:
    """A `tel:` link for a phone number typed any way, or "" when it does not parse as one.

    Spaces, dashes, dots, slashes and brackets are ignored; what is left must be 3 to 15 digits,
    optionally after one leading +. The number is always shown as typed."""
    compact = _PHONE_PUNCTUATION.sub("", phone or "")
    if not _PHONE_DIGITS.fullmatch(compact):
        return ""
    return f"tel:{compact}"


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""

    @property
    def tel_href(self) -> str:
        return tel_href(self.phone)


@dataclass
class PlanContent:
    """The decrypted plan. Every step is optional: a plan may be saved half-done."""

    warning_signs: list[str] = field(default_factory=list)
    coping: list[str] = field(default_factory=list)
    distractions: list[str] = field(default_factory=list)
    people: list[Contact] = field(default_factory=list)
    professionals: list[Contact] = field(default_factory=list)
    environment: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, key) for key in STEP_KEYS)

    def steps(self) -> list[tuple[Step, list]]:
        """Each step with its items, in the plan's order (for pages and the export)."""
        return [(step, getattr(self, step.key)) for step in STEPS]

    def to_dict(self) -> dict:
        data: dict = {"v": SCHEMA_VERSION}
        for key in LIST_KEYS:
            data[key] = list(getattr(self, key))
        for key in CONTACT_KEYS:
            data[key] = [{"name": c.name, "phone": c.phone} for c in getattr(self, key)]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> PlanContent:
        values: dict = {}
        for key in LIST_KEYS:
            values[key] = [str(item) for item in data.get(key, [])]
        for key in CONTACT_KEYS:
            values[key] = [
                Contact(name=str(c.get("name", "")), phone=str(c.get("phone", "")))
                for c in data.get(key, [])
            ]
        return cls(**values)
