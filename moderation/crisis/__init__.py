"""The project's crisis-language detector: a taxonomy kept as data, a normaliser, context rules
and graded severity, with an optional small linear model as a second signal.

    from moderation.crisis import detect
    verdict = detect(text)  # CrisisVerdict(is_crisis, severity, category, kind, matches, ...)

Pure Python, no database, no network: the safety scan (Celery) and the composer's live check both
call it. It is a signal for people (facilitators), never a clinical judgement, and English only.
It errs towards noticing: a false alarm costs a facilitator a glance, a miss can cost far more.

The taxonomy lives in the tab-separated files beside this module, one entry per line with a note
of why it signals risk (see the README, "Crisis-language detector"). RULES_VERSION changes with
every change to them, and each verdict carries it so a recorded decision can be traced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from . import model as _model
from .engine import (
    CATEGORIES,
    CATEGORY_ORDER,
    CONCERN,
    HIGH,
    IMMINENT,
    SELF_HARM,
    SEVERITY_RANK,
    SUICIDE,
    Engine,
)

RULES_VERSION = "crisis-2026.11.3"

__all__ = [
    "CATEGORIES",
    "CONCERN",
    "HIGH",
    "IMMINENT",
    "RULES_VERSION",
    "SELF_HARM",
    "SUICIDE",
    "CrisisMatch",
    "CrisisVerdict",
    "detect",
]


@dataclass(frozen=True)
class CrisisMatch:
    phrase: str  # exactly as written
    start: int
    end: int
    category: str  # taxonomy category, e.g. "means"
    rule: str  # e.g. "means.42": the entry in rules.tsv
    severity: str = ""


@dataclass(frozen=True)
class CrisisVerdict:
    is_crisis: bool
    severity: str | None = None  # "imminent" | "high" | "concern" | None
    category: str = ""  # the taxonomy category of the worst match
    kind: str = ""  # "suicide" or "self_harm"
    matches: tuple[CrisisMatch, ...] = field(default_factory=tuple)
    rules_version: str = RULES_VERSION
    model_score: float | None = None  # the second signal's probability, when it was used

    @property
    def matched_phrases(self) -> list[str]:
        return [m.phrase for m in self.matches]

    @property
    def is_urgent(self) -> bool:
        """Imminent and high risk open an urgent case; concern a non-urgent one."""
        return self.severity in (IMMINENT, HIGH)


_INTENT_CATEGORIES = frozenset(
    {"active", "euphemism", "slang", "method_plan", "intent_timing", "preparatory", "unsafe"}
)
_NOW_WORDS = frozenset({"tonight", "now", "today", "tomorrow", "tonite", "soon", "ready"})


@cache
def _engine() -> Engine:
    return Engine()


def detect(text: str) -> CrisisVerdict:
    """Whether `text` shows the writer's own present risk of suicide or self-harm, how severe,
    and what matched. Never raises on odd input; bounded time (only the first 20,000
    characters are read)."""
    return _detect(text)


def _detect(text: str, *, exhaustive: bool = False) -> CrisisVerdict:
    """`detect`; with `exhaustive`, by the slow reference path that tries every pattern over
    the whole text (the tests check the fast path gives the same verdicts)."""
    if not isinstance(text, str) or not text.strip():
        return CrisisVerdict(is_crisis=False)
    engine = _engine()
    analysis = engine.analyse(text, exhaustive=exhaustive)
    hits, toks = analysis.hits, analysis.tokens
    matches = []
    worst_rank, worst_category, kind = 0, "", ""
    for hit in hits:
        rank = SEVERITY_RANK[hit.rule.severity]
        start, end = toks[hit.first].start, toks[hit.last - 1].end
        matches.append(
            CrisisMatch(
                phrase=text[start:end],
                start=start,
                end=end,
                category=hit.rule.category,
                rule=hit.rule.name,
                severity=hit.rule.severity,
            )
        )
        better = rank > worst_rank or (
            rank == worst_rank
            and CATEGORY_ORDER.index(hit.rule.category) < CATEGORY_ORDER.index(worst_category)
        )
        if better:
            worst_rank, worst_category, kind = rank, hit.rule.category, hit.rule.kind
    if not hits:
        # The second signal, only where the rules found nothing: a concern, for a person to see.
        score = _model.score(analysis, engine) if toks else None
        if score is not None and score >= _model.threshold():
            return CrisisVerdict(
                is_crisis=True,
                severity=CONCERN,
                category="model",
                kind=SUICIDE,
                model_score=round(score, 3),
            )
        return CrisisVerdict(is_crisis=False, model_score=score)
    categories = {m.category for m in matches}
    # Means at hand with intent or a time is imminent (the grading).
    if worst_rank < SEVERITY_RANK[IMMINENT] and "means" in categories:
        vocab = analysis.text.vocab if analysis.text is not None else frozenset()
        if categories & _INTENT_CATEGORIES or vocab & _NOW_WORDS:
            worst_rank, worst_category = SEVERITY_RANK[IMMINENT], "means"
    # Hopelessness together with any other risk language raises concern to high.
    if (
        worst_rank == SEVERITY_RANK[CONCERN]
        and "hopeless_risk" in categories
        and len(categories) > 1
    ):
        worst_rank = SEVERITY_RANK[HIGH]
    severity = next(s for s, r in SEVERITY_RANK.items() if r == worst_rank)
    matches.sort(key=lambda m: m.start)
    return CrisisVerdict(
        is_crisis=True,
        severity=severity,
        category=worst_category,
        kind=kind,
        matches=tuple(dict.fromkeys(matches)),
    )
