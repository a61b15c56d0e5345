"""An import inside a function says why it is not at the top of its module: a comment on it or
on the line above its group (the imports next to it, blank lines between). Most read
`# Deferred: loads X (N duban modules in all) only when this runs`; tests/cli/test_import_hygiene.py
proves what a warm `list`, `validate` and `--help` leave out. An import that defers nothing (its
modules are loaded whenever its module is) belongs at the top."""

from __future__ import annotations

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def _sources() -> list[Path]:
    # duban/cli and duban/tui are links to cli/ and tui/: each file is read once.
    return [
        p
        for folder in ("duban", "cli", "tui")
        for p in sorted((PROJECT / folder).rglob("*.py"))
        if p.relative_to(PROJECT).parts[1:2] not in (("cli",), ("tui",))
    ]


def _deferred(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)) and in_function:
                found.append(child)
            else:
                visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

    visit(tree, False)
    return sorted(found, key=lambda node: node.lineno)


def unexplained(path: Path, root: Path = PROJECT) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    imports = _deferred(ast.parse("\n".join(lines)))
    found = []
    for at, node in enumerate(imports):
        previous = imports[at - 1] if at else None
        grouped = (
            previous is not None
            and previous.col_offset == node.col_offset
            and all(not line.strip() for line in lines[previous.end_lineno or previous.lineno : node.lineno - 1])
        )
        if grouped:
            continue
        above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
        if not above.startswith("#") and "#" not in lines[node.lineno - 1]:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def test_every_deferred_import_says_why() -> None:
    assert [line for path in _sources() for line in unexplained(path)] == []


def test_the_check_finds_an_unexplained_one(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    import json\n\n    return json\n\n\ndef g():\n    # Deferred: loads csv only when this runs\n"
        "    import csv\n\n    import io\n    return csv, io\n",
        encoding="utf-8",
    )
    assert unexplained(module, tmp_path) == ["m.py:2: import json"]
