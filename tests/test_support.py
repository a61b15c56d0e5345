"""Helpers come from tests/support.py; tests/conftest.py holds only fixtures (pytest loads it
itself, and a module that imports from it runs it twice under two names)."""

from __future__ import annotations

import ast

from tests.support import PROJECT

TESTS = PROJECT / "tests"


def test_no_test_imports_from_conftest() -> None:
    found = [
        f"{path.relative_to(PROJECT)}:{node.lineno}"
        for path in sorted(TESTS.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("conftest")
    ]
    assert found == []


def test_conftest_defines_only_fixtures() -> None:
    tree = ast.parse((TESTS / "conftest.py").read_text(encoding="utf-8"))
    defined = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.Assign, ast.ClassDef))]
    not_fixtures = [
        getattr(node, "name", None) or ast.unparse(node)[:40]
        for node in defined
        if not (
            isinstance(node, ast.FunctionDef)
            and any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list)
        )
    ]
    assert not_fixtures == []
