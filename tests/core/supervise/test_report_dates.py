"""A report belongs to its report date: typed in late, it still counts for its month and its
deadline; dates are walked by report date and by the commit graph, never by git's date parser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from duban.dates import parse_day, parse_month
from duban.errors import DubanError
from duban.record.changes import diff_between
from duban.record.history import plan_log, tasks_and_problems_as_of
from duban.record.recording import record_progress
from duban.store.repository import Repository
from duban.supervise.circular.building import build
from duban.supervise.entries import entered_after_deadline
from duban.supervise.reports import report
from duban.supervise.selection import select
from tests.support import at, git

PLAN = "2019-changning"


@pytest.fixture
def january(sample_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample plans committed on 31 January 2019."""
    at(monkeypatch, "2019-01-31")
    git(sample_repo, "init", "-q", "-b", "main")
    git(sample_repo, "add", "-A")
    git(sample_repo, "commit", "-q", "-m", "plans")
    return sample_repo


@pytest.fixture
def june_typed_in_july(january: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """金融办's paper report of 24 June typed in on 2 July."""
    sample_repo = january
    at(monkeypatch, "2019-07-02")
    record_progress(Repository(sample_repo), f"{PLAN}/2", 50, by="金融办", date="2019-06-24", note="纸质报告")
    return sample_repo


def test_a_report_typed_in_after_month_end_counts_for_its_month(june_typed_in_july: Path) -> None:
    repo = Repository(june_typed_in_july)
    june = select(repo, [PLAN], "2019-06-30")
    task = next(t for t in june.tasks if t.id == "2")
    assert [r.date for r in task.progress] == [dt.date(2019, 6, 24)]
    assert june.light_of(task).late is False  # reported before the 25 June deadline
    circular = build(repo, "2019-06", PLAN)
    missed = {unit: [t.ref for t in tasks] for unit, tasks in circular.late.items()}
    assert f"{PLAN}/2" not in missed.get("金融办", [])
    assert "金融办" in circular.reported_units  # it reported in June
    # ... and the circular lists it as entered after its deadline.
    assert [(e.ref, e.report_date, e.deadline) for e in circular.entered_late] == [
        (f"{PLAN}/2", "2019-06-24", "2019-06-25")
    ]
    assert "截止后录入的报送" in __import__("duban.supervise.circular.rendering", fromlist=["to_markdown"]).to_markdown(
        circular
    )
    # The unit's on-time score counts the June deadline as met.
    tally = next(t for t in report(june, june.tasks, "unit") if t.group == "金融办" and t.role == "lead")
    assert tally.late == 1  # task 1 (led by 金融办 too) has no June report; task 2 has
    assert tally.met >= 1


def test_entered_after_deadline_uses_the_recorded_at_trailer(june_typed_in_july: Path) -> None:
    late = entered_after_deadline(Repository(june_typed_in_july), PLAN)
    assert len(late) == 1 and late[0].recorded_at.startswith("2019-07-02") and late[0].unit == "金融办"


def test_log_and_diff_take_a_late_typed_report_by_its_report_date(june_typed_in_july: Path) -> None:
    repo = Repository(june_typed_in_july)
    assert [c.trailers["Task"] for c in plan_log(repo, PLAN, since="2019-06-01", until="2019-06-30")] == [f"{PLAN}/2"]
    assert plan_log(repo, PLAN, since="2019-07-01", until="2019-07-31") == []
    changes = diff_between(repo, "2019-06-01", "2019-06-30", PLAN)
    assert [(c.ref, [r["date"] for r in c.new_reports]) for c in changes] == [(f"{PLAN}/2", ["2019-06-24"])]


def test_clock_skew_between_units_does_not_hide_commits(january: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit from a PC whose clock runs behind sits on top of newer-dated ones: git log
    --since stops at it, and rev-list --before picks it; duban walks the graph instead."""
    repo = Repository(january)
    at(monkeypatch, "2019-06-21")
    record_progress(repo, f"{PLAN}/2", 30, by="金融办", date="2019-06-21")
    at(monkeypatch, "2019-06-19")  # the next unit's clock is two days behind
    record_progress(repo, f"{PLAN}/1", 10, by="金融办", date="2019-06-19")
    at(monkeypatch, "2019-06-25")
    record_progress(repo, f"{PLAN}/2", 35, by="金融办", date="2019-06-25")
    assert len(plan_log(repo, PLAN, since="2019-06-20", until="2019-06-22")) == 1
    changes = diff_between(repo, "2019-06-20", "2019-06-22", PLAN)
    # Task 1's status changed in the graph after the 21 June commit, so within the period;
    # its report is dated 19 June, before it.
    assert [(c.ref, [r["date"] for r in c.new_reports], [f.field for f in c.changes]) for c in changes] == [
        (f"{PLAN}/1", [], ["status"]),
        (f"{PLAN}/2", ["2019-06-21"], ["status"]),
    ]
    tasks, problems = tasks_and_problems_as_of(repo, PLAN, "2019-06-22")
    by_id = {t.id: t for t in tasks}
    assert problems == [] and [r.date for r in by_id["2"].progress] == [dt.date(2019, 6, 21)]
    assert [r.date for r in by_id["1"].progress] == [dt.date(2019, 6, 19)]


def test_a_date_git_cannot_parse_is_not_an_empty_answer(june_typed_in_july: Path) -> None:
    repo = Repository(june_typed_in_july)
    assert len(plan_log(repo, PLAN, since="2019-01-01", until="2100-01-01")) == 2  # the import and the report
    assert [c.ref for c in diff_between(repo, "2019-06-01", "2100-01-01", PLAN)] == [f"{PLAN}/2"]
    assert [c.ref for c in diff_between(repo, "2019-06-01", "2999-12-31", PLAN)] == [f"{PLAN}/2"]


def test_one_date_parser_for_every_date() -> None:
    assert (
        parse_day("2019-06-24")
        == parse_day("2019/6/24")
        == parse_day("2019年6月24日")
        == parse_day("２０１９－０６－２４")
        == dt.date(2019, 6, 24)
    )
    assert parse_month("2019-6") == parse_month("2019年6月") == (dt.date(2019, 6, 1), dt.date(2019, 6, 30))
    for bad in ("2019-02-30", "2019062", "2019-W25-1", "yesterday", ""):  # 20190624 reads (issue 32)
        with pytest.raises(DubanError, match="is not a date") as caught:
            parse_day(bad, "--as-of")
        assert caught.value.hint == "write it as YYYY-MM-DD"
    with pytest.raises(DubanError, match="is not a month"):
        parse_month("2019-13")


def test_the_circular_heads_a_loose_month_normally(june_typed_in_july: Path) -> None:
    assert build(Repository(june_typed_in_july), "2019-6", PLAN).month == "2019-06"


def test_a_report_by_a_unit_not_on_the_task_does_not_discharge_its_lead(january: Path) -> None:
    """A hand edit (progress refuses one): 财政局 is neither lead nor support of task 2."""
    path = january / "plans/2019-changning/tasks/2.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "source:", "progress:\n  - date: 2019-06-20\n    percent: 30\n    by: 财政局\nsource:", 1
        ),
        encoding="utf-8",
    )
    git(january, "commit", "-qam", "a report by a unit not on the task, by hand")
    june = select(Repository(january), [PLAN], "2019-06-30")
    task = next(t for t in june.tasks if t.id == "2")
    assert june.light_of(task).late is True
    circular = build(Repository(january), "2019-06", PLAN)
    assert f"{PLAN}/2" in [t.ref for t in circular.late["金融办"]]


def test_the_status_of_a_past_day_follows_that_days_reports(january: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 100% report of 10 June typed in on 2 July made the task done: done in the view of 30
    June (the commit of that day still said not started), and not done in May."""
    at(monkeypatch, "2019-07-02")
    record_progress(Repository(january), f"{PLAN}/2", 100, by="金融办", date="2019-06-10", note="已完成")
    repo = Repository(january)
    assert repo.resolve(f"{PLAN}/2").status == "done"
    june = {t.id: t for t in select(repo, [PLAN], "2019-06-30").tasks}
    may = {t.id: t for t in select(repo, [PLAN], "2019-05-31").tasks}
    assert (june["2"].status, select(repo, [PLAN], "2019-06-30").percent(june["2"])) == ("done", 100)
    assert (may["2"].status, may["2"].progress) == ("not_started", ())
    assert may["1"].status == june["1"].status == repo.resolve(f"{PLAN}/1").status  # no report moved: as written


def test_without_history_by_that_day_the_status_follows_the_reports_kept(
    sample_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plans and reports all committed today: a view of May cuts the June report and, with it,
    the 完成 it brought; the circular of May counts no task done."""
    git(sample_repo, "init", "-q", "-b", "main")
    git(sample_repo, "add", "-A")
    git(sample_repo, "commit", "-q", "-m", "plans")
    record_progress(Repository(sample_repo), f"{PLAN}/2", 100, by="金融办", date="2019-06-10", note="已完成")
    repo = Repository(sample_repo)
    may = select(repo, [PLAN], "2019-05-31")
    task = next(t for t in may.tasks if t.id == "2")
    assert (task.status, task.progress) == ("not_started", ())
    assert build(repo, "2019-05", PLAN).counts["done"] == 0
