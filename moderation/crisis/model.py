"""The optional second signal: a small linear text classifier, scored in pure Python.

Its weights (`model.json` beside this module) are learned from the project's own labelled
sentences by `python manage.py crisis_model_build`, which rebuilds the same file from the same
data every time. Without the file, `score` returns None and the rules decide alone.
"""

from __future__ import annotations

import json
import math
from functools import cache
from typing import TYPE_CHECKING

from .data import HERE

if TYPE_CHECKING:
    from .engine import Analysis, Engine

MODEL_FILE = HERE / "model.json"


_GRAMS: dict[str, tuple[str, ...]] = {}  # a word's character 4-grams, worked out once


def features(analysis: Analysis, engine: Engine) -> set[str]:
    """Word unigrams and bigrams of the normalised lemmas, character 4-grams of words, and the
    taxonomy's own view: which concepts appear, which rules matched and why context set them
    aside (these generalise beyond the words seen in training)."""
    words = [t.lemma for t in analysis.tokens if t.lemma[:1].isalnum()]
    feats = {f"w:{w}" for w in words}
    feats.update(f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    for w in set(words):
        grams = _GRAMS.get(w)
        if grams is None:
            padded = f"<{w}>"
            grams = tuple(f"c:{padded[i : i + 4]}" for i in range(max(1, len(padded) - 3)))
            if len(_GRAMS) < 50_000:
                _GRAMS[w] = grams
        feats.update(grams)
    feats.update(f"k:{name}" for name in engine.concepts_in(analysis))
    for rule, why in analysis.asides:
        feats.add(f"r:{rule.category}")
        feats.add(f"r:{rule.category}:{why}")
        feats.add(f"a:{why}")
    for hit in analysis.hits:
        feats.add(f"r:{hit.rule.category}")
    return feats


@cache
def _load() -> dict | None:
    if not MODEL_FILE.exists():
        return None
    return json.loads(MODEL_FILE.read_text(encoding="utf-8"))


def threshold() -> float:
    model = _load()
    return model["threshold"] if model else 1.0


def score(analysis: Analysis, engine: Engine) -> float | None:
    """The model's probability that the text is a crisis disclosure, or None without a model."""
    model = _load()
    if model is None:
        return None
    return score_with(model, analysis, engine)


# Per model: each word's features that have a weight (its "w:" feature and character
# 4-grams), worked out once per word. Keyed by the weights' identity, holding them so the key
# cannot be reused; the last few models only (the build command tries several).
_WEIGHTED: dict[int, tuple[dict, dict[str, tuple[str, ...]]]] = {}


def _weighted_words(weights: dict) -> dict[str, tuple[str, ...]]:
    entry = _WEIGHTED.get(id(weights))
    if entry is None or entry[0] is not weights:
        if len(_WEIGHTED) >= 4:
            _WEIGHTED.clear()
        entry = _WEIGHTED[id(weights)] = (weights, {})
    return entry[1]


def weighted_features(analysis: Analysis, engine: Engine, weights: dict) -> set[str]:
    """`features(analysis, engine)` that are keys of `weights`, built without the many the
    model has no weight for."""
    per_word = _weighted_words(weights)
    words = [t.lemma for t in analysis.tokens if t.lemma[:1].isalnum()]
    feats: set[str] = set()
    for w in set(words):
        mine = per_word.get(w)
        if mine is None:
            padded = f"<{w}>"
            grams = [f"c:{padded[i : i + 4]}" for i in range(max(1, len(padded) - 3))]
            mine = tuple(f for f in (f"w:{w}", *grams) if f in weights)
            if len(per_word) < 50_000:
                per_word[w] = mine
        feats.update(mine)
    bigrams = {f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    feats.update(bigrams & weights.keys())
    rest = {f"k:{name}" for name in engine.concepts_in(analysis)}
    for rule, why in analysis.asides:
        rest.add(f"r:{rule.category}")
        rest.add(f"r:{rule.category}:{why}")
        rest.add(f"a:{why}")
    for hit in analysis.hits:
        rest.add(f"r:{hit.rule.category}")
    feats.update(rest & weights.keys())
    return feats


def score_with(model: dict, analysis: Analysis, engine: Engine) -> float:
    """Score with the given weights (the build command tries new ones before shipping them)."""
    weights = model["weights"]
    present = [weights[f] for f in weighted_features(analysis, engine, weights)]
    scale = 1.0 / math.sqrt(max(1, len(present)))
    z = model["bias"] + scale * sum(present)
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))
