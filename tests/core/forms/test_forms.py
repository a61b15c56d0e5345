"""Forms out, forms back (duban/forms/): a month of Changning reported on forms, by every unit,
gives the same record, circular and ledger as the same reports typed with `duban progress`;
tampered, mismatched, half-filled, corrected and withdrawn forms are refused or partly taken
as collect.py's docstring and docs/guide/forms.md say. Real git repositories in temp dirs."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from duban.forms.contents import choose_deadline
from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.store.repository import Repository
from tests.core.forms.support import (
    COLLECTED,
    PLAN,
    SOFFICE,
    UNO_PYTHON,
    WRITTEN,
    _env,
    _history,
    collect,
    fill,
    problems,
    rows_of,
    write_june,
)
from tests.support import PROJECT, git

# ---- the month, every unit ------------------------------------------------------------------

TYPED_DATES = ["2019年6月{d}日", "６月{D}日", "6/{d}", "2019-06-{d:02d}", "date"]
TYPED_PERCENTS = ["{p}", "{p}%", "full", "number"]


def _full_width(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def plan_month(forms: dict[str, Path]) -> tuple[dict[str, dict[str, object]], list[tuple]]:
    """For every unit's form: the cells a clerk types (every third row, a date in one of the
    ways clerks write it), and the reports they stand for, in the order collect records them."""
    fills: dict[str, dict[str, object]] = {}
    expected: list[tuple] = []
    for index, (unit, path) in enumerate(sorted(forms.items(), key=lambda item: item[1].name)):
        day = 10 + index % 15
        form_style = TYPED_DATES[index % len(TYPED_DATES)]
        typed_date: object = (
            dt.datetime(2019, 6, day) if form_style == "date" else form_style.format(d=day, D=_full_width(str(day)))
        )
        cells: dict[str, object] = {"B3": typed_date}
        sheet = load_workbook(path)["报送表"]
        for number, (row, task_id) in enumerate(rows_of(path)):
            if number % 3:
                continue
            percent = 5 + (7 * index + 11 * number) % 90
            style = TYPED_PERCENTS[(index + number) % len(TYPED_PERCENTS)]
            cells[f"G{row}"] = (
                percent
                if style == "number"
                else _full_width(str(percent))
                if style == "full"
                else style.format(p=percent)
            )
            progress = f"{unit}推进第{task_id}项"
            note = progress
            status = None
            if number % 2 == 0:
                cells[f"K{row}"] = "资金未到位"
                cells[f"L{row}"] = "下月完成招标"
                note = f"{progress}。存在问题：资金未到位；下步计划：下月完成招标"
            if (index + number) % 5 == 0:
                cells[f"I{row}"] = "受阻"
                status = "blocked"
            cells[f"J{row}"] = progress
            value = None
            if sheet.cell(row=row, column=8).protection.locked is False:
                cells[f"H{row}"] = "1.5"
                value = 1.5
            expected.append((f"{PLAN}/{task_id}", float(percent), note, status, f"2019-06-{day:02d}", unit, value))
        fills[unit] = cells
    return fills, expected


def _documents(root: Path) -> tuple[str, str, str]:
    from duban.supervise.circular.building import build
    from duban.supervise.circular.rendering import to_markdown
    from duban.supervise.export.formats import export
    from duban.supervise.selection import select

    repo = Repository(root)
    circular = to_markdown(build(repo, "2019-06", PLAN))
    selection = select(repo, [PLAN], "2019-06-30")
    _ledger, csv = export(selection, selection.tasks, "csv", None, plan_id=PLAN)
    _ledger, md = export(selection, selection.tasks, "md", None, plan_id=PLAN)
    return circular, csv or "", md or ""


@pytest.mark.slow  # a month of forms written, filled and collected
def test_a_month_of_forms_gives_the_record_typed_reports_give(
    may_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forms = write_june(may_repo, tmp_path / "out")
    assert len(forms) >= 50  # every unit that leads or supports an open task, collectives aside
    fills, expected = plan_month(forms)
    assert len(expected) >= len(forms) + 50  # every unit reports, on every third row of its form
    returned = tmp_path / "returned"
    for unit, cells in fills.items():
        fill(forms[unit], returned / forms[unit].name, cells)
    typed = tmp_path / "typed"
    shutil.copytree(may_repo, typed, symlinks=True)

    _env(monkeypatch, COLLECTED.isoformat())
    checked, outcomes = collect(may_repo, [returned])
    assert problems(checked) == []
    assert [o.error for o in outcomes if o.error] == []
    got = [
        (
            o.action.ref,
            o.action.percent,
            o.action.note,
            o.action.status,
            o.action.day.isoformat(),
            o.action.unit,
            o.action.value,
        )
        for o in outcomes
    ]
    assert got == expected

    repo = Repository(typed)
    for ref, percent, note, status, day, unit, value in expected:
        record_progress(repo, ref, percent, note=note, status=status, date=day, by=unit, value=value, today=COLLECTED)

    for path in sorted((typed / "plans" / PLAN / "tasks").iterdir()):
        assert (may_repo / "plans" / PLAN / "tasks" / path.name).read_bytes() == path.read_bytes(), path.name
    assert _history(may_repo) == _history(typed)
    assert _documents(may_repo) == _documents(typed)
    # every recorded commit names its form
    log = git(may_repo, "log", "--format=%(trailers:key=Form,valueonly)", "-n", str(len(expected)))
    assert {line for line in log.splitlines() if line} == {forms[u].name for u in fills if len(fills[u]) > 1}


@pytest.mark.slow
@pytest.mark.skipif(
    not (
        Path(SOFFICE).exists() and subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
    ),
    reason="needs LibreOffice and its python3-uno: apt-get install libreoffice-calc python3-uno",
)
def test_a_form_typed_into_and_saved_by_libreoffice_is_read(
    may_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forms = write_june(may_repo, tmp_path / "out", ("金融办",))
    rows = rows_of(forms["金融办"])
    (row1, id1), (row2, id2), (row3, id3), (row4, id4) = rows[:4]
    spec = {
        "cells": {
            "B3": "2019年6月24日",
            f"G{row1}": "５０",
            f"J{row1}": "稳增长方案已印发",
            f"G{row2}": "50%",
            f"K{row2}": "资金未到位",
            f"I{row2}": "受阻",
            f"G{row4}": "６５",
            f"J{row4}": "完成两项",
        },
        "delete_rows": [row3],
        "widen": ["J", "C"],
    }
    saved = tmp_path / "back" / "金融办.xlsx"
    saved.parent.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    subprocess.run(
        [
            UNO_PYTHON,
            str(PROJECT / "tests" / "libreoffice_fill.py"),
            str(forms["金融办"]),
            str(saved),
            json.dumps(spec, ensure_ascii=False),
        ],
        check=True,
        timeout=240,
        env={**env, "SOFFICE": SOFFICE},
    )
    book = load_workbook(saved)
    assert book["报送表"].cell(row=row2, column=7).number_format.endswith("%")  # LibreOffice's own 50%
    assert id3 not in [str(c.value) for c in book["报送表"]["A"]]  # the row is gone

    _env(monkeypatch, COLLECTED.isoformat())
    checked, outcomes = collect(may_repo, [saved])
    assert problems(checked) == []
    got = {
        (o.action.ref.rsplit("/", 1)[1], o.action.percent, o.action.status, o.action.day.isoformat())
        for o in outcomes
        if o.recorded
    }
    assert got == {
        (id1, 50.0, None, "2019-06-24"),
        (id2, 50.0, "blocked", "2019-06-24"),
        (id4, 65.0, None, "2019-06-24"),
    }


# ---- refused, partly taken, recognised --------------------------------------------------------


def _one_form(root: Path, tmp_path: Path, unit: str = "财政局") -> tuple[Path, list[tuple[int, str]]]:
    path = write_june(root, tmp_path / "out", (unit,))[unit]
    return path, rows_of(path)


def _head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def test_out_of_range_and_unreadable_cells_refuse_the_whole_form(may_repo: Path, tmp_path: Path) -> None:
    path, rows = _one_form(may_repo, tmp_path)
    (r1, _i1), (r2, _i2), (r3, _i3) = rows[:3]
    back = fill(
        path,
        tmp_path / "back" / "财政局.xlsx",
        {"B3": "2019-06-24", f"G{r1}": "40", f"G{r2}": 120, f"G{r3}": "五成", f"I{r3}": "差不多"},
    )
    before = _head(may_repo)
    checked, outcomes = collect(may_repo, [back])
    assert problems(checked) == [
        f"财政局.xlsx!G{r2}: 完成进度 120 is outside 0–100; write a number from 0 to 100, such as 50 or 50%",
        f"财政局.xlsx!G{r3}: 完成进度 '五成' is not a number; write a number from 0 to 100, such as 50 or 50%",
        f"财政局.xlsx!I{r3}: 状态 '差不多' is not one of 进行中、已完成、受阻、延期; pick one from the cell's drop-down "
        "list, or leave it empty",
    ]
    assert outcomes == [] and _head(may_repo) == before


def test_problems_are_in_chinese_by_file_and_cell(may_repo: Path, tmp_path: Path) -> None:
    from duban.i18n import set_language

    path, rows = _one_form(may_repo, tmp_path)
    back = fill(path, tmp_path / "back" / "财政局.xlsx", {"B3": "2019-06-24", f"G{rows[0][0]}": "120"})
    set_language("zh")
    checked, _outcomes = collect(may_repo, [back])
    assert problems(checked) == [f"财政局.xlsx!G{rows[0][0]}: 完成进度 120 超出 0–100；请填0—100之间的数字，如50或50%"]


def test_a_tampered_form_is_refused(may_repo: Path, tmp_path: Path) -> None:
    path, rows = _one_form(may_repo, tmp_path)
    r1 = rows[0][0]
    base = {"B3": "2019-06-24", f"G{r1}": "40"}
    # a fixed cell changed: the task's title
    changed = fill(path, tmp_path / "a" / "财政局.xlsx", {**base, f"B{r1}": "另一项任务"})
    # a cell filled outside the input area, below the table
    outside = fill(path, tmp_path / "b" / "财政局.xlsx", {**base, "N3": "已审核"})
    # the hidden block edited to make the form another unit's
    book = load_workbook(path)
    book["duban"]["B4"] = "税务局"
    book["报送表"]["B3"], book["报送表"][f"G{r1}"] = "2019-06-24", "40"
    forged = tmp_path / "c" / "财政局.xlsx"
    forged.parent.mkdir()
    book.save(forged)
    # a row for a task the form never asked about (copied in below the others)
    foreign = fill(
        path, tmp_path / "d" / "财政局.xlsx", {**base, f"A{rows[-1][0] + 1}": "59", f"G{rows[-1][0] + 1}": "30"}
    )
    before = _head(may_repo)
    for bad, expected in ((changed, f"B{r1}"), (outside, "N3"), (forged, None), (foreign, f"A{rows[-1][0] + 1}")):
        checked, outcomes = collect(may_repo, [bad])
        assert checked[0].refused and outcomes == [], bad
        assert checked[0].form.problems[0].cell == expected, problems(checked)
    assert _head(may_repo) == before


def test_a_mismatched_form_is_refused(may_repo: Path, tmp_path: Path) -> None:
    path, rows = _one_form(may_repo, tmp_path)
    back = fill(path, tmp_path / "back" / "财政局.xlsx", {"B3": "2019-06-24", f"G{rows[0][0]}": "40"})
    renamed = tmp_path / "renamed" / "税务局.xlsx"
    renamed.parent.mkdir()
    shutil.copy(back, renamed)
    before = _head(may_repo)
    for paths, options, words in (
        ([back], {"period": "2019-07"}, "not of 2019年7月"),
        ([back], {"plan_id": "2019-shangcheng"}, "not of 2019-shangcheng"),
        ([back], {"unit": "税务局"}, "not of 税务局"),
        ([renamed], {}, "named for 税务局"),
    ):
        checked, outcomes = collect(may_repo, paths, **options)
        assert outcomes == [] and words in problems(checked)[0], problems(checked)
    # a form of another office (another key) is refused by its signature
    (may_repo / ".git" / "duban-forms.key").write_text("00" * 32 + "\n")
    checked, outcomes = collect(may_repo, [back])
    assert outcomes == [] and "signature" in problems(checked)[0]
    assert _head(may_repo) == before


@pytest.mark.slow
def test_a_half_filled_form_records_its_filled_rows(may_repo: Path, tmp_path: Path) -> None:
    path, rows = _one_form(may_repo, tmp_path, "金融办")  # 金融办 reported on task 1 in May (30%)
    by_id = {task_id: row for row, task_id in rows}
    other = next(task_id for _row, task_id in rows if task_id != "1")
    # text only on task 1: the unit's own last percent; empty rows: no report
    back = fill(
        path,
        tmp_path / "back" / "金融办.xlsx",
        {"B3": "６月２０日", f"J{by_id['1']}": "方案已印发", f"G{by_id[other]}": "10%"},
    )
    checked, outcomes = collect(may_repo, [back])
    assert problems(checked) == []
    assert [(o.action.ref, o.action.percent, o.action.day) for o in outcomes] == [
        (f"{PLAN}/1", 30.0, dt.date(2019, 6, 20)),
        (f"{PLAN}/{other}", 10.0, dt.date(2019, 6, 20)),
    ]
    assert all(o.recorded for o in outcomes)
    # text only where the unit never reported: refused whole, nothing recorded
    third = next(task_id for _row, task_id in rows if task_id not in ("1", other))
    again = fill(
        path,
        tmp_path / "again" / "金融办.xlsx",
        {"B3": "2019-06-21", f"G{by_id[other]}": "20", f"J{by_id[third]}": "已启动"},
    )
    before = _head(may_repo)
    checked, outcomes = collect(may_repo, [again])
    assert [p.cell for p in checked[0].form.problems] == [f"G{by_id[third]}"] and outcomes == []
    assert _head(may_repo) == before
    # no report date: refused at the date cell, unless --date gives one
    undated = fill(path, tmp_path / "undated" / "金融办.xlsx", {f"G{by_id[other]}": "25"})
    checked, outcomes = collect(may_repo, [undated])
    assert [p.cell for p in checked[0].form.problems] == ["B3"] and outcomes == []
    checked, outcomes = collect(may_repo, [undated], date=dt.date(2019, 6, 22))
    assert [o.action.day for o in outcomes if o.recorded] == [dt.date(2019, 6, 22)]
    # a date after the day of collection
    late = fill(path, tmp_path / "late" / "金融办.xlsx", {"B3": "2019-06-28", f"G{by_id[other]}": "30"})
    checked, outcomes = collect(may_repo, [late])
    assert "after the day of collection" in problems(checked)[0] and outcomes == []


@pytest.mark.slow
def test_a_form_sent_twice_and_a_corrected_one(may_repo: Path, tmp_path: Path) -> None:
    path, rows = _one_form(may_repo, tmp_path)
    (r1, i1), (r2, i2) = rows[:2]
    first = fill(
        path,
        tmp_path / "first" / "财政局.xlsx",
        {"B3": "2019-06-20", f"G{r1}": "40", f"J{r1}": "推进中", f"G{r2}": "20"},
    )
    checked, outcomes = collect(may_repo, [first])
    assert len([o for o in outcomes if o.recorded]) == 2
    head = _head(may_repo)
    # the same file again, under another name too: nothing recorded twice
    copy = tmp_path / "copy" / "财政局(1).xlsx"
    copy.parent.mkdir()
    shutil.copy(first, copy)
    checked, outcomes = collect(may_repo, [first, copy])
    assert outcomes == [] and all(c.collected_in for c in checked) and _head(may_repo) == head
    # corrected: row 2's percent changes, row 1 is as before
    corrected = fill(first, tmp_path / "corrected" / "财政局.xlsx", {f"G{r2}": "25"})
    checked, outcomes = collect(may_repo, [corrected])
    assert [(a.ref, a.kind) for a in checked[0].actions] == [(f"{PLAN}/{i1}", "same"), (f"{PLAN}/{i2}", "correct")]
    assert len(outcomes) == 1 and outcomes[0].withdrawn and outcomes[0].recorded
    task = Repository(may_repo).resolve(f"{PLAN}/{i2}")
    assert [(r.date.isoformat(), r.percent) for r in task.progress if r.by == "财政局"] == [("2019-06-20", 25.0)]
    subjects = git(may_repo, "log", "--format=%s", "-n", "2").splitlines()
    assert "撤回 2019-06-20 的报送 财政局 · " in subjects[1] and "25%" in subjects[0]


def test_a_row_on_a_task_withdrawn_since_is_not_recorded(
    may_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, rows = _one_form(may_repo, tmp_path)
    (r1, i1), (r2, i2) = rows[:2]
    set_fields(Repository(may_repo), f"{PLAN}/{i1}", ["status=cancelled"])
    back = fill(path, tmp_path / "back" / "财政局.xlsx", {"B3": "2019-06-24", f"G{r1}": "40", f"G{r2}": "30"})
    checked, outcomes = collect(may_repo, [back])
    assert problems(checked) == []
    assert [n.message for n in checked[0].notes] == [f"task {i1} was cancelled; this row is not recorded"]
    assert [o.action.ref for o in outcomes if o.recorded] == [f"{PLAN}/{i2}"]


@pytest.mark.slow
def test_missing_lists_the_units_that_returned_nothing(may_repo: Path, tmp_path: Path) -> None:
    from duban.forms.contents import missing

    repo = Repository(may_repo)
    deadline = choose_deadline(repo.plan(PLAN), WRITTEN, "2019-06")
    before = {m.unit: m for m in missing(repo, PLAN, deadline)}
    assert "财政局" in before and len(before["财政局"].unreported) == before["财政局"].rows
    path, rows = _one_form(may_repo, tmp_path)
    back = fill(
        path, tmp_path / "back" / "财政局.xlsx", {"B3": "2019-06-24", **{f"G{row}": "10" for row, _task_id in rows}}
    )
    collect(may_repo, [back])
    after = {m.unit for m in missing(Repository(may_repo), PLAN, deadline)}
    assert "财政局" not in after and set(before) - after == {"财政局"}


def test_a_form_whose_sheet_was_rearranged_is_refused_at_the_cell(may_repo: Path, tmp_path: Path) -> None:
    """The sheet's own checks, each naming its cell: a task's row copied in twice, a date that is
    not one, the 序号 or 完成进度 header cleared, the heading deleted."""
    path, rows = _one_form(may_repo, tmp_path)
    (r1, id1), last = rows[0], rows[-1][0]
    sheet = load_workbook(path)["报送表"]
    header = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "序号").row
    percent = next(cell for cell in sheet[header] if cell.value == "完成进度(%)").column_letter
    task_rows = {row for row, _id in rows}
    instructions = max(
        (
            cell
            for row in sheet.iter_rows()
            for cell in row
            if cell.value not in (None, "") and cell.row not in task_rows
        ),
        key=lambda cell: (cell.row, cell.column),
    )
    base = {"B3": "2019-06-24", f"G{r1}": "40"}
    cases = {
        "twice": (
            {**base, f"A{last + 1}": id1, f"G{last + 1}": "50"},
            f"财政局.xlsx!A{last + 1}: task {id1} is on the form twice (rows {r1} and {last + 1})",
        ),
        "date": ({**base, "B3": "某天"}, "财政局.xlsx!B3: 填报日期 '某天' is not a date"),
        "no id header": ({**base, f"A{header}": None}, "财政局.xlsx: the header row (序号, 任务名称, …) is missing"),
        "no percent header": (
            {**base, f"{percent}{header}": None},
            f"财政局.xlsx!A{header}: the column 完成进度(%) is missing",
        ),
        "heading": (
            {**base, "A1": None},
            "财政局.xlsx!A2: '填报单位：财政局 报送期：2019年6月 报送…' is outside the input area "
            "(the form's heading); only the yellow cells are filled in",
        ),
        "instructions": (
            {**base, instructions.coordinate: None},
            "财政局.xlsx: the form's heading or instructions were deleted",
        ),
    }
    before = _head(may_repo)
    for name, (cells, expected) in cases.items():
        checked, outcomes = collect(may_repo, [fill(path, tmp_path / name / "财政局.xlsx", cells)])
        assert outcomes == [] and checked[0].refused, name
        assert problems(checked)[0] == expected, (name, problems(checked))
    assert _head(may_repo) == before
