"""The architecture the README draws, checked by reading the source (an `ast` walk, no imports).

- No module-level import cycle between the project's files.
- Imports follow the layer order (`LAYERS`, drawn identically in the README's architecture
  section): an app imports only apps in its own layer or below; apps that share a layer
  (stories and chat) never import each other. Imports inside functions count too: a lazy import
  hides a cycle from Python, not the dependency from the reader.
- No module but a URLconf imports a views module.

Roots (URLconfs, socket routing, ASGI/Celery/settings, demo data, management commands) wire the
apps together and may import anything.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PACKAGES = ("peersupport", "groups", "stories", "moderation", "resources")
SKIP_DIRS = {"migrations", "__pycache__"}

# Bottom to top. Each entry is one layer; an app may import its own layer and those below.
LAYERS: list[tuple[str, ...]] = [
    ("peersupport", "peersupport.accounts"),
    ("groups",),
    ("resources",),
    # The safety plan uses groups (sharing) and resources (crisis lines); moderation reads it.
    ("peersupport.notifications", "peersupport.safety_plan"),
    ("moderation", "groups.sessions", "peersupport.pages"),
    ("stories", "groups.chat"),
]
# Within the bottom layer the project package's own modules (markdown, context processors) and
# accounts may use each other; in the top layer the two content apps must stay apart.
SIBLINGS_MAY_IMPORT_EACH_OTHER = {0}

ROOT_PATTERNS = [
    r"^manage$",
    r"^peersupport$",  # loads the Celery app
    r"^peersupport\.(asgi|celery|settings|settings_test|routing)$",
    r"(^|\.)(\w+_)?urls$",
    r"(^|\.)routing$",
    r"(^|\.)demo$",
    r"\.management\.commands\.\w+$",
]
URLCONF_PATTERN = r"(^|\.)(\w+_)?urls$"
VIEWS_PATTERN = r"(^|\.)views$"


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    module_level: bool


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name → file, for every Python file of the project's packages."""
    modules: dict[str, Path] = {}
    for package in PROJECT_PACKAGES:
        for path in (root / package).rglob("*.py"):
            rel = path.relative_to(root)
            if SKIP_DIRS & set(rel.parts):
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    manage = root / "manage.py"
    if manage.exists():
        modules["manage"] = manage
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk_imports(nodes, module_level: bool):
    """Yield (import node, runs at import time?) for every import statement under `nodes`."""
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, module_level
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _walk_imports(ast.iter_child_nodes(node), False)
        elif isinstance(node, ast.If) and _is_type_checking(node):
            # Never executed at run time: no cycle, but still a dependency.
            yield from _walk_imports(node.body, False)
            yield from _walk_imports(node.orelse, module_level)
        else:
            yield from _walk_imports(ast.iter_child_nodes(node), module_level)


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of a dotted name that is one of our files, or None (not ours)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """Every import of one of our modules by `module`, resolved to the file it loads."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: list[Import] = []
    for node, module_level in _walk_imports(tree.body, True):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                package = module.split(".")
                if not is_package:
                    package = package[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            for alias in node.names:
                # `from pkg import mod` loads pkg/mod.py; `from mod import name` loads mod.
                sub = f"{base}.{alias.name}"
                targets.append(sub if sub in modules else base)
        for target in targets:
            resolved = _resolve(target, modules)
            if resolved is not None and resolved != module:
                imp = Import(module, resolved, node.lineno, module_level)
                if imp not in found:
                    found.append(imp)
    return found


def all_imports(root: Path = ROOT) -> list[Import]:
    modules = project_modules(root)
    result: list[Import] = []
    for module, path in sorted(modules.items()):
        result.extend(imports_of(module, path, modules))
    return result


def import_cycles(imports: list[Import]) -> list[list[str]]:
    """Strongly connected groups of files (more than one) in the module-level import graph."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if imp.module_level:
            graph.setdefault(imp.source, set()).add(imp.target)
            graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def connect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                connect(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return cycles


def app_of(module: str) -> str | None:
    """The app (a name from LAYERS) a module belongs to: the longest matching prefix."""
    best = None
    for layer in LAYERS:
        for app in layer:
            if (module == app or module.startswith(app + ".")) and (
                best is None or len(app) > len(best)
            ):
                best = app
    return best


def layer_of(app: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if app in layer)


def is_root(module: str) -> bool:
    return any(re.search(pattern, module) for pattern in ROOT_PATTERNS)


def layer_violations(imports: list[Import]) -> list[str]:
    problems = []
    for imp in imports:
        if is_root(imp.source):
            continue
        source_app, target_app = app_of(imp.source), app_of(imp.target)
        if source_app is None or target_app is None or source_app == target_app:
            continue
        source_layer, target_layer = layer_of(source_app), layer_of(target_app)
        upward = target_layer > source_layer
        sideways = (
            target_layer == source_layer and source_layer not in SIBLINGS_MAY_IMPORT_EACH_OTHER
        )
        if upward or sideways:
            problems.append(
                f"{imp.source} (line {imp.line}, layer {source_app}) imports {imp.target} "
                f"(layer {target_app})"
            )
    return problems


def views_violations(imports: list[Import]) -> list[str]:
    return [
        f"{imp.source} (line {imp.line}) imports the views module {imp.target}"
        for imp in imports
        if re.search(VIEWS_PATTERN, imp.target) and not re.search(URLCONF_PATTERN, imp.source)
    ]


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return all_imports()


def test_the_walk_sees_the_whole_project(imports):
    modules = project_modules()
    # A walk that found nothing would pass every check below.
    assert {"groups.models", "moderation.services.cases", "groups.chat.consumers"} <= set(modules)
    assert len(imports) > 200
    assert Import("groups.chat.models", "groups.models", 0, True) not in imports
    assert any(i.source == "stories.services" and i.target == "groups.models" for i in imports)


def test_there_is_no_module_level_import_cycle_between_files(imports):
    cycles = import_cycles(imports)
    assert cycles == [], "import cycles between files:\n" + "\n".join(
        " <-> ".join(c) for c in cycles
    )


def test_imports_follow_the_layer_order(imports):
    problems = layer_violations(imports)
    assert problems == [], "imports against the layer order:\n" + "\n".join(problems)


def test_only_urlconfs_import_views(imports):
    problems = views_violations(imports)
    assert problems == [], "\n".join(problems)


def test_every_module_belongs_to_a_layer():
    unplaced = [m for m in project_modules() if app_of(m) is None and not is_root(m)]
    assert unplaced == []


# --- the checks themselves can fail ---------------------------------------------------------
def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_cycle_check_finds_a_cycle_through_relative_and_package_imports(tmp_path):
    _write(
        tmp_path,
        {
            "groups/__init__.py": "",
            "groups/models.py": "from .services import thing\n",
            "groups/services/__init__.py": "from .things import thing\n",
            "groups/services/things.py": "from groups import models\nthing = 1\n",
            "groups/views.py": "def f():\n    from .models import x\n",
        },
    )
    cycles = import_cycles(all_imports(tmp_path))
    assert cycles == [["groups.models", "groups.services", "groups.services.things"]]


def test_an_import_inside_a_function_is_no_cycle_but_still_a_dependency(tmp_path):
    _write(
        tmp_path,
        {
            "groups/__init__.py": "",
            "groups/models.py": "def f():\n    from moderation import services\n",
            "moderation/__init__.py": "",
            "moderation/services.py": "from groups.models import f\n",
        },
    )
    imports = all_imports(tmp_path)
    assert import_cycles(imports) == []
    assert layer_violations(imports) == [
        "groups.models (line 2, layer groups) imports moderation.services (layer moderation)"
    ]


def test_the_layer_check_refuses_content_apps_importing_each_other_but_not_roots(tmp_path):
    _write(
        tmp_path,
        {
            "groups/__init__.py": "",
            "groups/chat/__init__.py": "",
            "groups/chat/services.py": "import stories.models\n",
            "groups/chat/urls.py": "from stories import views\n",
            "stories/__init__.py": "",
            "stories/models.py": "from groups.chat.services import x\n",
            "stories/views.py": "",
            "stories/demo.py": "from groups.chat import services\n",
        },
    )
    imports = all_imports(tmp_path)
    assert sorted(layer_violations(imports)) == [
        "groups.chat.services (line 1, layer groups.chat) imports stories.models (layer stories)",
        "stories.models (line 1, layer stories) imports groups.chat.services (layer groups.chat)",
    ]


def test_the_views_check_refuses_a_templatetag_importing_views(tmp_path):
    _write(
        tmp_path,
        {
            "moderation/__init__.py": "",
            "moderation/views.py": "",
            "moderation/urls.py": "from . import views\n",
            "moderation/templatetags/__init__.py": "",
            "moderation/templatetags/safety.py": "def f():\n    from moderation.views import x\n",
        },
    )
    assert views_violations(all_imports(tmp_path)) == [
        "moderation.templatetags.safety (line 2) imports the views module moderation.views"
    ]


def test_the_readme_draws_the_same_layers():
    # "a, b": apps that may use each other; "a | b": apps of one layer that stay apart.
    drawn = "\n".join(
        f"layer {i}: " + (", " if i in SIBLINGS_MAY_IMPORT_EACH_OTHER else " | ").join(layer)
        for i, layer in enumerate(LAYERS)
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```\n{drawn}\n```" in readme


def test_no_services_module_is_over_five_hundred_lines():
    # A services module past ~500 lines holds more than one noun: split it by noun.
    services = [
        path
        for app in ("peersupport", "groups", "stories", "moderation", "resources")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and (path.name == "services.py" or "services" in path.parent.name.split("/"))
    ]
    assert len(services) >= 10
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in services
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert too_long == {}
