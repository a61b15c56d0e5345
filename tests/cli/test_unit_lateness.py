"""A unit is late for its own reports only (docs/reading.md rule 6), the same in every view.
Tried on a co-led task: 金融办 reported on task 1 before the deadline, its co-leads did not.
`duban report` counted 金融办 late once (task 2, its own), but the terminal UI's overview opened
`lead:金融办 late:yes` behind that 1: two tasks, task 1 among them, late for its co-leads; and
every supporting unit had a late count (发改委 配合 … 迟报 2) for reports it never owed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.record.recording import record_progress
from duban.store.repository import Repository
from duban.supervise import reports
from duban.supervise.selection import select
from duban.tui.screens.overview import query_for
from tests.support import at

PLAN = "2019-changning"
DAY = "2019-06-30"


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def co_led(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Task 1 is led by 金融办, 商务委, 临空办, 财政局 and 税务局; task 2 by 金融办 alone.
    金融办 reports on task 1 on time (typed in on the day), nobody else reports."""
    at(monkeypatch, "2019-06-20")
    record_progress(Repository(git_repo), f"{PLAN}/1", 50, date="2019-06-20", by="金融办", note="已出台方案")
    return git_repo


def listed(query: str) -> set[str]:
    return {line.split()[0] for line in run("list", "--plan", PLAN, "--as-of", DAY, query).splitlines()[2:]}


def test_each_lead_units_late_count_is_the_tasks_it_was_late_on(co_led: Path) -> None:
    rows = json.loads(run("report", "--plan", PLAN, "--as-of", DAY, "--format", "json"))
    leads = {row["group"]: row["late"] for row in rows if row["role"] == "lead"}
    assert leads["金融办"] == 1 and listed("late:金融办") == {f"{PLAN}/2"}
    for unit, late in leads.items():  # every lead unit: its number and its list agree
        assert len(listed(f"late:{unit}")) == late, unit
    assert all(row["late"] is None for row in rows if row["role"] == "support")


def test_the_overviews_late_number_opens_the_units_own_late_tasks(co_led: Path) -> None:
    view = select(Repository(co_led), [PLAN], DAY)
    for tally in reports.report(view, view.tasks, "unit"):
        opened = view.where(query_for("unit", tally, "late"))
        if tally.role == "lead":
            assert len(opened) == tally.late, (tally.group, [t.id for t in opened])
        else:
            assert tally.late is None
