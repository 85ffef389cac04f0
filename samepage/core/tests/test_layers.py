"""Apps import only apps below them, and never inside a function to dodge a cycle.

The layers, lowest first. An app may import its own modules and any app listed before
it; a lower app that needs something from a higher one asks through a registry the
higher app fills in its ``AppConfig.ready`` (see plans/contributions.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

LAYERS = [
    "core",
    "accounts",
    "schools",
    "teams",
    "profiles",
    "plans",
    "concerns",
    "conversations",
    "problems",
    "updates",
    "progress",
    "minutes",
    "reports",
    "deadlines",
    "notifications",
    "glossary",
    "home",
    "api",
]
ROOT = Path(__file__).resolve().parents[3]


def _app_modules() -> list[tuple[str, Path]]:
    found = []
    for app in LAYERS:
        for path in sorted((ROOT / "samepage" / app).rglob("*.py")):
            parts = path.relative_to(ROOT / "samepage" / app).parts
            if "tests" in parts or "migrations" in parts:
                continue
            found.append((app, path))
    return found


def _imported_apps(node: ast.AST) -> list[tuple[int, str]]:
    """The samepage apps one import statement reaches, with its line."""
    names: list[str] = []
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    elif isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    if not isinstance(node, ast.Import | ast.ImportFrom):
        return []
    apps = {name.split(".")[1] for name in names if name.startswith("samepage.") and "." in name}
    return [(node.lineno, app) for app in sorted(apps) if app in LAYERS]


def layer_violations(app: str, source: str) -> list[str]:
    rank = LAYERS.index(app)
    problems = []
    for node in ast.walk(ast.parse(source)):
        for line, target in _imported_apps(node):
            if target != app and LAYERS.index(target) > rank:
                problems.append(f"line {line}: {app} imports the higher app {target}")
    return problems


def function_imports(source: str, *, is_app_config: bool) -> list[str]:
    """Imports of our own modules inside a function (``AppConfig.ready`` excepted)."""
    problems = []
    for func in ast.walk(ast.parse(source)):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if is_app_config and func.name == "ready":
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Import | ast.ImportFrom) and _imported_apps(node):
                problems.append(f"line {node.lineno}: import inside {func.name}()")
    return problems


def test_no_app_imports_a_higher_one():
    assert len(_app_modules()) > 100, "the walk must find the apps' modules"
    problems = [
        f"{path.relative_to(ROOT)} {problem}"
        for app, path in _app_modules()
        for problem in layer_violations(app, path.read_text())
    ]
    assert problems == []


def test_no_import_of_our_own_code_inside_a_function():
    paths = [path for _app, path in _app_modules()] + [ROOT / "samepage" / "factories.py"]
    problems = [
        f"{path.relative_to(ROOT)} {problem}"
        for path in paths
        for problem in function_imports(path.read_text(), is_app_config=path.name == "apps.py")
    ]
    assert problems == []


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in (ROOT / "samepage").glob("*/apps.py")}
    assert apps == set(LAYERS)


def test_the_checks_catch_what_they_are_for():
    upward = "from samepage.plans.models import Plan\n"
    assert layer_violations("schools", upward) == ["line 1: schools imports the higher app plans"]
    assert layer_violations("concerns", upward) == []
    assert layer_violations("teams", "import samepage.concerns.selectors\n") != []
    hidden = "def f():\n    from samepage.plans import pdf\n    return pdf\n"
    assert function_imports(hidden, is_app_config=False) == ["line 2: import inside f()"]
    assert function_imports("def f():\n    import json\n", is_app_config=False) == []
    ready = "class C:\n    def ready(self):\n        from samepage.plans import x\n"
    assert function_imports(ready, is_app_config=True) == []
    assert function_imports(ready, is_app_config=False) != []
