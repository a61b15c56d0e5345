"""A date in the model is a datetime.date from the moment a file is read (a task's due, a
plan's issue date, its reporting calendar's dates, a report's date, the days the office set a
status), and a file, a cache row or JSON written back keeps its text."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from duban import model
from duban.model import Plan, Report, ReportingRule, Task
from duban.store.cache.columns import ROW
from duban.store.repository import Repository

PROJECT = Path(__file__).resolve().parents[2]
# The model's fields that hold days, and the type each has.
DATE_FIELDS = {
    (Task, "due"): dt.date | None,
    (Plan, "issued"): dt.date | None,
    (ReportingRule, "dates"): tuple[dt.date, ...],
    (ReportingRule, "first"): dt.date | None,
    (Report, "date"): dt.date,
    (Task, "office_statuses"): tuple[tuple[dt.date, str], ...] | None,
    (Task, "milestones"): dict[str | dt.date, str],  # by quarter (Q2) or by day
}
# `python -m duban` runs this checkout's duban, not the one the environment installed.
THIS_DUBAN = {**os.environ, "PYTHONPATH": str(PROJECT)}


@pytest.mark.parametrize(("owner", "name"), list(DATE_FIELDS))
def test_a_date_field_is_annotated_as_a_date(owner: type, name: str) -> None:
    hints = typing.get_type_hints(owner, vars(model))
    assert hints[name] == DATE_FIELDS[(owner, name)]


def _task_file(tmp_path: Path, due: str) -> Path:
    path = tmp_path / "3.yaml"
    path.write_text(
        f"id: 3\ntitle: 标题\ntext: 正文\narea: 经济发展\nlead:\n  - 发改委\ndue: {due}\nstatus: not_started\n",
        encoding="utf-8",
    )
    return path


def test_a_task_read_from_text_holds_its_due_as_a_date(tmp_path: Path) -> None:
    from duban.store import yamlio

    path = _task_file(tmp_path, "2019-06-30")
    doc = yamlio.load_fast(path.read_text(encoding="utf-8"), str(path))
    assert doc["due"] == "2019-06-30"  # the document keeps the text the schema checks
    task = Task.from_document(doc, "2019-changning", path)
    assert task.due == dt.date(2019, 6, 30)


def test_a_snapshot_row_keeps_text_and_gives_back_the_same_task(tmp_path: Path) -> None:
    path = _task_file(tmp_path, "2019-06-30")
    task = Task.from_document(
        {"id": 3, "title": "t", "text": "x", "area": "a", "status": "not_started", "due": "2019-06-30"}, "p", path
    )
    row = task.as_row()
    assert "2019-06-30" in row and marshal.loads(marshal.dumps(row)) == row  # marshal keeps no dates
    assert Task.from_row(row, "p", path) == task


def test_a_repository_gives_dates_from_files_and_from_its_snapshot_and_queries_them(git_repo: Path) -> None:
    import subprocess

    task_file = next((git_repo / "plans" / "2019-changning" / "tasks").glob("*.yaml"))
    written = task_file.read_text(encoding="utf-8").replace("\nstatus:", "\ndue: 2019-06-30\nstatus:", 1)
    task_file.write_text(written, encoding="utf-8")
    subprocess.run(["git", "commit", "-qam", "due"], cwd=git_repo, check=True)
    for _read in range(2):  # the files, then the snapshot the first read left
        repo = Repository(git_repo)
        plan = repo.plan("2019-changning")
        assert plan.issued == dt.date(2019, 1, 31)
        due = [t.due for t in repo.load_tasks("2019-changning").tasks if t.due is not None]
        assert due == [dt.date(2019, 6, 30)]
        index = repo.task_index("2019-changning")
        if index is not None:
            assert [d for d in index.column("due") if d is not None] == [dt.date(2019, 6, 30)]
    assert task_file.read_text(encoding="utf-8") == written  # reading never writes
    for term, count in (("due<2019年7月1日", 1), ("due>2019-06-30", 0), ("due<=2019-06-30", 1)):
        listed = subprocess.run(
            [
                sys.executable,
                "-m",
                "duban",
                "--repo",
                str(git_repo),
                "list",
                "--plan",
                "2019-changning",
                term,
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            check=True,
            env=THIS_DUBAN,
        )
        assert len(json.loads(listed.stdout)) == count, term


def test_the_reporting_calendar_reads_its_dates_as_dates() -> None:
    rule = ReportingRule.from_data({"dates": ["2019-06-25", "2019-12-25"], "first": "2019-04-01"})
    assert rule.dates == (dt.date(2019, 6, 25), dt.date(2019, 12, 25))
    assert rule.first == dt.date(2019, 4, 1)


def _report_types(tasks: list[Task]) -> list[tuple[str, type]]:
    return [(task.id, type(report.date)) for task in tasks for report in task.progress]


def _milestone_types(tasks: list[Task]) -> list[tuple[str, object]]:
    return [(task.id, key) for task in tasks for key in task.milestones]


def test_a_report_read_from_a_file_holds_its_date_as_a_date(tmp_path: Path) -> None:
    from duban.store import yamlio

    path = _task_file(tmp_path, "2019-06-30")
    text = path.read_text(encoding="utf-8") + "progress:\n  发改委:\n    - date: 2019-03-05\n      percent: 20\n"
    doc = yamlio.load_fast(text, str(path))
    task = Task.from_document(doc, "2019-changning", path)
    assert task.progress == (Report(dt.date(2019, 3, 5), 20, by="发改委"),)
    row = task.as_row()
    assert marshal.loads(marshal.dumps(row)) == row
    assert row[ROW.index("progress")] == (("2019-03-05", 20, None, "发改委", None, None),)  # the row keeps the text
    assert Task.from_row(row, "2019-changning", path) == task


def test_a_report_typed_in_any_form_is_stored_as_before_and_read_as_a_date(git_repo: Path) -> None:
    from duban.record.recording import record_progress

    repo = Repository(git_repo)
    record_progress(repo, "2019-changning/1", 20, by="金融办", date="2019年3月5日", today=dt.date(2019, 12, 28))
    record_progress(repo, "2019-changning/1", 30, by="金融办", date="2019/3/6", today=dt.date(2019, 12, 28))
    path = git_repo / "plans" / "2019-changning" / "tasks" / "1.yaml"
    written = path.read_text(encoding="utf-8")
    assert "- date: 2019-03-05\n" in written and "- date: 2019-03-06\n" in written  # not 2019年3月5日, never quoted
    log = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=git_repo, capture_output=True, text=True, check=True)
    assert "Report-date: 2019-03-06" in log.stdout
    task = Repository(git_repo).resolve("2019-changning/1")
    assert [r.date for r in task.progress] == [dt.date(2019, 3, 5), dt.date(2019, 3, 6)]


def test_a_cached_plan_gives_the_types_a_plan_read_afresh_gives(history_repo: Path) -> None:
    """Cold (the files), then warm (the snapshot the first read left, and its columns): the same
    tasks, with dates of the same types."""
    cold = Repository(history_repo).load_tasks("2019-changning").tasks
    assert (history_repo / ".git" / "duban-cache").is_dir()
    warm_repo = Repository(history_repo)
    warm = warm_repo.load_tasks("2019-changning").tasks
    assert warm == cold
    assert _report_types(warm) == _report_types(cold) and {kind for _id, kind in _report_types(cold)} == {dt.date}
    index = warm_repo.task_index("2019-changning")
    assert index is not None  # the warm read had a snapshot to give
    from duban.store.cache.task_index import build_tasks

    entries = index.entries()
    assert [e.progress for e in entries] == [t.progress for t in cold]  # a stand-in's column
    assert build_tasks(entries) == cold
    assert {type(r.date) for e in entries for r in e.progress} == {dt.date}


def test_the_office_status_days_and_a_view_of_a_past_day_hold_dates(history_repo: Path) -> None:
    from duban.record.history import office_statuses, tasks_as_of
    from duban.supervise.selection import select

    repo = Repository(history_repo)
    assert office_statuses(repo, "2019-changning") == {"1": ((dt.date(2019, 5, 27), "delayed"),)}
    selection = select(repo, ["2019-changning"], as_of="2019-06-30")
    task = next(t for t in selection.tasks if t.id == "1")
    assert task.office_statuses == ((dt.date(2019, 5, 27), "delayed"),)
    assert task.status == "delayed"
    april = {t.id: t for t in tasks_as_of(repo, "2019-changning", "2019年4月30日")}
    assert [r.date for r in april["1"].progress] == [dt.date(2019, 3, 25), dt.date(2019, 4, 25)]
    assert [r.date for r in april["2"].progress] == [dt.date(2019, 3, 26)]


def test_milestones_by_day_are_keyed_by_dates_and_written_as_the_file_writes_them(tmp_path: Path) -> None:
    path = tmp_path / "3.yaml"
    doc = {"id": 3, "title": "t", "text": "x", "area": "a", "status": "in_progress"}
    doc["milestones"] = {"Q2": "过半", "2019-06-30": "出台方案", "2019-02-30": "不是一天"}
    task = Task.from_document(doc, "p", path)
    # a key that is no day (validate names it) stays as written: before, `list` and `explain` failed on it
    assert task.milestones == {"Q2": "过半", dt.date(2019, 6, 30): "出台方案", "2019-02-30": "不是一天"}
    row = task.as_row()
    assert row[ROW.index("milestones")] == doc["milestones"] and marshal.loads(marshal.dumps(row)) == row
    assert Task.from_row(row, "p", path) == task
    assert model.written_milestones(task.milestones) == doc["milestones"]


def test_milestones_by_day_read_cold_and_warm_and_as_the_documents_show_them(git_repo: Path) -> None:
    from duban.record.setting import set_fields
    from duban.store.cache.task_index import build_tasks

    repo = Repository(git_repo)
    set_fields(repo, "2019-changning/1", ["milestones.2019-05-31=出台行动计划"])
    path = git_repo / "plans" / "2019-changning" / "tasks" / "1.yaml"
    written = path.read_text(encoding="utf-8")
    assert "  '2019-05-31': 出台行动计划\n" in written  # as `set` has always written a day's key
    # A hand edit `set` would refuse: a key that is no day.
    path.write_text(
        written.replace("  '2019-05-31': 出台行动计划\n", "  '2019-05-31': 出台行动计划\n  2019-02-30: 不是一天\n")
    )
    cold = Repository(git_repo).load_tasks("2019-changning").tasks
    warm_repo = Repository(git_repo)
    warm = warm_repo.load_tasks("2019-changning").tasks
    assert warm == cold and _milestone_types(warm) == _milestone_types(cold)
    assert dt.date(2019, 5, 31) in cold[0].milestones and "2019-02-30" in cold[0].milestones
    index = warm_repo.task_index("2019-changning")
    assert index is not None
    entries = index.entries()
    assert [e.milestones for e in entries] == [t.milestones for t in cold]  # a stand-in's field
    assert build_tasks(entries) == cold

    def duban(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "duban", "--repo", str(git_repo), "--lang", "en", *args]
        return subprocess.run(command, capture_output=True, text=True, env=THIS_DUBAN)

    # A key that is no day judges nothing and stops nothing (these failed with an internal error).
    for args in (["list", "--plan", "2019-changning", "--as-of", "2019-07-01"], ["explain", "2019-changning/1"]):
        done = duban(*args, "--format", "json")
        assert done.returncode == 0 and "internal error" not in done.stderr, (args, done.stderr)
    reasons = json.loads(duban("explain", "2019-changning/1", "--as-of", "2019-07-01", "--format", "json").stdout)
    assert any("milestone 2019-05-31" in reason for reason in reasons["reasons"]), reasons["reasons"]
    shown = json.loads(duban("show", "2019-changning/1", "--format", "json").stdout)
    assert list(shown["milestones"])[-2:] == ["2019-05-31", "2019-02-30"]
    card = duban("show", "2019-changning/1").stdout
    assert "  2019-05-31" in card and "出台行动计划" in card
    checked = duban("validate")
    assert "'2019-02-30' is not a real date (YYYY-MM-DD) [date]" in checked.stdout
