"""The crisis detector's parts: normaliser, context rules, severity, data files, bad input."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.crisis import (
    CATEGORIES,
    CONCERN,
    HIGH,
    IMMINENT,
    RULES_VERSION,
    SELF_HARM,
    SUICIDE,
    _engine,
    detect,
)
from moderation.crisis.data import load_table
from moderation.crisis.engine import Engine
from moderation.crisis.patterns import PatternError, compile_sequence
from moderation.crisis.training import dumps, train


def lemmas(text: str) -> str:
    return " ".join(t.lemma for t in _engine().normaliser.tokens(text))


# --- the normaliser --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("im gonna", "i am going to"),
        ("I’m", "i am"),
        ("cant", "can not"),
        ("dont", "do not"),
        ("want 2 die", "want to die"),
        ("took 2 pills", "take 2 pill"),
        ("rn tn", "right now tonight"),
        ("soooo tiiired", "so tired"),
        ("su1c1dal", "suicidal"),
        ("kms", "kill myself"),
        ("💊", "pill"),
        ("SWALLOWED tablets", "swallow tablet"),
        ("cutting", "cut"),
        ("ill kill myself", "i will kill myself"),
        ("i feel ill", "i feel ill"),
    ],
)
def test_normaliser_folds_what_people_type(text, expected):
    assert lemmas(text) == expected


def test_match_phrases_are_quoted_from_the_original_text():
    text = "Honestly, im gonna END IT tonight."
    verdict = detect(text)
    assert verdict.is_crisis
    for m in verdict.matches:
        assert text[m.start : m.end] == m.phrase


# --- severity ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, severity",
    [
        ("I took 30 paracetamol an hour ago.", IMMINENT),
        ("I'm on the bridge right now.", IMMINENT),
        ("I can't keep myself safe tonight.", IMMINENT),
        ("I have a plan and a date.", HIGH),
        ("I'm going to kill myself.", HIGH),
        ("I wrote letters to my kids for when I'm gone.", HIGH),
        ("I wish I could go to sleep and not wake up.", CONCERN),
        ("I have really strong urges to cut today.", CONCERN),
    ],
)
def test_verdicts_are_graded(text, severity):
    assert detect(text).severity == severity


def test_verdict_carries_category_kind_and_rules_version():
    verdict = detect("I cut myself again last night.")
    assert verdict.is_crisis and verdict.kind == SELF_HARM
    assert verdict.category in CATEGORIES
    assert verdict.rules_version == RULES_VERSION
    assert detect("I'm going to kill myself tonight.").kind == SUICIDE


def test_hopelessness_with_other_risk_raises_concern_to_high():
    assert detect("I feel hopeless.").is_crisis is False
    verdict = detect("Everything is hopeless and I just want to disappear forever.")
    assert verdict.severity == HIGH


def test_the_worst_sentence_decides():
    text = "Had a nice walk with the dog. Ate lunch. Then I took all my pills."
    assert detect(text).severity == IMMINENT


# --- context rules -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "My friend says she wants to kill herself.",  # third person
        "She told me she wants to die.",  # reported speech
        "Two years ago I tried to kill myself. Now I'm doing really well.",  # past, recovered
        "I'm not suicidal, just exhausted.",  # negation
        "What number do I call if someone is suicidal?",  # information question
        "If I ever felt like ending it, I'd call my sister.",  # hypothetical
        "My panic attack felt like I was dying.",  # physiological idiom
        "I'm dying of embarrassment.",
        "This traffic is killing me.",
        "You absolutely killed it on stage!",
        "Warning signs include giving away possessions and talking about being a burden.",
        'The song goes "I want to die tonight".',  # quotation
        "Please stay safe, you are not alone.",  # support for someone else
    ],
)
def test_context_rules_set_aside_what_is_not_the_writers_own_present_risk(text):
    assert detect(text).is_crisis is False


@pytest.mark.parametrize(
    "text",
    [
        # First-person present means, plan, behaviour or "can't stay safe" outweighs context.
        "I used to be fine but tonight I have 40 pills in front of me.",
        "What's the number for the crisis line? I've taken an overdose.",
        "lol I'm standing on the bridge and I can't keep myself safe",
    ],
)
def test_context_never_outweighs_present_means_behaviour_or_unsafety(text):
    assert detect(text).severity == IMMINENT


def test_a_post_mixing_safe_and_risky_sentences_is_flagged_on_the_risky_one():
    text = "My sister said she wanted to die once. She is fine now. I want to kill myself though."
    verdict = detect(text)
    assert verdict.is_crisis
    assert all("kill myself" in m.phrase or m.start > 60 for m in verdict.matches)


# --- the data files ----------------------------------------------------------------------------
def test_every_rule_and_context_entry_says_why():
    for name, why_field in (("rules.tsv", 4), ("context.tsv", 2), ("concepts.tsv", 2)):
        for row in load_table(name):
            assert len(row) > why_field and row[why_field].strip(), (name, row)


def test_a_pattern_naming_an_unknown_concept_is_refused():
    with pytest.raises(PatternError):
        compile_sequence("i want {NOSUCHTHING}", {})


def test_the_engine_loads_from_the_data_files():
    engine = Engine()
    assert len(engine.rules) > 200
    assert {rule.category for rule in engine.rules} == set(CATEGORIES)


# --- the second signal -------------------------------------------------------------------------
def test_model_training_is_reproducible():
    rows = [
        (1, "I want to die tonight"),
        (1, "I have saved up my pills"),
        (0, "I want a coffee tonight"),
        (0, "I have saved up for a holiday"),
    ] * 3
    first = dumps(train(rows, _engine(), epochs=3, min_count=1))
    second = dumps(train(rows, _engine(), epochs=3, min_count=1))
    assert first == second
    assert '"w:die"' in first


def test_model_speaks_only_as_a_concern_when_the_rules_found_nothing():
    verdict = detect("I can't see any way forward and I've started giving my things to people.")
    if verdict.category == "model":
        assert verdict.severity == CONCERN and verdict.model_score is not None


# --- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "a" * 20_000,
        "I want to die " * 3_000,
        "死にたい。もう無理。",
        "Я хочу умереть",
        "<script>alert(1)</script><b>I want to die</b>",
        "**I want to die** [link](https://example.org/x) _really_",
        "https://example.org/" + "x" * 5000,
        "!!!!!!!!!!??????" * 500,
        "😭" * 5000,
        "\x00\x01\x02 weird \ufeff bytes",
        "ich will sterben, I want to die, je veux mourir",
    ],
)
def test_bad_input_gives_a_plain_verdict_in_bounded_time(text):
    started = time.perf_counter()
    verdict = detect(text)
    assert isinstance(verdict.is_crisis, bool)
    assert time.perf_counter() - started < 5.0  # generous: the shared CI machine is slow


def test_markup_around_crisis_words_still_counts():
    assert detect("<b>I want to kill myself</b>").is_crisis
    assert detect("**I want to kill myself**").is_crisis


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_text_gives_a_verdict_without_raising(text):
    verdict = detect(text)
    assert verdict.is_crisis in (True, False)
    assert verdict.severity in (None, IMMINENT, HIGH, CONCERN)
    for m in verdict.matches:
        assert 0 <= m.start <= m.end <= len(text)
