"""`make bench-crisis`: the crisis detector's quality per category on dev (and test, when the
lead's sealed split is present), and its speed per text.

Quality: recall per risk category and false-positive rate per kind of hard negative.
Speed: p50/p99 of `detect` on 100-word texts (built from the dev sentences) and the time for one
5,000-word text. Pure Python, no database; runs in a few seconds.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPLITS = ROOT / "tests" / "moderation" / "crisis"


def quality(name: str, path: Path) -> None:
    from moderation.crisis import detect
    from moderation.crisis.training import load_labelled

    rows = load_labelled(path)
    per = defaultdict(lambda: [0, 0])  # (label, category) -> [n, flagged]
    for label, category, text in rows:
        per[(label, category)][0] += 1
        per[(label, category)][1] += detect(text).is_crisis
    pos = [(c, n, f) for (label, c), (n, f) in per.items() if label]
    neg = [(c, n, f) for (label, c), (n, f) in per.items() if not label]
    tp, p = sum(f for _c, _n, f in pos), sum(n for _c, n, _f in pos)
    fp, n_neg = sum(f for _c, _n, f in neg), sum(n for _c, n, _f in neg)
    print(
        f"\n{name} ({len(rows)} sentences): recall {tp / p:.1%} ({tp}/{p}), "
        f"false-positive rate {fp / n_neg:.1%} ({fp}/{n_neg})"
    )
    print(f"  {'risk category':18s} {'recall':>7s}   n")
    for c, n, f in sorted(pos):
        print(f"  {c:18s} {f / n:7.1%} {n:3d}")
    print(f"  {'hard negative':18s} {'FPR':>7s}   n")
    for c, n, f in sorted(neg):
        print(f"  {c:18s} {f / n:7.1%} {n:3d}")


def speed(load_ms: float) -> None:
    from moderation.crisis import detect
    from moderation.crisis.training import load_labelled

    print(f"\nloading the taxonomy: {load_ms:.0f} ms (once per process)")
    words = [w for _l, _c, text in load_labelled(SPLITS / "dev.tsv") for w in text.split()]
    rng = random.Random(18)

    def text_of(n: int) -> str:
        start = rng.randrange(len(words))
        return " ".join(words[(start + i) % len(words)] for i in range(n))

    for _ in range(50):  # warm up: regular expressions compile on first use
        detect(text_of(100))
    times = []
    for _ in range(int(os.environ.get("BENCH_TEXTS", "500"))):
        text = text_of(100)
        t = time.perf_counter()
        detect(text)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p50, p99 = statistics.median(times), times[int(len(times) * 0.99) - 1]
    print(f"100-word texts: p50 {p50:.2f} ms, p99 {p99:.2f} ms (n={len(times)}; aim p99 < 1 ms)")
    long_times = []
    for _ in range(5):
        text = text_of(5000)
        t = time.perf_counter()
        detect(text)
        long_times.append((time.perf_counter() - t) * 1000)
    print(f"5,000-word text: median {statistics.median(long_times):.1f} ms of 5 (aim < 20 ms)")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"(load average {load:.1f} on {os.cpu_count()} cores while measuring)")


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from moderation.crisis import _engine

    started = time.perf_counter()
    _engine()
    load_ms = (time.perf_counter() - started) * 1000
    quality("dev", SPLITS / "dev.tsv")
    test = SPLITS / "test.tsv"
    if test.exists():
        quality("test", test)
    else:
        print(
            "\ntest: tests/moderation/crisis/test.tsv is not present yet (the lead's sealed split)"
        )
    speed(load_ms)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
