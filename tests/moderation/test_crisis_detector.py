"""Quality of the crisis-language detector on a labelled set written for these tests."""

from pathlib import Path

import pytest

from moderation.crisis import RULES_VERSION, SELF_HARM, SUICIDE, detect

LABELLED = Path(__file__).with_name("crisis_sentences.tsv")


def _load() -> list[tuple[bool, str]]:
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence = line.split("\t", 1)
        assert label in ("crisis", "safe"), line
        rows.append((label == "crisis", sentence))
    return rows


def test_labelled_set_is_large_and_balanced_enough():
    rows = _load()
    assert len(rows) >= 300
    assert sum(1 for crisis, _ in rows if crisis) >= 120
    assert sum(1 for crisis, _ in rows if not crisis) >= 180
    assert len({s for _, s in rows}) == len(rows), "no duplicate sentences"


def test_detector_recall_and_false_positive_rate_on_labelled_set(capsys):
    rows = _load()
    tp = fp = fn = tn = 0
    misses, false_alarms = [], []
    for is_crisis, sentence in rows:
        verdict = detect(sentence)
        if verdict.is_crisis and is_crisis:
            tp += 1
        elif verdict.is_crisis:
            fp += 1
            false_alarms.append((sentence, verdict.matched_phrases))
        elif is_crisis:
            fn += 1
            misses.append(sentence)
        else:
            tn += 1
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    fpr = fp / (fp + tn)
    with capsys.disabled():
        print(
            f"\ncrisis detector {RULES_VERSION} on {len(rows)} sentences: precision {precision:.1%}, "
            f"recall {recall:.1%}, false-positive rate {fpr:.1%} (tp={tp} fp={fp} fn={fn} tn={tn})"
        )
        for sentence in misses:
            print(f"  missed: {sentence}")
        for sentence, phrases in false_alarms:
            print(f"  false alarm: {sentence} {phrases}")
    assert recall >= 0.95
    assert fpr <= 0.10


def test_verdict_records_category_spans_and_rules_version():
    text = "Honestly, I want to kill myself tonight."
    verdict = detect(text)
    assert verdict.is_crisis
    assert verdict.kind == SUICIDE
    assert verdict.rules_version == RULES_VERSION
    match = verdict.matches[0]
    assert text[match.start : match.end] == match.phrase
    assert "kill myself" in match.phrase


def test_self_harm_is_categorised_as_self_harm():
    verdict = detect("I cut myself again last night.")
    assert verdict.is_crisis
    assert verdict.kind == SELF_HARM and verdict.category == "self_harm"


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to die.",
        "I used to want to die.",
        "Two years ago I tried to kill myself.",
        "My friend said she wanted to die.",
        "The song goes 'I want to die'.",
        "This traffic is killing me.",
        "I'd die for a coffee.",
        "I'm dying to see it.",
        "Please stay safe.",
        "What is the number for the crisis helpline?",
        "",
        "   ",
    ],
)
def test_detector_sets_aside_negation_past_quotes_and_idioms(text):
    assert detect(text).is_crisis is False


def test_quoted_phrase_is_set_aside_but_the_writers_own_words_are_not():
    verdict = detect('The song goes "I want to die". Honestly I want to die too.')
    assert verdict.is_crisis
    assert len(verdict.matches) == 1


def test_detector_imports_without_django_database():
    import importlib
    import sys

    module = importlib.import_module("moderation.crisis")
    assert "django.db" not in {name for name in vars(module) if name.startswith("django")}
    assert module.detect("I want to die").is_crisis
    assert sys.modules["moderation.crisis"] is module


def test_detector_stays_fast_on_a_long_post():
    import time

    text = (
        "I am on the bridge at the station and I keep a blade in my drawer. " * 300
    ) + "I want to die."
    started = time.perf_counter()
    verdict = detect(text)
    assert verdict.is_crisis
    # Generous bound for a slow shared CI machine; a quadratic pattern takes seconds here.
    assert time.perf_counter() - started < 1.5
