"""A sub-item that names no lead is led by its parent's lead; a supporting unit's report on it
is that unit's, never the task's figure. Tried in tmux on 2008-baoshan: 规划局 (supporting) reported
40 % on 9-1, whose lead 房地局 comes from task 9 and had never reported; the light said 0 %
(no report), while `duban show` and the TUI's card said "未启动 · 2008-12-31 为 40%", and
`duban list 'percent>30'` listed the task. Task.percent read every report of a task that names
no lead of its own as the lead's."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.record.recording import record_progress
from duban.store.repository import Repository
from duban.supervise.export.ledger import ledger
from duban.supervise.selection import select
from tests.support import at

PLAN = "2008-baoshan"
# Task 1-2 names no lead: 1's 发改委 and 统计局 lead it; 发改委 and 经委 support it.
CHILD = f"{PLAN}/1-2"
LEADS = ("发改委", "统计局")
AS_OF = dt.date(2008, 6, 30)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--lang", "zh", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture
def supported(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """经委, a supporting unit of 1-2, reports 40 % with a problem; its leads have not reported."""
    at(monkeypatch, "2008-03-01")
    record_progress(Repository(git_repo), CHILD, 40, note="存在问题:配套资金未到位", date="2008-03-01", by="经委")
    return git_repo


def test_a_supporting_units_figure_is_not_the_sub_items_percent(supported: Path) -> None:
    code, listed = run("list", "--plan", PLAN, "--as-of", AS_OF.isoformat(), "percent>30")
    assert code == 0 and "1-2" not in listed
    code, card = run("show", CHILD)
    status = next(line for line in card.splitlines() if line.startswith("状态"))
    assert "40%" not in status, status
    assert "40% (经委)" in card  # the report itself is listed, under its unit


def test_the_ledger_does_not_take_a_supporting_units_problem_for_the_lead(supported: Path) -> None:
    view = select(Repository(supported), [PLAN], AS_OF)
    table = ledger(view, view.tasks)
    assert "存在问题" not in table.headers


def reference_percent(reports: list[tuple[str, str, float]], as_of: str) -> float | None:
    """Rule 2 as an office reads it: each lead's latest report (by date; of one date, the one
    recorded later) dated by the day, and the lowest of their percents; none, no figure."""
    latest: dict[str, tuple[str, float]] = {}
    for unit, day, percent in reports:  # in the order recorded
        if unit in LEADS and day <= as_of and (unit not in latest or day >= latest[unit][0]):
            latest[unit] = (day, percent)
    return min((percent for _day, percent in latest.values()), default=None)


@pytest.mark.slow  # 12 plans of reports, each report a commit
@pytest.mark.parametrize("seed", range(12))
def test_percent_agrees_with_the_reference_model(git_repo: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    rng = random.Random(seed)
    repo = Repository(git_repo)
    drawn = [
        (
            rng.choice(("发改委", "统计局", "经委")),  # two leads by inheritance, one supporting unit
            dt.date(2008, rng.randint(1, 9), rng.choice((1, 15, 28))).isoformat(),
            float(rng.choice((0, 10, 25, 40, 60, 90, 100))),
        )
        for _ in range(rng.randint(1, 6))
    ]
    reports = sorted(drawn, key=lambda report: report[1])  # a unit's reports are kept in date order
    at(monkeypatch, "2008-10-01")  # every report typed in after its day: late ones included
    for unit, day, percent in reports:
        record_progress(repo, CHILD, percent, date=day, by=unit, note=f"{unit}报送")
    for as_of in ("2008-03-31", "2008-06-30", "2008-09-30"):
        view = select(Repository(git_repo), [PLAN], dt.date.fromisoformat(as_of))
        [task] = [t for t in view.tasks if t.ref == CHILD]
        wanted = reference_percent(reports, as_of)
        assert view.percent(task) == wanted, (reports, as_of)
        assert view.light_of(task).percent == (wanted or 0.0), (reports, as_of)
        listed = {t.ref for t in view.where("percent>30")}
        assert (CHILD in listed) == ((wanted or 0) > 30), (reports, as_of)
