"""Demo people for `manage.py seed_demo`. Each app may add its own content in `<app>/demo.py`.

An app's demo module exposes `seed(*, users: dict[str, User], log: Callable[[str], None])`;
seed_demo calls them in dependency order. Every seed is deterministic and idempotent.
"""

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from peersupport.accounts.models import ConsentRecord, User
from peersupport.accounts.privacy.consent import consent_give
from peersupport.accounts.privacy.notice import privacy_notice_mark_seen


@dataclass(frozen=True)
class DemoPerson:
    key: str
    email: str
    display_name: str
    role: str
    pronouns: str = ""
    bio: str = ""


DEMO_PEOPLE = [
    DemoPerson(
        "admin",
        "admin@example.org",
        "Robin",
        "administrator",
        "they/them",
        "I look after the site and its resource library.",
    ),
    DemoPerson(
        "willow",
        "willow@example.org",
        "Willow",
        "facilitator",
        "she/her",
        "Volunteer facilitator. I've lived with anxiety for most of my life.",
    ),
    DemoPerson(
        "juniper",
        "juniper@example.org",
        "Juniper",
        "facilitator",
        "he/him",
        "Volunteer facilitator and carer for my dad.",
    ),
    DemoPerson("ash", "ash@example.org", "Ash", "member", "", "Taking things one day at a time."),
    DemoPerson("river", "river@example.org", "River", "member", "she/they", ""),
    DemoPerson(
        "quietfox",
        "quietfox@example.org",
        "Quiet Fox",
        "member",
        "",
        "Mostly here to read, sometimes to share.",
    ),
    DemoPerson(
        "morningwalker",
        "morningwalker@example.org",
        "Morning Walker",
        "member",
        "he/him",
        "Walking helps me. So does talking.",
    ),
    DemoPerson(
        "bluebell",
        "bluebell@example.org",
        "Bluebell",
        "member",
        "she/her",
        "New parent, learning as I go.",
    ),
]

# Modules with a `seed` function, in dependency order; missing ones are skipped.
DEMO_MODULES = [
    "groups.demo",
    "stories.demo",
    "groups.chat.demo",
    "groups.sessions.demo",
    "moderation.demo",
    "resources.demo",
    "peersupport.safety_plan.demo",
]


@transaction.atomic
def seed_people() -> dict[str, User]:
    """Create or refresh the demo people; their e-mail addresses are verified."""
    users: dict[str, User] = {}
    for person in DEMO_PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User(email=person.email)
        user.display_name = person.display_name
        user.pronouns = person.pronouns
        user.bio = person.bio
        user.is_staff = person.role == "administrator"
        user.is_superuser = person.role == "administrator"
        user.is_active = True
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=person.email, defaults={"verified": True, "primary": True}
        )
        # The demo people consented at sign-up and have read the notice, so they can post.
        consent_give(user=user, source=ConsentRecord.Source.SIGNUP)
        privacy_notice_mark_seen(user=user)
        users[person.key] = user
    return users


def seed_all(log: Callable[[str], None]) -> dict[str, User]:
    """Seed the people, then each app's own demo content in dependency order."""
    users = seed_people()
    log(f"Demo people ready: {len(users)}.")
    for dotted in DEMO_MODULES:
        if importlib.util.find_spec(dotted) is not None:
            importlib.import_module(dotted).seed(users=users, log=log)
    return users
