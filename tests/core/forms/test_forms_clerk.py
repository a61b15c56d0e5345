"""Forms tried as an office would: filled and saved by LibreOffice, in an English and in a
Chinese locale, the way a clerk types (full-width digits, 50%, ６５％, 4.5% against a target
in %, 1.2万, 6月24号, 2019/6/24, 6月24日), with a column widened and what a clerk tries on the
locked sheet (a locked cell typed into, a row deleted: LibreOffice refuses both). Every filled
figure arrives, or the form is refused at its file and cell with what to do."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from duban.i18n import set_language
from tests.core.forms.support import (
    COLLECTED,
    PLAN,
    SOFFICE,
    UNO_PYTHON,
    _env,
    collect,
    fill,
    problems,
    rows_of,
    write_june,
)
from tests.support import PROJECT, git

pytestmark = pytest.mark.skipif(
    not (
        Path(SOFFICE).exists() and subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
    ),
    reason="needs LibreOffice and its python3-uno: apt-get install libreoffice-calc python3-uno",
)


def libreoffice(locale: str, jobs: list[tuple[Path, Path, dict]]) -> list[dict]:
    """Each (form, saved, what the clerk types and tries) done in one LibreOffice of `locale`."""
    order = {
        "locale": locale,
        "jobs": [{"source": str(source), "target": str(target), "spec": spec} for source, target, spec in jobs],
    }
    for _source, target, _spec in jobs:
        target.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [UNO_PYTHON, str(PROJECT / "tests" / "libreoffice_fill.py"), "--jobs", json.dumps(order, ensure_ascii=False)],
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
        env={**env, "SOFFICE": SOFFICE},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def arrived(outcomes) -> set[tuple]:
    return {
        (
            o.action.ref.rsplit("/", 1)[1],
            o.action.percent,
            o.action.value,
            o.action.status,
            o.action.day.isoformat(),
            o.action.note,
        )
        for o in outcomes
        if o.recorded
    }


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_every_figure_a_clerk_types_in_libreoffice_arrives(
    may_repo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    locale: str,
) -> None:
    form = write_june(may_repo, tmp_path / "out", ("金融办",))["金融办"]
    (r1, i1), (r2, i2), (r3, i3), (r4, i4) = rows_of(form)[:4]
    assert (i1, i2) == ("1", "2")  # both with a target in %: the value cells
    # the day as each locale's LibreOffice keeps it: text in English (6月24号), a date in Chinese
    day = "6月24号" if locale == "en-US" else "2019/6/24"
    spec = {
        "cells": {
            "B3": day,
            f"G{r1}": "５０",
            f"H{r1}": "4.5%",
            f"J{r1}": "稳增长方案已印发",
            f"G{r2}": "50%",
            f"H{r2}": "５.２％",
            f"I{r2}": "受阻",
            f"K{r2}": "资金未到位",
            f"G{r4}": "６５％",
            f"J{r4}": "完成两项",
        },
        "try_locked": {f"B{r3}": "改过的任务名称"},
        "try_delete_rows": [r3],
        "widen": ["J", "C"],
    }
    saved = tmp_path / "back" / "金融办.xlsx"
    (seen,) = libreoffice(locale, [(form, saved, spec)])
    assert seen == {"protected": True, "locked_kept": [True], "rows_kept": [True]}
    sheet = load_workbook(saved)["报送表"]
    assert sheet.cell(row=r2, column=7).number_format.endswith("%")  # LibreOffice's own 50%
    assert sheet.column_dimensions["J"].width > 40  # widened from 26

    _env(monkeypatch, COLLECTED.isoformat())
    checked, outcomes = collect(may_repo, [saved])
    assert problems(checked) == []
    assert arrived(outcomes) == {
        (i1, 50.0, 4.5, None, "2019-06-24", "稳增长方案已印发"),
        (i2, 50.0, 5.2, "blocked", "2019-06-24", "存在问题：资金未到位"),
        (i4, 65.0, None, None, "2019-06-24", "完成两项"),
    }


@pytest.mark.slow
def test_what_libreoffice_keeps_but_cannot_be_read_is_refused_by_file_and_cell(may_repo: Path, tmp_path: Path) -> None:
    """A Chinese LibreOffice makes 6月24日 a date of the current year (the year the clerk types
    in, not the plan's); a percent in words; each refused where it is, saying what to do, and
    the same form retyped arrives."""
    form = write_june(may_repo, tmp_path / "out", ("金融办",))["金融办"]
    (r1, i1), (r2, _i2) = rows_of(form)[:2]
    yearless = tmp_path / "yearless" / "金融办.xlsx"
    worded = tmp_path / "worded" / "金融办.xlsx"
    libreoffice(
        "zh-CN",
        [
            (form, yearless, {"cells": {"B3": "6月24日", f"G{r1}": "50"}}),
            (
                form,
                worded,
                {"cells": {"B3": "2019年6月24日", f"G{r1}": "约五成", f"H{r2}": "4.5%左右", f"I{r2}": "基本完成"}},
            ),
        ],
    )
    assert load_workbook(yearless)["报送表"]["B3"].value.year == dt.date.today().year
    set_language("zh")
    before = git(may_repo, "rev-parse", "HEAD")
    checked, outcomes = collect(may_repo, [yearless, worded])
    assert outcomes == [] and git(may_repo, "rev-parse", "HEAD") == before
    assert problems(checked) == [
        f"金融办.xlsx!B3: 填报日期 {dt.date.today().year}年6月24日 不在本表的填报日期内（2019年4月25日至2019年9月25日）；"
        "只填月日时，电子表格会按当前年份补全，请连同年份填写，如2019年6月25日",
        f"金融办.xlsx!G{r1}: 完成进度 '约五成' 不是数字；请填0—100之间的数字，如50或50%",
        f"金融办.xlsx!H{r2}: 完成值 '4.5%左右' 不是数字；请只填数字，单位与数值目标相同，如1200或1.2万",
        f"金融办.xlsx!I{r2}: 状态 '基本完成' 不是 进行中、已完成、受阻、延期 之一；请从单元格的下拉列表中选择，或不填",
    ]
    # retyped with the year
    again = fill(yearless, tmp_path / "again" / "金融办.xlsx", {"B3": "2019年6月24日"})
    checked, outcomes = collect(may_repo, [again])
    assert problems(checked) == [] and arrived(outcomes) == {(i1, 50.0, None, None, "2019-06-24", None)}


def test_a_value_written_as_a_percent_against_a_target_in_other_units_is_refused(
    may_repo: Path, tmp_path: Path
) -> None:
    task = may_repo / "plans" / PLAN / "tasks" / "2.yaml"
    text = task.read_text(encoding="utf-8")
    assert "unit: '%'" in text
    task.write_text(text.replace("unit: '%'", "unit: 家"), encoding="utf-8")
    git(may_repo, "commit", "-q", "-am", "任务2的数值目标以家计")
    form = write_june(may_repo, tmp_path / "out", ("金融办",))["金融办"]
    (r1, _i1), (r2, i2) = rows_of(form)[:2]
    back = fill(
        form,
        tmp_path / "back" / "金融办.xlsx",
        {"B3": "2019-06-24", f"G{r1}": "50", f"H{r1}": "4.5%", f"G{r2}": "60", f"H{r2}": "12%"},
    )
    checked, outcomes = collect(may_repo, [back])
    assert outcomes == []
    assert problems(checked) == [
        f"金融办.xlsx!H{r2}: 完成值 was written as a percent, but the target of task {i2} "
        "is counted in 家: write the figure in 家"
    ]
