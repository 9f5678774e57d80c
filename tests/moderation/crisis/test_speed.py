"""The detector's fast path (a word index over stretches of text between punctuation, patterns
tried only where they can start) must give exactly the verdicts of the slow reference path that
tries every pattern over the whole text. Timing itself is `make bench-crisis`'s job."""

from __future__ import annotations

import random

import pytest

from moderation.crisis import _detect
from moderation.crisis.normalise import MAX_CHARS
from moderation.crisis.training import load_labelled

from .splits import HERE

SPLITS = ("train.tsv", "train_extra.tsv", "train_more.tsv", "dev.tsv", "test.tsv", "everyday.tsv")


def _texts(name: str) -> list[str]:
    return [text for _label, _category, text in load_labelled(HERE / name)]


def _same(text: str) -> None:
    fast, reference = _detect(text), _detect(text, exhaustive=True)
    # Everything but the model's score, whose last digits depend on the order of a sum.
    assert (fast.is_crisis, fast.severity, fast.category, fast.kind, fast.matches) == (
        reference.is_crisis,
        reference.severity,
        reference.category,
        reference.kind,
        reference.matches,
    ), text
    if reference.model_score is None:
        assert fast.model_score is None, text
    else:
        assert fast.model_score == pytest.approx(reference.model_score, abs=1e-9), text


def test_fast_path_agrees_with_the_reference_on_every_dev_sentence():
    for text in _texts("dev.tsv"):
        _same(text)


@pytest.mark.parametrize("name", SPLITS)
def test_fast_path_agrees_with_the_reference_on_posts_mixing_sentences(name):
    # Several sentences per post: context and patterns meet across sentence boundaries.
    texts = _texts(name)
    rng = random.Random(name)
    rng.shuffle(texts)
    for i in range(0, len(texts), 8):
        _same(" ".join(texts[i : i + 8]))
        _same("\n".join(texts[i : i + 8]))


def test_fast_path_agrees_on_long_and_odd_posts():
    words = " ".join(_texts("dev.tsv")).split()
    rng = random.Random(18)
    start = rng.randrange(len(words))
    long_post = " ".join(words[(start + i) % len(words)] for i in range(5000))
    assert len(long_post) > MAX_CHARS  # only the first 20,000 characters are read
    for text in (
        long_post,
        long_post.replace(".", ""),  # one stretch of 20,000 characters
        "I want to die, " * 2000,
        '"I want to die" she said. (I am not ok!!) ... im gonna end it tn; 💊💊',
    ):
        _same(text)


def test_the_model_scores_exactly_the_features_it_has_weights_for():
    # The fast path builds only the features with a weight; they must be exactly the full
    # feature set's weighted ones, so the score is the same.
    from moderation.crisis import _engine
    from moderation.crisis import model as crisis_model

    engine, model = _engine(), crisis_model._load()
    assert model is not None
    weights = model["weights"]
    texts = _texts("dev.tsv")
    checked = 0
    for text in [*texts, " ".join(texts[:40])]:
        analysis = engine.analyse(text)
        full = crisis_model.features(analysis, engine)
        assert crisis_model.weighted_features(analysis, engine, weights) == {
            f for f in full if f in weights
        }, text
        checked += bool(full)
    assert checked > 300
