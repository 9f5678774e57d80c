"""Watched words (site-wide and per group) and a group's moderation settings."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from groups.models import Group
from groups.permissions import check_moderate_group, check_site_admin
from peersupport.accounts.models import User

from ..models import GroupModerationSettings, WatchedWord
from ..screening import normalize_phrase
from .audit import audit_record
from .base import ModerationError


@transaction.atomic
def watched_word_create(
    *, actor: User, phrase: str, action: str, group: Group | None = None
) -> WatchedWord:
    """Watch a word or phrase site-wide (administrators) or in one group (its facilitators)."""
    if group is None:
        check_site_admin(actor)
    else:
        check_moderate_group(actor, group)
    normalized = normalize_phrase(phrase)
    if not normalized:
        raise ModerationError(_("Please enter a word or phrase with at least one letter."))
    if WatchedWord.objects.filter(group=group, normalized=normalized).exists():
        raise ModerationError(_("That word is already on the list."))
    word = WatchedWord.objects.create(
        phrase=phrase.strip(),
        normalized=normalized,
        group=group,
        action=WatchedWord.Action(action),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="watched_word.create",
        target=word,
        group=group,
        after={"phrase": word.phrase, "action": word.action},
    )
    return word


@transaction.atomic
def watched_word_delete(*, actor: User, word: WatchedWord) -> None:
    """Stop watching a word."""
    if word.group_id is None:
        check_site_admin(actor)
    else:
        check_moderate_group(actor, word.group)
    audit_record(
        actor=actor,
        action="watched_word.delete",
        target=word,
        group=word.group,
        before={"phrase": word.phrase, "action": word.action},
    )
    word.delete()


@transaction.atomic
def group_settings_update(
    *, actor: User, group: Group, premoderation: bool, thread_slow_mode_minutes: int
) -> GroupModerationSettings:
    """Turn pre-moderation on or off and set the default slow mode for story threads."""
    check_moderate_group(actor, group)
    current, _created = GroupModerationSettings.objects.select_for_update().get_or_create(
        group=group
    )
    before = {
        "premoderation": current.premoderation,
        "thread_slow_mode_minutes": current.thread_slow_mode_minutes,
    }
    current.premoderation = premoderation
    current.thread_slow_mode_minutes = thread_slow_mode_minutes
    current.save(update_fields=["premoderation", "thread_slow_mode_minutes"])
    audit_record(
        actor=actor,
        action="group_settings.update",
        target=group,
        group=group,
        before=before,
        after={
            "premoderation": premoderation,
            "thread_slow_mode_minutes": thread_slow_mode_minutes,
        },
    )
    return current
