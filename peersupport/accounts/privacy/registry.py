"""Export sections: each app above accounts contributes the member's own rows.

accounts imports nothing of ours, so the apps register here in their `AppConfig.ready()`:
`register_export_section("stories", _("Stories you shared"), collect_stories)`. A collector takes
the member and returns a list of plain dicts (JSON-ready) holding only that member's data.
"""

from collections.abc import Callable
from dataclasses import dataclass

Collector = Callable[[object], list[dict]]


@dataclass(frozen=True)
class ExportSection:
    key: str
    title: str
    collect: Collector
    order: int = 100


_sections: dict[str, ExportSection] = {}


def register_export_section(key: str, title: str, collect: Collector, *, order: int = 100) -> None:
    """Add (or replace, on a second ready()) one named section of every export."""
    _sections[key] = ExportSection(key=key, title=title, collect=collect, order=order)


def export_sections() -> list[ExportSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))
