"""Each domain word has one type: a status is a states.Status, a light's colour a
states.LightColour, an unknown unit a typed_values.UnknownUnit, whichever command, form or
dialog meets it."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import json
from pathlib import Path

import orjson
import pytest

from duban import vocabulary
from duban.errors import DubanError
from duban.forms.contents import choose_deadline, unit_forms
from duban.i18n import set_language
from duban.record.typed_values import UnknownUnit, resolve_unit
from duban.states import LIGHT_ORDER, LightColour, Status
from duban.store.repository import Repository

PROJECT = Path(__file__).resolve().parents[2]
PLAN = "2019-changning"
WORDS = {*vocabulary.keys("status"), *vocabulary.keys("light")}


def test_the_word_table_holds_the_enums_keys_in_their_order() -> None:
    assert vocabulary.keys("status") == tuple(Status)
    assert vocabulary.keys("light") == tuple(LightColour) == LIGHT_ORDER


def test_a_member_is_written_as_its_plain_key() -> None:
    row = {"status": Status.DONE, "light": LightColour.RED}
    assert json.dumps(row) == '{"status": "done", "light": "red"}'
    assert orjson.dumps(row) == b'{"status":"done","light":"red"}'
    out = io.StringIO()
    csv.writer(out).writerow(row.values())
    assert out.getvalue() == "done,red\r\n"
    assert f"{LightColour.GREY}" == str(LightColour.GREY) == "grey"
    assert {"red": 1}[LightColour.RED] == 1  # equal, and hashed alike, to the key a file gives


def test_the_predicates_read_a_plain_key_as_a_member() -> None:
    assert [s for s in vocabulary.keys("status") if Status.is_closed(s)] == ["done", "cancelled"]
    assert [s for s in vocabulary.keys("status") if Status.is_held(s)] == ["delayed", "blocked"]
    assert Status.is_done("done") and not Status.is_done(None)
    assert [c.severity for c in LIGHT_ORDER] == [2, 1, 0, 0]
    assert [c for c in LightColour if c.is_lagging] == [LightColour.RED, LightColour.YELLOW]


def _literal_words(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} & WORDS
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return set().union(*(_literal_words(e) for e in node.elts)) if node.elts else set()
    return set()


def _compared_as_literals(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if not set().union(*(_literal_words(side) for side in sides)):
                continue
            # `column == "done"` (a report column named like a status) is no status: only the
            # comparisons of something called status, light or colour count.
            named = ast.unparse(node)
            if any(word in named for word in ("status", "colour", "light", "given")):
                found.append(f"{path.relative_to(PROJECT)}:{node.lineno}: {named}")
    return found


def test_no_status_or_colour_is_compared_as_a_string() -> None:
    files = [
        p
        for folder in ("duban", "cli", "tui")
        for p in sorted((PROJECT / folder).rglob("*.py"))
        if p.relative_to(PROJECT).parts[1:2] not in (("cli",), ("tui",))
    ]
    found = [line for path in files for line in _compared_as_literals(path)]
    assert found == []


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "unknown unit '发改局' in plan 2019-changning (did you mean '发改委'?)"),
        ("zh", "计划 2019-changning 中没有单位 '发改局' (是不是 '发改委'?)"),
    ],
)
def test_an_unknown_unit_reads_the_same_from_a_report_and_from_the_forms(
    sample_repo: Path, language: str, said: str
) -> None:
    set_language(language)
    try:
        repo = Repository(sample_repo)
        deadline = choose_deadline(repo.plan(PLAN), dt.date(2019, 7, 1), "2019-06")
        with pytest.raises(UnknownUnit) as typed:
            resolve_unit(repo, PLAN, "发改局")
        with pytest.raises(DubanError) as forms:
            unit_forms(repo, PLAN, deadline, ["发改局"])
    finally:
        set_language("en")
    assert type(forms.value) is UnknownUnit  # the forms said it without quotes, in words of their own
    assert str(typed.value) == str(forms.value) == said
