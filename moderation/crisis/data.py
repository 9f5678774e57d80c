"""Read the taxonomy's data files: tab-separated, one entry per line, `#` starts a comment."""

from __future__ import annotations

from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


@cache
def load_table(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of `name` (a file beside this module), each a tuple of its stripped fields."""
    rows = []
    for number, line in enumerate((HERE / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = tuple(f.strip() for f in line.split("\t"))
        if len(fields) < 2 or not fields[0]:
            raise ValueError(f"{name}:{number}: expected at least two tab-separated fields")
        rows.append(fields)
    return tuple(rows)
