"""What the forms tests share: Changning with May's reports in a git repository, June's forms
written, filled (by openpyxl) and collected, read back row by row, and LibreOffice where it is installed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from duban.forms.collect import check, read_forms, record
from duban.forms.contents import choose_deadline, unit_forms
from duban.forms.writer import write_forms
from duban.record.recording import record_progress
from duban.store.repository import Repository
from tests.office_fixtures import CLERK_MONTHS, OFFICE_WORDS, at
from tests.support import GIT_ENV, PROJECT, git

PLAN = "2019-changning"
WRITTEN = dt.date(2019, 6, 1)
COLLECTED = dt.date(2019, 6, 25)
SOFFICE = shutil.which("soffice") or "/usr/lib/libreoffice/program/soffice"
UNO_PYTHON = "/usr/bin/python3"


def _env(patch: pytest.MonkeyPatch, day: str) -> None:
    for key, value in {**GIT_ENV, **at(day)}.items():
        patch.setenv(key, value)


def make_may_repo(root: Path) -> Path:
    """Changning with the office's words, committed 2019-01-31, and the clerk's May reports."""
    root.mkdir(parents=True)
    shutil.copytree(PROJECT / "plans" / PLAN, root / "plans" / PLAN)
    shutil.copytree(PROJECT / "schema", root / "schema", ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    with (root / f"plans/{PLAN}/plan.yaml").open("a", encoding="utf-8") as stream:
        stream.write(OFFICE_WORDS)
    with pytest.MonkeyPatch.context() as patch:
        _env(patch, "2019-01-31")
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        subprocess.run(["git", "commit", "-q", "-m", "2019-changning"], cwd=root, env=dict(os.environ), check=True)
        repo = Repository(root)
        for day, task_id, percent, unit, note in CLERK_MONTHS:
            if day < "2019-06-01":
                _env(patch, day)
                record_progress(
                    repo, f"{PLAN}/{task_id}", percent, note=note, by=unit, date=day, today=dt.date.fromisoformat(day)
                )
    return root


def write_june(root: Path, folder: Path, units: tuple[str, ...] = ()) -> dict[str, Path]:
    repo = Repository(root)
    deadline = choose_deadline(repo.plan(PLAN), WRITTEN, "2019-06")
    written = write_forms(repo, unit_forms(repo, PLAN, deadline, units), folder, WRITTEN)
    return {w.unit: w.path for w in written}


def rows_of(path: Path) -> list[tuple[int, str]]:
    """(sheet row, task id) of a written form's task rows."""
    sheet = load_workbook(path)["报送表"]
    return [
        (row, str(sheet.cell(row=row, column=1).value))
        for row in range(5, sheet.max_row + 1)
        if sheet.cell(row=row, column=2).value and sheet.cell(row=row, column=7).protection.locked is False
    ]


def fill(path: Path, out: Path, cells: dict[str, object]) -> Path:
    book = load_workbook(path)
    sheet = book["报送表"]
    for address, value in cells.items():
        sheet[address] = value
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def collect(root: Path, paths: list[Path], **options: object):
    repo = Repository(root)
    checked = check(repo, read_forms(repo, paths), COLLECTED, **options)  # type: ignore[arg-type]
    return checked, record(repo, checked, COLLECTED)


def problems(checked) -> list[str]:
    return [p.format() for c in checked for p in c.form.problems]


def _history(root: Path) -> list[str]:
    text = git(root, "log", "--reverse", "--format=%s%n%b%x00", "HEAD")
    return [
        "\n".join(line for line in entry.strip().splitlines() if not line.startswith("Form"))
        for entry in text.split("\x00")
        if entry.strip()
    ]
