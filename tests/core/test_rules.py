"""One table of the rules a problem can name (duban.problems.RULES): every check names its
rule from it, every problem the examples produce is listed there with its severity, and the list of
rules in docs/guide/validating.md is the table."""

from __future__ import annotations

import ast
import importlib.util
import json
import re

import pytest

from duban.problems import RULES, RuleId, rule_of
from tests.support import DATA, PROJECT

SOURCES = ("duban", "cli", "tui")
TABLE = PROJECT / "duban/problems.py"


def _rule_script():
    spec = importlib.util.spec_from_file_location("rule_table", PROJECT / "scripts/rule_table.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _rule_position(target: ast.expr, value: ast.expr) -> list[ast.expr]:
    """What is assigned to a name `rule`: the value, or its part at rule's place in a tuple."""
    if isinstance(target, ast.Name) and target.id == "rule":
        return [value]
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(value.elts) == len(target.elts):
        return [part for name, part in zip(target.elts, value.elts) if isinstance(name, ast.Name) and name.id == "rule"]
    return []


def _strings(node: ast.expr) -> list[ast.Constant]:
    """The string literals of an expression, but not those inside a call (a message in `_()`)."""
    if isinstance(node, ast.Call):
        return []
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, str) else []
    return [found for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr) for found in _strings(child)]


def _rule_literals(source: str, rule_arguments: bool = True) -> list[tuple[int, str]]:
    """(line, text) of each string a rule is written as: a literal given as `rule=`, as a
    Problem's third argument or assigned to `rule` (with `rule_arguments`), and any literal
    spelling an id that cannot be an ordinary word (one with a hyphen or a dot)."""
    distinctive = {rule_id.value for rule_id in RuleId if "-" in rule_id or "." in rule_id}
    found: set[tuple[int, str]] = set()
    for node in ast.walk(ast.parse(source)):
        places: list[ast.expr] = []
        if isinstance(node, ast.Call) and rule_arguments:
            places += [keyword.value for keyword in node.keywords if keyword.arg == "rule"]
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name == "Problem" and len(node.args) >= 3:
                places.append(node.args[2])
        elif isinstance(node, ast.Assign) and rule_arguments:
            places += [part for target in node.targets for part in _rule_position(target, node.value)]
        elif isinstance(node, ast.Constant) and node.value in distinctive:
            found.add((node.lineno, node.value))
        found |= {(constant.lineno, constant.value) for place in places for constant in _strings(place)}
    return sorted(found)


def test_the_scan_finds_a_rule_written_as_a_string() -> None:
    source = "\n".join(
        [
            'Problem(path, message, "io")',
            'raise YamlError(message, rule="yaml-tab")',
            'problem, rule, hint = _("x"), "encoding", _("y")',
            'words = ["future-report"]',
            "Problem(path, message, RuleId.IO)",
            'key = "date"',
        ]
    )
    assert sorted(_rule_literals(source)) == [(1, "io"), (2, "yaml-tab"), (3, "encoding"), (4, "future-report")]


@pytest.mark.slow
def test_no_rule_id_is_written_outside_the_table() -> None:
    found = [
        f"{path.relative_to(PROJECT)}:{line}: {text!r}"
        for folder in SOURCES
        for path in sorted((PROJECT / folder).rglob("*.py"))
        if path != TABLE
        # The importer's `rule` is one of its own rules of the genre, not a validation rule.
        for line, text in _rule_literals(path.read_text(encoding="utf-8"), "importing" not in path.parts)
    ]
    assert found == []


def test_every_rule_has_a_description_and_a_fix() -> None:
    assert sorted(RULES) == sorted(RuleId)
    assert all(rule.description and rule.fix and rule.id is key for key, rule in RULES.items())


def test_every_problem_of_the_examples_names_a_listed_rule_with_its_severity() -> None:
    expected = json.loads((DATA / "invalid/expected.json").read_text(encoding="utf-8"))
    lines = [line for found in expected.values() for line in found]
    named = [re.fullmatch(r"\d+:\d+: (error|warning): .* \[([a-z.A-Z-]+)\]", line) for line in lines]
    assert None not in named
    assert [(rule_of(m[2]).severity.value, m[2]) for m in named if m] == [(m[1], m[2]) for m in named if m]
    assert {rule_of(m[2]).id for m in named if m} >= {RuleId.NO_UNIT, RuleId.PERCENT_FALLS, RuleId.SCHEMA}


def test_the_validating_page_lists_the_rules_of_the_table() -> None:
    script = _rule_script()
    assert script.main(["--check"]) == 0
    page = (PROJECT / "docs/guide/validating.md").read_text(encoding="utf-8")
    row = "| `future-report` |"
    assert row in page
    stale = "\n".join(line for line in page.splitlines() if not line.startswith(row))
    assert script.with_table(stale) != stale
    assert script.with_table(stale).count(row) == 1


def test_a_schema_keyword_belongs_to_the_schema_rule() -> None:
    assert rule_of("schema.maximum") is RULES[RuleId.SCHEMA]
    assert rule_of("schema.key") is RULES[RuleId.SCHEMA_KEY]
    assert rule_of("unknown-unit") is RULES[RuleId.UNKNOWN_UNIT]
    assert type(_problem_rule()) is str


def _problem_rule() -> object:
    from duban.problems import Problem

    return Problem("x.yaml", "m", RuleId.IO).rule
