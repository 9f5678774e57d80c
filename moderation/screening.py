"""Read-only safety checks content services call before saving: watched words and holds.

`screen_text` matches watched words on whole words after normalising both sides: Unicode
NFKC, case folded, accents and zero-width characters removed, and simple letter substitutions
(0→o, 1→i/l, 3→e, 4→a, 5→s, 7→t, @→a, $→s) undone. "class" never matches "ass".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from groups.models import Group
from groups.permissions import access_for
from peersupport.accounts.models import User

from .crisis import detect
from .models import GroupModerationSettings, HeldItem, WatchedWord

ZERO_WIDTH = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064"), None
)
SUBSTITUTIONS = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
# "1" stands for either letter; both readings are tried.
AMBIGUOUS = {"1": ("i", "l")}
TOKEN = re.compile(r"[^\W_]+")
SEVERITY = {WatchedWord.Action.BLOCK: 3, WatchedWord.Action.HOLD: 2, WatchedWord.Action.FLAG: 1}


def _fold(text: str) -> str:
    """NFKC, zero-width characters out, case folded, accents stripped."""
    text = unicodedata.normalize("NFKC", text).translate(ZERO_WIDTH).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _readings(word: str) -> list[str]:
    """Every reading of one token with substitutions undone (bounded: at most 8)."""
    base = "".join(SUBSTITUTIONS.get(ch, ch) for ch in word)
    positions = [i for i, ch in enumerate(base) if ch in AMBIGUOUS][:3]
    if not positions:
        return [base]
    readings = []
    for choice in itertools.product(*(AMBIGUOUS[base[i]] for i in positions)):
        chars = list(base)
        for i, letter in zip(positions, choice, strict=True):
            chars[i] = letter
        readings.append("".join(chars).replace("1", "i"))
    return readings


def _tokens(text: str) -> list[list[str]]:
    """Words of a text, each as its possible readings."""
    folded = _fold(text)
    # @ and $ are not word characters, so undo them before splitting into words.
    folded = folded.replace("@", "a").replace("$", "s")
    return [_readings(token) for token in TOKEN.findall(folded)]


def normalize_phrase(phrase: str) -> str:
    """The canonical form a watched phrase is stored and compared in."""
    return " ".join(readings[0] for readings in _tokens(phrase))


@dataclass(frozen=True)
class ScreenResult:
    """What screening decided: the strongest action that matched, and the phrases."""

    action: str | None = None
    phrase: str = ""
    word_id: int | None = None
    matched: tuple[str, ...] = field(default_factory=tuple)

    @property
    def blocked(self) -> bool:
        return self.action == WatchedWord.Action.BLOCK

    @property
    def hold(self) -> bool:
        return self.action == WatchedWord.Action.HOLD

    @property
    def flag(self) -> bool:
        return self.action == WatchedWord.Action.FLAG

    @property
    def message(self) -> str:
        """A kind sentence for the author when a post is refused."""
        from django.utils.translation import gettext as _

        if self.blocked:
            return _(
                "We couldn't post this because it contains words this community has chosen not to "
                "allow. Please reword it and try again. If you're struggling right now, the Get help "
                "now page has people you can talk to."
            )
        return ""


def _contains(tokens: list[list[str]], phrase_words: list[str]) -> bool:
    n = len(phrase_words)
    if n == 0:
        return False
    for start in range(len(tokens) - n + 1):
        if all(phrase_words[i] in tokens[start + i] for i in range(n)):
            return True
    return False


def screen_text(*, text: str, group: Group | None) -> ScreenResult:
    """Match site-wide and the group's watched words against a text (one query)."""
    scope = Q(group__isnull=True)
    if group is not None:
        scope |= Q(group=group)
    words = list(WatchedWord.objects.filter(scope).only("pk", "phrase", "normalized", "action"))
    if not words or not text:
        return ScreenResult()
    tokens = _tokens(text)
    best: WatchedWord | None = None
    matched: list[str] = []
    for word in words:
        if _contains(tokens, word.normalized.split()):
            matched.append(word.phrase)
            if best is None or SEVERITY[word.action] > SEVERITY[best.action]:
                best = word
    if best is None:
        return ScreenResult()
    action = best.action
    if action == WatchedWord.Action.HOLD and detect(text).is_crisis:
        # Supportive, never silencing: someone who may be in crisis is not held back by a
        # watched word. The post stays up and goes to the queue (the safety scan makes the
        # case urgent and alerts the facilitators).
        action = WatchedWord.Action.FLAG
    return ScreenResult(action=action, phrase=best.phrase, word_id=best.pk, matched=tuple(matched))


def group_settings(group: Group) -> GroupModerationSettings:
    """The group's moderation settings, unsaved defaults when none were stored."""
    found = GroupModerationSettings.objects.filter(group=group).first()
    return found or GroupModerationSettings(group=group)


def held_post_should_hold(
    *, group: Group, author: User, prior_posts: int | None = None
) -> str | None:
    """Why a new story should wait for a facilitator (a HeldItem.Reason), or None.

    `prior_posts` is the author's count of published stories in the group, which the stories
    app knows; without it, the author's approved held posts here are counted.
    """
    if access_for(author, group).can_moderate:
        return None
    if group_settings(group).premoderation:
        return HeldItem.Reason.PREMODERATION
    first_n = getattr(settings, "MODERATION_HOLD_FIRST_POSTS", 1)
    if first_n <= 0:
        return None
    if prior_posts is None:
        prior_posts = HeldItem.objects.filter(
            group=group, author=author, status=HeldItem.Status.APPROVED
        ).count()
    return HeldItem.Reason.FIRST_POST if prior_posts < first_n else None


def thread_slow_mode_minutes(group: Group) -> int:
    """The group's default slow mode for story threads (0: off); stories may override per thread."""
    return group_settings(group).thread_slow_mode_minutes
