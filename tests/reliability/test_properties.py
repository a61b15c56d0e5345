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
from duban.store import yaml_loader, yaml_round_trip, yamlio
from duban.supervise.query import parse
from duban.supervise.query_tokens import QueryError
from duban.validate.validation import validate
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
QUERY_ALPHABET = st.sampled_from(
    list(string.ascii_letters + string.digits + ' :<>=!-()"%.、发改委经济')
    + ["lead:", "OR", "type:", "due<", "percent>", "has:", "light:", "-("]
)
# 300 examples each in the normal run; DUBAN_DEEP=1 tries 5,000 each.
EXAMPLES = settings(
    max_examples=5000 if os.environ.get("DUBAN_DEEP") else 300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@EXAMPLES
@given(st.lists(QUERY_ALPHABET, max_size=12).map("".join))
def test_query_parser_raises_only_query_errors(query: str) -> None:
    try:
        parse(query)
    except QueryError as error:
        assert 1 <= error.column <= max(len(query), 1) + 1 and error.reason


# Whole terms, Chinese words and full-width forms, nested and negated to any depth: the
# fuzzing that found RecursionError at ~500 levels of "(" (reliability audit L1).
TERMS = st.sampled_from(
    [
        "lead:fgw",
        "状态:进行中",
        "light：红",
        "灯:黄",
        "type:Ａ",
        "percent＜50",
        "percent>=10",
        "due<2019-06-30",
        "late:是",
        "has:节点目标",
        "--lead:fgw",
        "-status:done",
        "牵头：发改委",
        "area:jjfz",
        "“两个 优先”",
        "白皮书",
        "plan:2019",
        "unit:科委",
        "by:金融办",
        "or",
        "或",
        "OR",
        "（",
        "）",
        "-(",
        "：",
        "\u3000",
        "lead:不存在",
        "status:延",
        "light:h",
        "-",
        '"',
    ]
)
NESTED = st.recursive(
    TERMS,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4).map(" ".join),
        inner.map(lambda q: f"({q})"),
        inner.map(lambda q: f"-({q})"),
        inner.map(lambda q: f"（{q}）"),
        st.tuples(inner, inner).map(lambda pair: f"{pair[0]} OR {pair[1]}"),
    ),
    max_leaves=30,
)


@pytest.mark.slow
@EXAMPLES
@given(
    st.one_of(
        NESTED,
        st.integers(0, 700).map(lambda depth: "(" * depth + "a" + ")" * (depth % 3)),
        st.integers(0, 700).map(lambda depth: "-(" * depth + "lead:fgw"),
        st.lists(QUERY_ALPHABET | TERMS, max_size=30).map("".join),
    )
)
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
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                ["id", "title", "text", "area", "lead", "status", "progress", "date", "percent", "source", "x"]
            ),
            children,
            max_size=6,
        ),
    ),
    max_leaves=20,
)


@pytest.mark.slow
@EXAMPLES
@given(st.one_of(TEXT, YAMLISH.map(lambda value: yaml_round_trip.dump_round_trip(value) if value is not None else "")))
def test_validator_reports_problems_never_raises(tmp_path_factory, text: str) -> None:
    root = tmp_path_factory.mktemp("repo")
    import shutil

    shutil.copytree(SAMPLE / "plans", root / "plans")
    (root / "plans/2019-changning/tasks/9.yaml").write_text(text, encoding="utf-8")
    report = validate([root / "plans/2019-changning/tasks/9.yaml"])
    for problem in report.problems:
        assert problem.message and problem.rule
        if problem.rule in (
            "yaml-syntax",
            "duplicate-key",
            "yaml-tab",
            "yaml-alias",
            "yaml-tag",
            "unknown-unit",
            "unknown-area",
            "schema.type",
            "schema.enum",
            "date",
        ):
            assert problem.line is not None, problem


@pytest.mark.slow
@EXAMPLES
@given(
    st.lists(
        st.one_of(
            TEXT,
            st.sampled_from(
                [
                    "一、经济发展",
                    "(一)产业",
                    "1、任务。(牵头单位:发改委;责任单位:经委)",
                    "▲子项。(责任单位:财政局)",
                    "牵头单位:市发改委",
                    "责任单位:各县(市、区)政府",
                    "序号 | 任务名称 | 指标要求 | 牵头部门 | 配合部门 |",
                    "1 | 甲 | 乙 | 丙 | 丁 |",
                    "主要预期目标是:生产总值增长8%;财政收入118亿元。",
                    "第一季度",
                    "序号",
                ]
            ),
        ),
        max_size=25,
    ).map("\n".join)
)
def test_importer_raises_only_duban_errors(text: str) -> None:
    try:
        import_document(Path("x.txt"), "2019-x", document=document_from_text(text, "x.txt"))
    except DubanError as error:
        assert str(error)


@pytest.mark.slow
@EXAMPLES
@given(YAMLISH, YAMLISH, YAMLISH)
def test_merge_driver_always_returns_text(base, ours, theirs) -> None:
    texts = [yaml_round_trip.dump_round_trip(v) if isinstance(v, (dict, list)) else "" for v in (base, ours, theirs)]
    result = merge_texts(*texts)
    assert isinstance(result.text, str) and (result.clean or result.conflicts)


YAML_PIECES = st.sampled_from(
    [
        "a: ",
        "b: ",
        "- ",
        "  ",
        "\n",
        "0x1F",
        "0o17",
        "1_000",
        "190:20:30",
        "-1.5e3",
        ".inf",
        "-.NaN",
        "yes",
        "Off",
        "~",
        "null",
        "2019-02-30",
        "2019-03-25",
        "!!str ",
        "!!int ",
        "!!set ",
        "!!binary ",
        "? ",
        "[a, 1]",
        "{a: 1}",
        "<<: ",
        "= ",
        "&x ",
        "*x",
        "'q'",
        '"d\\u4e00"',
        "|\n  ",
        "发改委",
        "# c",
        ":",
        ",",
        "[",
        "{",
        "---\n",
    ]
)


def _outcome(load, text: str):
    import yaml

    try:
        return ("value", load(text))
    except yaml.YAMLError as error:
        return ("error", getattr(error, "problem", None), str(getattr(error, "problem_mark", "")))


def _reference_load(text: str):
    """PyYAML's own constructor with duban's strict rules, the path _build replaces."""
    import yaml

    return _outcome(lambda t: yaml.load(t, Loader=yaml_loader.StrictFastLoader), text)


@pytest.mark.slow
@EXAMPLES
@given(
    st.one_of(
        st.lists(YAML_PIECES, max_size=16).map("".join),
        YAMLISH.map(lambda value: yaml_round_trip.dump_round_trip(value) if value is not None else ""),
    )
)
@example("? a: !!int ")  # a mapping as a key, whose value cannot be built: PyYAML refuses the key first
def test_direct_builder_matches_pyyaml_constructor(text: str) -> None:
    """yamlio builds documents without PyYAML's constructor for speed: same values, same errors."""
    import math

    if "&" in text:
        return  # text with an anchor goes through the constructor itself
    ours = _outcome(yaml_loader.load_c, text)
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

    files = [
        *PROJECT.glob("plans/*/plan.yaml"),
        *PROJECT.glob("plans/*/tasks/*.yaml"),
        *PROJECT.glob("tests/data/**/*.yaml"),
    ]
    assert len(files) > 550
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        if "&" not in text:
            assert _outcome(yaml_loader.load_c, text) == _reference_load(text), path


# Plain values shaped like the ones the validate fuzzer found the two YAML readers disagree on.
SCALAR_ALPHABET = st.sampled_from(
    list("0123456789_eE+-.:# \t'\"")
    + ["\x0b", "\x1b", "\u202e", "\u2028", "发", "年", "2019-02-30", "000_521e3", "yes", "null", "0x1F"]
)


@pytest.mark.slow
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

    from duban.record.task_document import add_report
    from duban.record.writer import same_elsewhere
    from duban.validate.validation import check_task_text

    path = sample_repo / "plans/2019-changning/tasks/2.yaml"
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    text = (
        path.read_text(encoding="utf-8")
        .replace("category: 稳增长", f"category: {value}", 1)
        .replace(
            "source:",
            f'progress:\n  - date: 2019-03-25\n    percent: 5\n    note: "{quoted}"\n    by: 金融办\nsource:',
            1,
        )
    )
    if any(p.is_error for p in check_task_text(path, text)):
        return
    document = yaml_round_trip.load_round_trip(text, "t")  # the writer's reader: must not fail
    add_report(document, dt.date(2019, 4, 25), 10, status="in_progress", unit="金融办")
    written = yaml_round_trip.dump_round_trip(document)
    same_elsewhere(text, written, ("progress", "status"), "t")  # raises when another field changed


# What the two YAML readers were seen to read differently when put anywhere in a file (audit N7), and
# their neighbours, which both read alike.
SEPARATORS = st.sampled_from(
    [
        "\t",
        " \t",
        "\t ",
        "\ufeff",
        "\ufeff ",
        "\u2028",
        "\u2029",
        "\x85",
        "\r",
        "\r\n",
        " ",
        "\u3000",
        "\xa0",
        "#",
        ":",
        "- ",
    ]
)


@pytest.mark.slow
@EXAMPLES
@given(st.data())
def test_what_validates_with_a_separator_anywhere_can_be_written(sample_repo: Path, data: st.DataObject) -> None:
    """One rule for validate and the writer (store/writable.py): a task file with a separator
    put anywhere either has errors, or takes a report with every other field reading the same."""
    import datetime as dt

    from duban.record.task_document import add_report
    from duban.record.writer import same_elsewhere
    from duban.store import writable
    from duban.validate.validation import check_task_text

    path = sample_repo / "plans/2019-changning/tasks/2.yaml"
    text = path.read_text(encoding="utf-8")
    pieces = data.draw(st.lists(st.tuples(st.integers(0, len(text)), SEPARATORS), min_size=1, max_size=3))
    for offset, piece in sorted(pieces, reverse=True):
        text = text[:offset] + piece + text[offset:]
    if any(p.is_error for p in check_task_text(path, text)):
        return
    text = text.replace("\r\n", "\n")  # as the writer reads it
    writable.check(text, "t")  # the writer's own question: must not refuse
    document = yaml_round_trip.load_round_trip(text, "t")
    add_report(document, dt.date(2019, 4, 25), 10, status="in_progress", unit="金融办")
    same_elsewhere(text, yaml_round_trip.dump_round_trip(document), ("progress", "status"), "t")


# -- seal attacks --------------------------------------------------------------------------------
# Random runs of a unit's reports (some typed in after the deadline, some with every git date
# forged), the office's syncs and seal (on time or late), and a hostile unit's seal attacks
# (moved, replaced unsigned, signed with its own key, copied from another name, deleted on the
# remote or here, pre-created), in real clones of one bare remote with the office's ssh key
# named in .duban/seal-signers. The property: in every clone and in a fresh clone, a report
# typed in after the seal and dated by the deadline is either listed as entered late, or
# `verify` names something. 6 runs normally, 60 with DUBAN_DEEP=1 (each builds real clones).
SEAL_RUNS = settings(
    max_examples=60 if os.environ.get("DUBAN_DEEP") else 6,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SEAL_STEPS = st.lists(
    st.sampled_from(
        [
            "report",
            "report",
            "forged report",
            "unit sync",
            "office sync",
            "move",
            "unsigned",
            "own key",
            "copy name",
            "delete remote",
            "delete here",
            "pre-create",
            "wait",
        ]
    ),
    min_size=3,
    max_size=9,
)


@pytest.mark.slow
@pytest.mark.skipif(
    __import__("shutil").which("ssh-keygen") is None, reason="needs ssh-keygen: apt-get install openssh-client"
)
@SEAL_RUNS
@given(steps=SEAL_STEPS, seal_at=st.integers(0, 8), late_by=st.integers(0, 3))
def test_seal_attacks_never_make_a_late_report_look_on_time(
    tmp_path_factory, steps: list[str], seal_at: int, late_by: int
) -> None:
    import datetime as dt

    from tests.seal_world import OFFICE, PLAN, make_world

    monkeypatch = pytest.MonkeyPatch()
    try:
        world = make_world(tmp_path_factory.mktemp("seals"), monkeypatch, signed=True)
        tag = f"duban/seal/{PLAN}/2019-04-25"
        day = dt.date(2019, 4, 20)
        sealed_on: dt.date | None = None
        typed_after_seal: list[str] = []  # report dates typed in after the seal was made
        seal_step = min(seal_at, len(steps))
        counter = 0
        for index, step in enumerate([*steps[:seal_step], "seal", *steps[seal_step:], "unit sync", "office sync"]):
            counter += 1
            if step == "wait":
                day += dt.timedelta(days=1)
            elif step == "seal":
                day = max(day, dt.date(2019, 4, 25) + dt.timedelta(days=late_by))
                try:
                    world.sync(world.office, day.isoformat(), OFFICE)
                    world.seal("2019-04-25", day.isoformat(), late=day > dt.date(2019, 4, 25))
                    sealed_on = day
                except DubanError:
                    pass  # a tag the office did not make is there: refused, and named below
            elif step in ("report", "forged report"):
                date = (dt.date(2019, 4, 1) + dt.timedelta(days=counter % 25)).isoformat()
                env_day = date if step == "forged report" else day.isoformat()
                try:
                    world.report(env_day, float(counter % 100), date, note=f"r{index}")
                except DubanError:
                    continue  # out of date order for this unit: refused, as it should be
                if sealed_on is not None:
                    typed_after_seal.append(date)
            elif step == "unit sync":
                try:
                    world.sync(world.unit, day.isoformat())
                except DubanError:
                    pass
            elif step == "office sync":
                try:
                    world.sync(world.office, day.isoformat(), OFFICE)
                except DubanError:
                    pass
            else:
                _seal_attack(world, step, tag, day.isoformat())
        for where in (world.office, world.unit, world.clone("fresh")):
            findings = world.verify(where, (day + dt.timedelta(days=1)).isoformat())
            listed = [date for ref, date in world.entered_late(where) if ref == f"{PLAN}/2"]
            task_dates = {r.date.isoformat() for r in world.repo(where).resolve(f"{PLAN}/2").progress}
            for date in typed_after_seal:
                if date in task_dates and date <= "2019-04-25":
                    assert findings or date in listed, (where.name, date, listed, findings)
    finally:
        monkeypatch.undo()


def _seal_attack(world, step: str, tag: str, day: str) -> None:
    from tests.seal_world import PLAN, UNIT
    from tests.support import git

    message = f"督办 报送截止封存 {PLAN} 2019-04-25\n\nPlan: {PLAN}\nDeadline: 2019-04-25\n"
    exists = bool(git(world.unit, "tag", "-l", tag).strip())
    with world.acting(UNIT, day):
        if step == "move" and exists:
            git(world.unit, "tag", "-f", "-a", "-m", message, tag, "HEAD")
            git(world.unit, "push", "-q", "-f", "origin", f"refs/tags/{tag}")
        elif step == "unsigned" or step == "pre-create" and not exists:
            git(world.unit, "tag", "-f", "-a", "-m", message, tag, "HEAD")
            git(world.unit, "push", "-q", "-f", "origin", f"refs/tags/{tag}")
        elif step == "own key":
            git(
                world.unit,
                "-c",
                "gpg.format=ssh",
                "-c",
                f"user.signingkey={world.unit_key}",
                "tag",
                "-f",
                "-s",
                "-m",
                message,
                tag,
                "HEAD",
            )
            git(world.unit, "push", "-q", "-f", "origin", f"refs/tags/{tag}")
        elif step == "copy name" and exists:
            other = f"duban/seal/{PLAN}/2019-03-25"
            git(
                world.unit, "update-ref", f"refs/tags/{other}", git(world.unit, "rev-parse", f"refs/tags/{tag}").strip()
            )
            git(world.unit, "push", "-q", "-f", "origin", f"refs/tags/{other}")
        elif step == "delete remote":
            subprocess_run = __import__("subprocess").run
            subprocess_run(["git", "push", "-q", "origin", f":refs/tags/{tag}"], cwd=world.unit, capture_output=True)
        elif step == "delete here" and exists:
            git(world.unit, "tag", "-d", tag)
        elif step not in ("move", "copy name", "delete here", "pre-create"):
            raise AssertionError(step)
