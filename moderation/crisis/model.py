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
    from .normalise import Normaliser

MODEL_FILE = HERE / "model.json"


def features(text: str, normaliser: Normaliser) -> set[str]:
    """Word unigrams and bigrams of the normalised lemmas, plus character 4-grams of words."""
    words = [t.lemma for t in normaliser.tokens(text) if t.lemma[:1].isalnum()]
    feats = {f"w:{w}" for w in words}
    feats.update(f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    for w in words:
        padded = f"<{w}>"
        feats.update(f"c:{padded[i : i + 4]}" for i in range(max(1, len(padded) - 3)))
    return feats


@cache
def _load() -> dict | None:
    if not MODEL_FILE.exists():
        return None
    return json.loads(MODEL_FILE.read_text(encoding="utf-8"))


def threshold() -> float:
    model = _load()
    return model["threshold"] if model else 1.0


def score(text: str, normaliser: Normaliser) -> float | None:
    """The model's probability that `text` is a crisis disclosure, or None without a model."""
    model = _load()
    if model is None:
        return None
    weights = model["weights"]
    present = [weights[f] for f in features(text, normaliser) if f in weights]
    scale = 1.0 / math.sqrt(max(1, len(present)))
    z = model["bias"] + scale * sum(present)
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))
