"""The office's reading (docs/reading.md) on real repositories: a supporting unit's report is
its own part; co-leads give the lowest figure; each lead owes its own report; seals decide
every on-time figure; a status belongs to its report's date. Each test reproduces a defect of
the documents audit (D1-D4) or of the newcomer audit that the code before this reading had."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.record.changes import diff_between
from duban.record.history import tasks_as_of
from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.store import yamlio
from duban.store.repository import Repository
from duban.supervise import lights
from duban.supervise.circular.building import build as build_circular
from duban.supervise.scoring import Rule, score
from duban.supervise.seals.making import seal
from duban.supervise.selection import select
from tests.office_fixtures import at, clerk_repo, clerk_repo_template, pingdingshan_repo, pingdingshan_repo_template  # noqa: F401
from tests.support import GIT_ENV, PROJECT, git

CN = "2019-changning"


def _record(root: Path, typed: str, ref: str, percent: float, by: str, date: str, **fields: object) -> None:
    """A report as a clerk types it: on `typed` (the commit clock), dated `date`."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at(typed)}.items():
            patch.setenv(key, value)
        record_progress(Repository(root), ref, percent, by=by, date=date, today=dt.date.fromisoformat(typed), **fields)  # type: ignore[arg-type]


def _task_file(root: Path, task_id: str) -> dict:
    return yamlio.load_fast((root / f"plans/{CN}/tasks/{task_id}.yaml").read_text(encoding="utf-8"), "t")


@pytest.mark.slow
def test_a_supporting_units_100_percent_is_its_own_part_and_completes_nothing(clerk_repo: Path) -> None:
    """D1: 民防办 (supporting 49) reports its own part done; the lead 体育局 said 46 %."""
    _record(clerk_repo, "2019-06-20", f"{CN}/49", 46, "体育局", "2019-06-20", note="桩基施工")
    _record(clerk_repo, "2019-06-22", f"{CN}/49", 100, "民防办", "2019-06-22", note="配合的民防工程审批工作已完成")
    assert _task_file(clerk_repo, "49")["status"] == "in_progress"
    subject = git(clerk_repo, "log", "-1", "--format=%s").strip()
    assert subject.startswith(f"{CN}/49: 民防办（配合）进度 100%") and "已完成" not in subject
    repo = Repository(clerk_repo)
    view = select(repo, [CN], "2019-06-30")
    task = next(t for t in view.tasks if t.id == "49")
    deciding = view.deciding_report(task)
    assert view.percent(task) == 46 and deciding is not None and deciding.by == "体育局"
    june = build_circular(repo, "2019-06", CN)
    assert all(t.id != "49" for t in june.completed)
    light = june.selection.light_of(next(t for t in june.tasks if t.id == "49"))
    assert light.percent == 46 and light.colour != "grey"
    assert not [p for p in june.scores.of("体育局").points if p.rule == "done_early"]


@pytest.mark.slow
def test_a_lead_that_did_not_report_is_late_though_a_supporting_unit_reported(clerk_repo: Path) -> None:
    """D4: only 财政局 (support) reports on 13 in June; the lead 国资委 said nothing."""
    _record(clerk_repo, "2019-05-20", f"{CN}/13", 30, "国资委", "2019-05-20", note="国资收益收缴推进")
    _record(clerk_repo, "2019-06-20", f"{CN}/13", 40, "财政局", "2019-06-20", note="配合完成国资收益收缴")
    repo = Repository(clerk_repo)
    june = build_circular(repo, "2019-06", CN)
    assert [t.id for t in june.late.get("国资委", [])] == ["13"]
    thirteen = next(t for t in june.tasks if t.id == "13")
    light = june.selection.light_of(thirteen)
    assert light.late and light.percent == 30  # the lead's May figure, not 财政局's own 40
    assert lights.late_units(thirteen, june.plan, dt.date(2019, 6, 30), lead=thirteen.lead) == ["国资委"]
    result = score(repo, CN, dt.date(2019, 6, 30), rules=(Rule("late_report", -1, "lead"),))
    assert ("13", "2019-06-25") in {(p.task.id, p.day.isoformat()) for p in result.of("国资委").points}
    assert not [p for p in (result.of("财政局") or result.units[0]).points if p.task.id == "13" and p.unit == "财政局"]


def test_co_leads_give_the_lowest_of_their_latest_figures(clerk_repo: Path) -> None:
    """Whichever co-lead spoke last gave the task its percent; now the lowest lead figure does,
    whatever the order the reports were typed in."""
    task = Repository(clerk_repo).resolve(f"{CN}/1")
    assert len(task.lead) > 1
    first, second = task.lead[0], task.lead[1]
    _record(clerk_repo, "2019-06-21", f"{CN}/1", 30, second, "2019-06-21")
    _record(clerk_repo, "2019-06-23", f"{CN}/1", 70, first, "2019-06-23")
    repo = Repository(clerk_repo)
    selection = select(repo, [CN], "2019-06-30")
    now = next(t for t in selection.tasks if t.id == "1")
    deciding = selection.deciding_report(now)
    assert selection.percent(now) == 30 and deciding is not None and deciding.by == second
    assert selection.light_of(next(t for t in selection.tasks if t.id == "1")).percent == 30


def test_on_time_rates_follow_the_seal(clerk_repo: Path) -> None:
    """D2: a report typed in after the sealed deadline, dated before it, is late in every
    on-time figure (score, report, the ledger's score sheet), as the lights and the circular's
    未按时报送 already said; `score` counted it on time."""
    repo = Repository(clerk_repo)
    lead = repo.resolve(f"{CN}/33").lead[0]
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at("2019-06-25")}.items():
            patch.setenv(key, value)
        seal(repo, CN, dt.date(2019, 6, 25), today=dt.date(2019, 6, 25))
    _record(clerk_repo, "2019-06-27", f"{CN}/33", 20, lead, "2019-06-24", note="纸质报送，补录")
    repo = Repository(clerk_repo)
    june = select(repo, [CN], "2019-06-30")
    task = next(t for t in june.tasks if t.id == "33")
    assert june.light_of(task).late  # the lights read the seal
    sealed = lights.on_time_record(task, june.plan(task), june.as_of, june.sealed(task))
    assert sealed[0] < lights.on_time_record(task, june.plan(task), june.as_of)[0]
    led = [t for t in june.tasks if lead in june.lead(t)]
    assert all(june.lead(t) == (lead,) for t in led)  # so each task's record is 房管局's own
    records = [lights.on_time_record(t, june.plan(t), june.as_of, june.sealed(t)) for t in led]
    expected = (sum(met for met, _due in records), sum(due for _met, due in records))
    unit = score(repo, CN, dt.date(2019, 6, 30)).of(lead)
    assert (unit.met, unit.due) == expected
    from duban.supervise.reports import report

    tally = next(t for t in report(june, june.tasks, "unit") if t.group == lead and t.role == "lead")
    assert (tally.met, tally.due) == expected


@pytest.mark.slow
def test_one_more_sealed_late_report_never_raises_a_rate(clerk_repo: Path) -> None:
    """D2: typing a report in after the seal (dated before it) raised the overall rate."""
    repo = Repository(clerk_repo)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at("2019-06-25")}.items():
            patch.setenv(key, value)
        seal(repo, CN, dt.date(2019, 6, 25), today=dt.date(2019, 6, 25))
    lead = repo.resolve(f"{CN}/53").lead[0]

    def rates() -> tuple[tuple[int, int], tuple[int, int]]:
        result = score(Repository(clerk_repo), CN, dt.date(2019, 6, 30))
        unit = result.of(lead)
        return (unit.met, unit.due), (sum(u.met for u in result.units), sum(u.due for u in result.units))

    (unit_before, all_before) = rates()
    _record(clerk_repo, "2019-07-03", f"{CN}/53", 36, lead, "2019-06-24", note="纸质报送，补录")
    (unit_after, all_after) = rates()
    assert unit_after == unit_before and all_after == all_before


def test_a_status_typed_in_late_belongs_to_its_reports_date(clerk_repo: Path) -> None:
    """D3: a 受阻 given with a paper report dated 06-24 and typed in on 07-03 makes the task
    blocked and red in June's documents, as its percent counts for June."""
    lead = Repository(clerk_repo).resolve(f"{CN}/53").lead[0]
    _record(
        clerk_repo,
        "2019-07-03",
        f"{CN}/53",
        36,
        lead,
        "2019-06-24",
        status="受阻",
        note="系统平台采购流标，项目受阻（纸质报送，补录）",
    )
    assert [r.get("status") for r in _task_file(clerk_repo, "53")["progress"][lead]] == ["blocked"]
    repo = Repository(clerk_repo)
    june = select(repo, [CN], "2019-06-30")
    task = next(t for t in june.tasks if t.id == "53")
    assert task.status == "blocked" and june.light_of(task).colour == "red"
    may = select(repo, [CN], "2019-05-31")
    assert next(t for t in may.tasks if t.id == "53").status != "blocked"
    result = CliRunner().invoke(
        cli, ["--repo", str(clerk_repo), "explain", f"{CN}/53", "--as-of", "2019-06-30", "--format", "json"]
    )
    assert result.exit_code == 0 and '"light": "red"' in result.output
    changes = diff_between(repo, "2019-06-01", "2019-06-30", CN)
    assert {
        "date": "2019-06-24",
        "percent": 36,
        "status": "blocked",
        "by": lead,
        "note": "系统平台采购流标，项目受阻（纸质报送，补录）",
    } in next(c for c in changes if c.ref == f"{CN}/53").new_reports


def test_a_supporting_units_status_is_its_own(clerk_repo: Path) -> None:
    _record(clerk_repo, "2019-06-20", f"{CN}/49", 46, "体育局", "2019-06-20")
    _record(clerk_repo, "2019-06-22", f"{CN}/49", 10, "民防办", "2019-06-22", status="blocked")
    assert _task_file(clerk_repo, "49")["status"] == "in_progress"
    selection = select(Repository(clerk_repo), [CN], "2019-06-30")
    assert next(t for t in selection.tasks if t.id == "49").status == "in_progress"


def test_another_plans_later_commit_does_not_end_a_plans_past(pingdingshan_repo: Path) -> None:
    """D3, second form: the 2019 plan was committed (dated 2019) before more 2013 reports and
    statuses were typed in (dated 2013): as of any 2013 day, they existed all the same."""
    plan = "2013-pingdingshan"
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at("2013-06-04")}.items():
            patch.setenv(key, value)
        record_progress(
            Repository(pingdingshan_repo),
            f"{plan}/3",
            20,
            by="市发改委",
            date="2013-06-04",
            status="blocked",
            note="资金未到位",
            today=dt.date(2013, 6, 4),
        )
        set_fields(Repository(pingdingshan_repo), f"{plan}/4", ["status=delayed"])
    repo = Repository(pingdingshan_repo)
    june = {t.id: t for t in tasks_as_of(repo, plan, "2013-06-30")}
    assert june["3"].status == "blocked" and june["4"].status == "delayed"
    result = CliRunner().invoke(
        cli,
        [
            "--repo",
            str(pingdingshan_repo),
            "list",
            "--plan",
            plan,
            "--as-of",
            "2013-06-30",
            "status:blocked OR status:delayed",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"{plan}/3 " in result.output and f"{plan}/4 " in result.output


def test_an_offices_first_day_shows_reports_typed_after_their_dates(tmp_path: Path) -> None:
    """On an office's first day every commit is later than the reports it holds: `diff` found
    nothing and `show --as-of` refused."""
    root = tmp_path / "office"
    root.mkdir()
    shutil.copytree(PROJECT / "plans" / CN, root / "plans" / CN)
    shutil.copytree(PROJECT / "schema", root / "schema", ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    env = {**os.environ, **GIT_ENV, **at("2019-07-01")}
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    subprocess.run(["git", "commit", "-q", "-m", "plan"], cwd=root, env=env, check=True)
    _record(root, "2019-07-01", f"{CN}/12", 50, "人社局", "2019-06-25", note="引进高层次人才")
    runner = CliRunner()
    shown = runner.invoke(cli, ["--repo", str(root), "show", f"{CN}/12", "--as-of", "2019-06-30"])
    assert shown.exit_code == 0, shown.output
    assert "50" in shown.output
    changed = runner.invoke(cli, ["--repo", str(root), "diff", "--since", "2019-06", "--plan", CN])
    assert changed.exit_code == 0 and f"{CN}/12" in changed.output and "2019-06-25" in changed.output


def test_withdrawing_the_report_that_completed_a_task_takes_the_completion_back(clerk_repo: Path) -> None:
    """A 100 % withdrawn as a mistake left the task 已完成 with its lead at 60 %."""
    from duban.record.undo import withdraw_report

    _record(clerk_repo, "2019-06-10", f"{CN}/49", 60, "体育局", "2019-06-10")
    _record(clerk_repo, "2019-06-20", f"{CN}/49", 100, "体育局", "2019-06-20")
    assert _task_file(clerk_repo, "49")["status"] == "done"
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at("2019-06-21")}.items():
            patch.setenv(key, value)
        withdraw_report(Repository(clerk_repo), f"{CN}/49", "2019-06-20", "误报", by="体育局")
    assert _task_file(clerk_repo, "49")["status"] == "in_progress"
    view = select(Repository(clerk_repo), [CN], "2019-06-30")
    assert view.percent(next(t for t in view.tasks if t.id == "49")) == 60


def test_a_late_typed_status_does_not_override_a_later_dated_one(clerk_repo: Path) -> None:
    """Rule 4 orders statuses by the dates they belong to, not by typing order: co-lead B's 受阻
    dated 24 June, typed after co-lead A's 进行中 of 20 July, is June's status only."""
    first, second = Repository(clerk_repo).resolve(f"{CN}/1").lead[:2]
    _record(clerk_repo, "2019-07-20", f"{CN}/1", 60, first, "2019-07-20", status="进行中", note="已恢复")
    _record(clerk_repo, "2019-07-22", f"{CN}/1", 36, second, "2019-06-24", status="受阻", note="纸质报送，补录")
    assert _task_file(clerk_repo, "1")["status"] == "in_progress"
    repo = Repository(clerk_repo)
    assert next(t for t in select(repo, [CN], "2019-06-30").tasks if t.id == "1").status == "blocked"
    assert next(t for t in select(repo, [CN], "2019-07-31").tasks if t.id == "1").status == "in_progress"
    assert next(t for t in select(repo, [CN], "2019-07-21").tasks if t.id == "1").status == "in_progress"


def test_a_supporting_units_report_never_fills_the_leads_month_cell(clerk_repo: Path) -> None:
    """D5: the ledger's 6月进展 and the circular's 本月进展 read "40%　配合完成国资收益收缴" on
    task 13, whose lead 国资委 said nothing in June: a supporting unit's words as the task's."""
    from duban.supervise.export.ledger import ledger

    _record(clerk_repo, "2019-05-20", f"{CN}/13", 30, "国资委", "2019-05-20", note="国资收益收缴推进")
    _record(clerk_repo, "2019-06-20", f"{CN}/13", 40, "财政局", "2019-06-20", note="配合完成国资收益收缴")
    repo = Repository(clerk_repo)
    june = select(repo, [CN], "2019-06-30")
    sheet = ledger(june, june.tasks)
    row = dict(zip(sheet.headers, sheet.rows[[t.id for t in june.tasks].index("13")]))
    assert row["6月进展"] == "牵头单位未报送；财政局（配合）40%　配合完成国资收益收缴"
    assert row["5月进展"] == "30%　国资收益收缴推进" and row["完成进度(%)"] == 30
    table = next(b for b in build_circular(repo, "2019-06", CN).blocks if b.kind == "table")
    said = next(r for r in table.rows if r[0] == "13")[-1]
    assert said.startswith("牵头单位未报送") and "财政局（配合）" in said


def test_score_for_a_month_is_the_months_circular_score(pingdingshan_repo: Path) -> None:
    """Reports due on the 5th tell the month before's story: May's circular judges the 5 June
    deadline and its 附件2 scores are read there, so `score --month 2013-05` must give the
    same figures (it read the record at 31 May and judged no deadline of May's reports)."""
    import json

    plan = "2013-pingdingshan"
    result = CliRunner().invoke(
        cli, ["--repo", str(pingdingshan_repo), "score", "--plan", plan, "--month", "2013-05", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    units = printed["units"] if isinstance(printed, dict) else printed
    from_cli = {u["unit"]: (u["score"], u["on_time_rate"]) for u in units}
    may = build_circular(Repository(pingdingshan_repo), "2013-05", plan)
    assert may.scores.as_of == dt.date(2013, 6, 5)
    from_circular = {u.unit: (u.score, u.on_time_rate) for u in may.scores.units}
    assert from_cli == from_circular
    assert any(rate is not None for _score, rate in from_cli.values())  # the deadline was judged
