"""Demo moderation data: watched words, open profile-report cases (one of them a risk case),
and reports on stories and replies when those apps have registered their adapters.

Deterministic and idempotent: everything is looked up by natural keys before it is made.
"""

from collections.abc import Callable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from groups.models import Group
from groups.permissions import access_for
from peersupport.accounts.models import User

from . import registry
from .models import Reason, Report, WatchedWord
from .screening import normalize_phrase
from .services.reports import report_create
from .services.watched_words import watched_word_create


def _word(*, actor: User, phrase: str, action: str, group: Group | None) -> None:
    normalized = normalize_phrase(phrase)
    if not WatchedWord.objects.filter(group=group, normalized=normalized).exists():
        watched_word_create(actor=actor, phrase=phrase, action=action, group=group)


def _report(*, reporter: User, content: object, reason: str, note: str = "") -> bool:
    ct = ContentType.objects.get_for_model(content)
    if Report.objects.filter(reporter=reporter, content_type=ct, object_id=content.pk).exists():
        return False
    cache.delete(f"moderation:reports:{reporter.pk}")  # the demo is not a flood
    report_create(reporter=reporter, content=content, reason=reason, note=note)
    return True


def _content_reports(users: dict[str, User], log: Callable[[str], None]) -> int:
    """Report a reply (someone may be at risk), a story and a chat message, where registered."""
    made = 0
    plan = [
        (
            "stories",
            "Reply",
            Reason.RISK,
            "They sound like they're in a very dark place. Could someone check in?",
        ),
        (
            "stories",
            "Story",
            Reason.HARMFUL_ADVICE,
            "The advice about stopping medication worries me.",
        ),
        ("chat", "ChatMessage", Reason.HARASSMENT, "This felt unkind."),
    ]
    for app_label, model_name, reason, note in plan:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        if not registry.is_registered(model):
            continue
        adapter = registry.adapter_for(model)
        for obj in model._default_manager.order_by("pk")[:5]:
            group = adapter.group(obj)
            author = adapter.author(obj)
            reporter = next(
                (
                    u
                    for key, u in users.items()
                    if key not in ("admin", "willow", "juniper")
                    and (author is None or u.pk != author.pk)
                    and group is not None
                    and access_for(u, group).can_read
                    and adapter.is_visible(obj)
                ),
                None,
            )
            if reporter is not None:
                made += _report(reporter=reporter, content=obj, reason=reason, note=note)
                break
    return made


def seed(*, users: dict[str, User], log: Callable[[str], None]) -> None:
    admin = users["admin"]
    _word(actor=admin, phrase="buy followers", action=WatchedWord.Action.BLOCK, group=None)
    _word(actor=admin, phrase="diet pills", action=WatchedWord.Action.FLAG, group=None)
    first_group = Group.objects.order_by("pk").first()
    if first_group is not None:
        _word(actor=admin, phrase="miracle cure", action=WatchedWord.Action.HOLD, group=first_group)

    # Demo people are fixed, so the profile cases are about two of them; each reporter shares
    # a group with the person (only they can see, and so report, a profile).
    made = _report(
        reporter=users["ash"],
        content=users["morningwalker"],
        reason=Reason.OTHER,
        note="I think their bio used to link to a shop.",
    )
    made += _report(reporter=users["willow"], content=users["morningwalker"], reason=Reason.SPAM)
    made += _report(
        reporter=users["river"],
        content=users["quietfox"],
        reason=Reason.RISK,
        note="Their profile says they're having a really hard time. Could someone check in?",
    )
    made += _content_reports(users, log)
    log(f"Moderation: watched words ready; {made} new demo reports.")
