"""Loading and scoring the labelled splits (train, dev, and the lead's test split)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from moderation.crisis import detect
from moderation.crisis.training import load_labelled

HERE = Path(__file__).resolve().parent
POSITIVE = (
    "passive active euphemism slang method_plan means intent_timing preparatory in_progress "
    "dangerous_place self_harm unsafe hopeless_risk"
).split()
NEGATIVE = (
    "third_person past_recovered negation info_question hypothetical idiom psychoed "
    "quotation_media everyday_distress supportive_reply ordinary"
).split()


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    by_category: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.tp / max(1, self.tp + self.fn)

    @property
    def fpr(self) -> float:
        return self.fp / max(1, self.fp + self.tn)


def score(path: Path) -> Score:
    s = Score()
    for label, category, text in load_labelled(path):
        flagged = detect(text).is_crisis
        right = flagged == bool(label)
        s.by_category[(label, category)][0] += 1
        s.by_category[(label, category)][1] += right
        if label and flagged:
            s.tp += 1
        elif label:
            s.fn += 1
            s.misses.append((category, text))
        elif flagged:
            s.fp += 1
            s.false_alarms.append((category, text))
        else:
            s.tn += 1
    return s


def report(name: str, s: Score) -> str:
    lines = [
        f"{name}: recall {s.recall:.1%} ({s.tp}/{s.tp + s.fn}), FPR {s.fpr:.1%} ({s.fp}/{s.fp + s.tn})"
    ]
    for (label, category), (n, right) in sorted(s.by_category.items()):
        what = "recall" if label else "false positives"
        rate = right / n if label else (n - right) / n
        lines.append(f"  {'risk' if label else 'safe'} {category:18s} {what} {rate:6.1%} (n={n})")
    return "\n".join(lines)
