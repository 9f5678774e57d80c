"""Learn the second signal's weights: L2-regularised logistic regression, in pure Python.

Deterministic: the same labelled files give the same `model.json`, byte for byte (a fixed
shuffle seed, sorted features, rounded weights). Used only by the management command
`crisis_model_build`; the runtime (`model.py`) just adds up weights.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .engine import Engine
from .model import features


def load_labelled(path: Path) -> list[tuple[int, str, str]]:
    """(label, category, text) rows of a `label<TAB>category<TAB>text` file (header allowed).

    The older two-column file (`crisis|safe<TAB>text`) is read too, with category "".
    """
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("label\t"):
            continue
        parts = line.split("\t")
        if parts[0] in ("crisis", "safe"):
            rows.append((1 if parts[0] == "crisis" else 0, "", parts[1]))
        elif len(parts) >= 3 and parts[0] in ("0", "1"):
            rows.append((int(parts[0]), parts[1], parts[2]))
        else:
            raise ValueError(f"{path}: bad line {line[:60]!r}")
    return rows


def train(
    rows: Iterable[tuple[int, str]],
    engine: Engine,
    *,
    epochs: int = 40,
    rate: float = 0.3,
    l2: float = 1e-4,
    min_count: int = 2,
    seed: int = 18,
) -> dict:
    """Fit weights on (label, text) rows; returns the model dict (without a threshold)."""
    data = [(label, features(engine.analyse(text), engine)) for label, text in rows]
    counts = Counter(f for _label, feats in data for f in feats)
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    samples = [(label, sorted(index[f] for f in feats if f in index)) for label, feats in data]
    weights = [0.0] * len(vocab)
    grad_sq = [1e-8] * len(vocab)
    bias, bias_sq = 0.0, 1e-8
    order = list(range(len(samples)))
    rng = random.Random(seed)
    for _epoch in range(epochs):
        rng.shuffle(order)
        for k in order:
            label, idx = samples[k]
            # Binary features, scaled so long posts do not dominate.
            scale = 1.0 / math.sqrt(max(1, len(idx)))
            z = bias + scale * sum(weights[i] for i in idx)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - label
            bias_sq += g * g
            bias -= rate * g / math.sqrt(bias_sq)
            for i in idx:
                gi = g * scale + l2 * weights[i]
                grad_sq[i] += gi * gi
                weights[i] -= rate * gi / math.sqrt(grad_sq[i])
    return {
        "bias": round(bias, 4),
        # Every feature is kept (even near-zero ones): the runtime scales by how many are present.
        "weights": {f: round(w, 4) for f, w in zip(vocab, weights, strict=True)},
        "scaled": True,
    }


def dumps(model: dict) -> str:
    return json.dumps(model, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
