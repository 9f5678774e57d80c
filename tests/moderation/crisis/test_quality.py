"""How well the crisis detector generalises: recall and false positives on labelled splits.

train.tsv and dev.tsv were written by a helper who never saw the detector's rules; the rules and
the model were tuned on train (and train_extra.tsv, sentences added by the detector's author, and
train_more.tsv, written blind to the rules by another helper). Dev chose the model's threshold and,
from crisis-2026.11.3, its misses were read while writing rules (as kinds of phrase, not copies).
test.tsv is the lead's sealed set, written first by a helper who read neither the rules nor the
other splits, and never tuned on.
"""

from __future__ import annotations

from collections import Counter

import pytest

from moderation.crisis.training import load_labelled

from .splits import HERE, NEGATIVE, POSITIVE, report, score

TRAIN, DEV, TEST = HERE / "train.tsv", HERE / "dev.tsv", HERE / "test.tsv"


@pytest.mark.parametrize(
    "path, minimum, per_category", [(TRAIN, 800, 25), (DEV, 360, 10), (TEST, 600, 15)]
)
def test_split_is_large_and_covers_every_category(path, minimum, per_category):
    rows = load_labelled(path)
    assert len(rows) >= minimum
    counts = Counter((label, category) for label, category, _text in rows)
    for category in POSITIVE:
        assert counts[(1, category)] >= per_category, category
    for category in NEGATIVE:
        assert counts[(0, category)] >= per_category, category
    texts = [text for _l, _c, text in rows]
    assert len(set(texts)) == len(texts), "no duplicate sentences"


@pytest.mark.parametrize("held_out", [DEV, TEST])
def test_held_out_split_shares_no_sentence_with_what_was_tuned_on(held_out):
    tuned = {
        text.casefold()
        for path in (TRAIN, HERE / "train_extra.tsv", HERE / "train_more.tsv")
        for _l, _c, text in load_labelled(path)
    }
    assert not any(text.casefold() in tuned for _l, _c, text in load_labelled(held_out))


def test_dev_false_positive_rate_is_at_most_ten_percent(capsys):
    s = score(DEV)
    with capsys.disabled():
        print("\n" + report("crisis detector on dev", s))
    assert s.fpr <= 0.10


def test_dev_recall_stays_above_the_measured_floor():
    # A regression guard below the level reached (91.4 % with crisis-2026.11.2, 96.0 % now).
    assert score(DEV).recall >= 0.90


def test_dev_recall_reaches_the_aim_of_ninety_five_percent():
    # The aim, reached with RULES_VERSION crisis-2026.11.3 (96.0 % when written, FPR
    # 7.0 %). Dev was read while writing that version's rules, so test.tsv is the fairer figure.
    s = score(DEV)
    assert s.recall >= 0.95
    assert s.fpr <= 0.10


def test_test_split_recall_and_false_positive_rate(capsys):
    s = score(TEST)
    with capsys.disabled():
        print("\n" + report("crisis detector on test", s))
    assert s.recall >= 0.90
    assert s.fpr <= 0.10
