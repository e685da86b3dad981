"""The import graph runs one way: components build on ``core``; the command line and the
supervisor (``ieum``) sit on top; data flows channel → Rasa → actions → knowledge, index
and the case store, so no component reaches around that path."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.paths import REPO_ROOT

# What each package may import besides itself (every import, at any depth in a module).
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "knowledge": frozenset({"core"}),
    "index": frozenset({"core", "knowledge"}),
    "cases": frozenset({"core"}),
    "actions": frozenset({"core", "knowledge", "index", "cases"}),
    "bot": frozenset({"core"}),
    "staff": frozenset({"core", "cases", "bot"}),
    "ieum": frozenset({"core", "knowledge", "index", "cases", "actions", "bot", "staff"}),
}
OURS = frozenset({*ALLOWED, "tests", "bench", "nlu"})


def imported_packages(path: Path) -> set[str]:
    """The top-level packages of ours that a module imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & OURS


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_what_lies_below_it(package: str) -> None:
    strays = {
        str(path.relative_to(REPO_ROOT)): sorted(imported - ALLOWED[package] - {package})
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
        if (imported := imported_packages(path)) - ALLOWED[package] - {package}
    }
    assert strays == {}


def test_the_allowed_graph_has_no_cycle() -> None:
    def reaches(start: str, target: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(
            below == target or (below not in seen and reaches(below, target, seen | {below}))
            for below in ALLOWED[start]
        )

    assert [package for package in ALLOWED if reaches(package, package)] == []


def test_benchmarks_do_not_import_tests() -> None:
    offending = [
        str(path.relative_to(REPO_ROOT))
        for path in sorted((REPO_ROOT / "bench").rglob("*.py"))
        if "tests" in imported_packages(path)
    ]
    assert offending == []
