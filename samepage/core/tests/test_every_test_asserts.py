"""Every test asserts something that could fail.

A test without an assertion passes whatever the code does. Each ``test_*`` function must
contain an ``assert``, a ``pytest.raises``/``pytest.fail``, a call to an ``assert_*`` /
``expect`` helper (Playwright's included), or call a helper of its own module, or a fixture
object's method, that does one of those.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECKING_CALLS = ("assert", "raises", "fail", "expect", "to_have", "to_be", "to_contain")
# pytest-django's query-count assertions (django_assert_num_queries...).
CHECKING_PREFIXES = ("django_assert",)


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _checks_directly(node: ast.AST) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.Assert):
            return True
        if isinstance(child, ast.Call) and _called_name(child).lstrip("_").startswith(
            CHECKING_CALLS + CHECKING_PREFIXES
        ):
            return True
    return False


def _checking_helpers(tree: ast.Module) -> set[str]:
    """Names of the module's own functions that check, directly or through each other."""
    functions = {
        node.name: node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    checking = {name for name, node in functions.items() if _checks_directly(node)}
    changed = True
    while changed:
        changed = False
        for name, node in functions.items():
            if name in checking:
                continue
            calls = {_called_name(c) for c in ast.walk(node) if isinstance(c, ast.Call)}
            if calls & checking:
                checking.add(name)
                changed = True
    return checking


def _imported_checking_helpers() -> set[str]:
    """Checking helpers of shared test modules (conftest, helpers, journeys...)."""
    names: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if path.name.startswith("test_") or "migrations" in path.parts:
            continue
        if "tests" not in path.parts and "browser_tests" not in path.parts:
            continue
        names |= _checking_helpers(ast.parse(path.read_text(encoding="utf-8")))
    return names


def test_every_test_function_checks_something():
    shared = _imported_checking_helpers()
    silent = []
    for path in sorted(ROOT.rglob("test_*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        checking = _checking_helpers(tree) | shared
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if not node.name.startswith("test_"):
                continue
            if _checks_directly(node):
                continue
            calls = {_called_name(c) for c in ast.walk(node) if isinstance(c, ast.Call)}
            if calls & checking:
                continue
            silent.append(f"{path.relative_to(ROOT.parent)}::{node.name}")
    assert silent == [], "These tests check nothing that could fail:\n  " + "\n  ".join(silent)


def test_the_guard_catches_a_test_without_an_assertion():
    tree = ast.parse(
        "def helper(x):\n    assert x\n\n"
        "def test_silent(world):\n    do_something(world)\n\n"
        "def test_through_helper(world):\n    helper(world)\n"
    )
    checking = _checking_helpers(tree)
    tests = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert "helper" in checking
    assert not _checks_directly(tests["test_silent"])
    calls = {_called_name(c) for c in ast.walk(tests["test_silent"]) if isinstance(c, ast.Call)}
    assert not calls & checking
    assert _checks_directly(tests["test_through_helper"]) is False
    through = {
        _called_name(c) for c in ast.walk(tests["test_through_helper"]) if isinstance(c, ast.Call)
    }
    assert through & checking


SKIPPING = ("mark.skip", "pytest.skip(", "xfail", "importorskip")


def test_no_test_is_skipped_or_expected_to_fail():
    # The suite runs whole on SQLite and on PostgreSQL: a test that cannot run somewhere
    # branches on the database instead of skipping, so nothing passes by not running.
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path == Path(__file__).resolve() or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(word in line for word in SKIPPING):
                found.append(f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}")
    assert found == [], "Tests that skip:\n  " + "\n  ".join(found)
