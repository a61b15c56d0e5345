"""Property-based tests: arbitrary input never raises anything but duban's own error type,
and every problem message that can carry a position does."""
from __future__ import annotations

import os
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from duban.errors import DubanError
from duban.importing.importer import import_document
from duban.importing.source import document_from_text
from duban.record.merging import merge_texts
from duban.supervise.query import QueryError, parse
from duban.validate.validation import validate
from duban.store import yamlio
from tests.support import SAMPLE

@pytest.fixture(scope="module")
def bundled_selection():
    import datetime as dt

    from duban.store.repository import Repository
    from duban.supervise.selection import select
    from tests.support import PROJECT

    return select(Repository(PROJECT), as_of=None, today=dt.date(2019, 6, 30))


CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
TEXT = st.text(st.one_of(st.characters(blacklist_categories=("Cs",)), CHINESE), max_size=200)
QUERY_ALPHABET = st.sampled_from(list(string.ascii_letters + string.digits + ' :<>=!-()"%.、发改委经济') +
                                 ["lead:", "OR", "type:", "due<", "percent>", "has:", "light:", "-("])
# 300 examples each in the normal run; DUBAN_DEEP=1 tries 5,000 each.
EXAMPLES = settings(max_examples=5000 if os.environ.get("DUBAN_DEEP") else 300, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@EXAMPLES
@given(st.lists(QUERY_ALPHABET, max_size=12).map("".join))
def test_query_parser_raises_only_query_errors(query: str) -> None:
    try:
        parse(query)
    except QueryError as error:
        assert 1 <= error.column <= max(len(query), 1) + 1 and error.reason


# Whole terms, Chinese words and full-width forms, nested and negated to any depth: the
# fuzzing that found RecursionError at ~500 levels of "(" (reliability audit L1).
TERMS = st.sampled_from(["lead:fgw", "状态:进行中", "light：红", "灯:黄", "type:Ａ", "percent＜50", "percent>=10",
                         "due<2019-06-30", "late:是", "has:节点目标", "--lead:fgw", "-status:done", "牵头：发改委",
                         "area:jjfz", "“两个 优先”", "白皮书", "plan:2019", "unit:科委", "by:金融办", "or", "或",
                         "OR", "（", "）", "-(", "：", "\u3000", "lead:不存在", "status:延", "light:h", "-", '"'])
NESTED = st.recursive(TERMS, lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=4).map(" ".join),
    inner.map(lambda q: f"({q})"), inner.map(lambda q: f"-({q})"), inner.map(lambda q: f"（{q}）"),
    st.tuples(inner, inner).map(lambda pair: f"{pair[0]} OR {pair[1]}")), max_leaves=30)


@EXAMPLES
@given(st.one_of(NESTED, st.integers(0, 700).map(lambda depth: "(" * depth + "a" + ")" * (depth % 3)),
                 st.integers(0, 700).map(lambda depth: "-(" * depth + "lead:fgw"),
                 st.lists(QUERY_ALPHABET | TERMS, max_size=30).map("".join)))
def test_queries_parse_and_run_or_raise_only_query_errors(bundled_selection, query: str) -> None:
    try:
        found = bundled_selection.where(query)
    except QueryError as error:
        assert 1 <= error.column <= max(len(query), 1) + 1 and error.reason
    else:
        assert all(task in bundled_selection.tasks for task in found)


@EXAMPLES
@given(TEXT)
def test_yaml_loader_raises_only_yaml_errors(text: str) -> None:
    try:
        yamlio.load_fast(text, "t.yaml")
    except yamlio.YamlError as error:
        assert error.rule and error.message


YAMLISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(["id", "title", "text", "area", "lead", "status",
                                                                "progress", "date", "percent", "source", "x"]),
                                               children, max_size=6)),
    max_leaves=20)


@EXAMPLES
@given(st.one_of(TEXT, YAMLISH.map(lambda value: yamlio.dump_round_trip(value) if value is not None else "")))
def test_validator_reports_problems_never_raises(tmp_path_factory, text: str) -> None:
    root = tmp_path_factory.mktemp("repo")
    import shutil

    shutil.copytree(SAMPLE / "plans", root / "plans")
    (root / "plans/2019-changning/tasks/9.yaml").write_text(text, encoding="utf-8")
    report = validate([root / "plans/2019-changning/tasks/9.yaml"])
    for problem in report.problems:
        assert problem.message and problem.rule
        if problem.rule in ("yaml-syntax", "duplicate-key", "yaml-tab", "yaml-alias", "yaml-tag", "unknown-unit",
                            "unknown-area", "schema.type", "schema.enum", "date"):
            assert problem.line is not None, problem


@EXAMPLES
@given(st.lists(st.one_of(TEXT, st.sampled_from(["一、经济发展", "(一)产业", "1、任务。(牵头单位:发改委;责任单位:经委)",
                                                 "▲子项。(责任单位:财政局)", "牵头单位:市发改委", "责任单位:各县(市、区)政府",
                                                 "序号 | 任务名称 | 指标要求 | 牵头部门 | 配合部门 |", "1 | 甲 | 乙 | 丙 | 丁 |",
                                                 "主要预期目标是:生产总值增长8%;财政收入118亿元。", "第一季度", "序号"])),
                max_size=25).map("\n".join))
def test_importer_raises_only_duban_errors(text: str) -> None:
    try:
        import_document(Path("x.txt"), "2019-x", document=document_from_text(text, "x.txt"))
    except DubanError as error:
        assert str(error)


@EXAMPLES
@given(YAMLISH, YAMLISH, YAMLISH)
def test_merge_driver_always_returns_text(base, ours, theirs) -> None:
    texts = [yamlio.dump_round_trip(v) if isinstance(v, (dict, list)) else "" for v in (base, ours, theirs)]
    result = merge_texts(*texts)
    assert isinstance(result.text, str) and (result.clean or result.conflicts)


YAML_PIECES = st.sampled_from([
    "a: ", "b: ", "- ", "  ", "\n", "0x1F", "0o17", "1_000", "190:20:30", "-1.5e3", ".inf", "-.NaN", "yes", "Off",
    "~", "null", "2019-02-30", "2019-03-25", "!!str ", "!!int ", "!!set ", "!!binary ", "? ", "[a, 1]", "{a: 1}",
    "<<: ", "= ", "&x ", "*x", "'q'", '"d\\u4e00"', "|\n  ", "发改委", "# c", ":", ",", "[", "{", "---\n"])


def _outcome(load, text: str):
    import yaml

    try:
        return ("value", load(text))
    except yaml.YAMLError as error:
        return ("error", getattr(error, "problem", None), str(getattr(error, "problem_mark", "")))


def _reference_load(text: str):
    """PyYAML's own constructor with duban's strict rules, the path _build replaces."""
    import yaml

    return _outcome(lambda t: yaml.load(t, Loader=yamlio._StrictFastLoader), text)


@EXAMPLES
@given(st.one_of(st.lists(YAML_PIECES, max_size=16).map("".join),
                 YAMLISH.map(lambda value: yamlio.dump_round_trip(value) if value is not None else "")))
def test_direct_builder_matches_pyyaml_constructor(text: str) -> None:
    """yamlio builds documents without PyYAML's constructor for speed: same values, same errors."""
    import math

    if "&" in text:
        return  # text with an anchor goes through the constructor itself
    ours = _outcome(yamlio._load_c, text)
    try:
        expected = _reference_load(text)
    except (ValueError, IndexError, OverflowError):  # PyYAML's own crash on `!!int ` and the like
        assert ours[0] == "error", (text, ours)
        return

    def same(a, b) -> bool:
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        if type(a) is not type(b):
            return False
        if isinstance(a, dict):
            return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
        if isinstance(a, list):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        return a == b
    assert ours[0] == expected[0], (text, ours, expected)
    assert same(ours[1], expected[1]) if ours[0] == "value" else ours == expected, (text, ours, expected)


def test_direct_builder_matches_on_every_bundled_file() -> None:
    from tests.support import PROJECT

    files = [*PROJECT.glob("plans/*/plan.yaml"), *PROJECT.glob("plans/*/tasks/*.yaml"),
             *PROJECT.glob("tests/data/**/*.yaml")]
    assert len(files) > 550
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        if "&" not in text:
            assert _outcome(yamlio._load_c, text) == _reference_load(text), path


# Plain values shaped like the ones the validate fuzzer found the two YAML readers disagree on.
SCALAR_ALPHABET = st.sampled_from(list("0123456789_eE+-.:# \t'\"") + ["\x0b", "\x1b", "\u202e", "\u2028", "发", "年",
                                                                        "2019-02-30", "000_521e3", "yes", "null", "0x1F"])


@EXAMPLES
@given(st.lists(SCALAR_ALPHABET, min_size=1, max_size=8).map("".join))
@example("+08")  # text to YAML 1.1 (not octal), 8 to YAML 1.2: found by this test
@example("-09")
@example("000_521e3")
def test_what_validates_can_be_written_without_changing_other_fields(sample_repo: Path, value: str) -> None:
    """validate refuses whatever a writer would refuse: a task file with this value as a plain
    `category:` and a quoted `note:` either has errors, or takes a report with every other
    field reading the same afterwards."""
    import datetime as dt

    from duban.record.recording import _same_elsewhere, add_report
    from duban.validate.validation import check_task_text

    path = sample_repo / "plans/2019-changning/tasks/2.yaml"
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    text = path.read_text(encoding="utf-8").replace("category: 稳增长", f"category: {value}", 1).replace(
        "source:", f'progress:\n  - date: 2019-03-25\n    percent: 5\n    note: "{quoted}"\n    by: 金融办\nsource:', 1)
    if any(p.is_error for p in check_task_text(path, text)):
        return
    document = yamlio.load_round_trip(text, "t")  # the writer's reader: must not fail
    add_report(document, dt.date(2019, 4, 25), 10, status="in_progress", unit="金融办")
    written = yamlio.dump_round_trip(document)
    _same_elsewhere(text, written, ("progress", "status"), "t")  # raises when another field changed
