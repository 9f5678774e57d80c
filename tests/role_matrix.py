"""The role matrix: every URL pattern of the project, asked by every role.

Each app declares its routes in `tests/<app>/routes.py` as `ROUTES = [Route(...), ...]`.
`tests/test_role_matrix.py` walks the URLconf, so a new route without an expected answer fails
the suite. Third-party routes (allauth, Django admin) are listed in THIRD_PARTY_PREFIXES and
covered by their own tests.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROLES = (
    "visitor",
    "non_member",
    "pending_requester",
    "member",
    "muted_member",
    "removed_member",
    "other_facilitator",
    "facilitator",
    "admin",
)

# Callbacks from these modules are third-party routes with their own checks.
THIRD_PARTY_PREFIXES = ("allauth.", "django.contrib.admin.")


@dataclass
class World:
    """Everything a route may need: the group, one user per role and per-route extras."""

    group: Any
    other_group: Any
    users: dict[str, Any]
    extras: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        """Create an object once per test (e.g. a story), however often kwargs are built."""
        if key not in self.extras:
            self.extras[key] = make()
        return self.extras[key]


@dataclass
class Route:
    name: str
    expect: dict[str, int]
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "GET"
    data: Callable[[World], dict] | None = None
    query: str = ""
    # For a route that needs more than one row, e.g. a POST form; headers like HX-Request.
    headers: dict[str, str] = field(default_factory=dict)
    label: str = ""

    def __post_init__(self) -> None:
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"{self.name}: no expected answer for {sorted(missing)}")

    @property
    def id(self) -> str:
        return f"{self.name}{'[' + self.label + ']' if self.label else ''}:{self.method}"


def same(status: int) -> dict[str, int]:
    """Every role gets the same answer."""
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, visitor: int = 302) -> dict[str, int]:
    """Any signed-in person gets `status`; a visitor is sent to sign in."""
    return {**dict.fromkeys(ROLES, status), "visitor": visitor}


def collect_routes() -> list[Route]:
    routes: list[Route] = []
    tests_dir = Path(__file__).parent
    for info in pkgutil.iter_modules([str(tests_dir)]):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{info.name}.routes")
        except ModuleNotFoundError as exc:
            if exc.name == f"tests.{info.name}.routes":
                continue
            raise
        routes.extend(module.ROUTES)
    return routes
