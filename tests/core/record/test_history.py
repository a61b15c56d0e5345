"""Reading the record from a scripted progress history: history, log, diff, as-of, blame."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.errors import DubanError
from duban.record.changes import blame_fields, diff_between
from duban.record.history import plan_log, task_history, task_text_as_of, tasks_as_of
from duban.store.repository import Repository
from duban.supervise.selection import select
from tests.support import git


def test_task_history_newest_first_with_units(history_repo: Path) -> None:
    commits = task_history(Repository(history_repo), "2019-changning/1")
    assert [c.subject for c in commits] == [
        "2019-changning/1: 修改 状态、节点目标 Q2 · 制定并部署2019年长宁区稳增长…",
        "2019-changning/1: 进度 50%(进行中) 金融办 · 制定并部署2019年长宁区稳增长…",
        "2019-changning/1: 进度 25%(进行中) 金融办 · 制定并部署2019年长宁区稳增长…",
        "plans",
    ]
    assert commits[1].trailers["Reported-by"] == "金融办" and commits[1].body == "二季度过半"
    assert commits[1].date.startswith("2019-04-25T10:00:00")
    patched = task_history(Repository(history_repo), "2019-changning/1", patch=True)
    assert "+      note: 二季度过半" in patched[1].patch


def test_the_history_of_a_file_that_does_not_load_is_shown(history_repo: Path) -> None:
    """A task file broken by a hand edit (committed or not) still has its history: that is
    where one looks for what broke it. The ref is found from the file's name alone."""
    path = history_repo / "plans/2019-changning/tasks/1.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "status: [\n", encoding="utf-8")
    git(history_repo, "commit", "-q", "-am", "a broken hand edit")
    commits = task_history(Repository(history_repo), "2019-changning/1", patch=True)
    assert commits[0].subject == "a broken hand edit" and "+status: [" in commits[0].patch
    assert len(commits) == 5
    with pytest.raises(DubanError, match="no task"):
        task_history(Repository(history_repo), "2019-changning/99")


def test_history_follows_renames(history_repo: Path) -> None:
    git(history_repo, "mv", "plans/2019-changning/tasks/2.yaml", "plans/2019-changning/tasks/2b.yaml")
    path = history_repo / "plans/2019-changning/tasks/2b.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: 2\n", "id: 2b\n"), encoding="utf-8")
    git(history_repo, "commit", "-q", "-am", "renumber 2 as 2b")
    subjects = [c.subject for c in task_history(Repository(history_repo), "2019-changning/2b")]
    assert subjects[0] == "renumber 2 as 2b" and "2019-changning/2: 商务委（配合）进度 20% · 招留增工作" in subjects


def test_plan_log_filters(history_repo: Path) -> None:
    repo = Repository(history_repo)
    assert len(plan_log(repo)) == 6
    april = plan_log(repo, "2019-changning", since="2019-04-01", until="2019-04-30")
    assert [c.subject for c in april] == ["2019-changning/1: 进度 50%(进行中) 金融办 · 制定并部署2019年长宁区稳增长…"]
    by_unit = plan_log(repo, unit="金融办")
    assert [c.trailers["Percent"] for c in by_unit] == ["45", "50", "25"]
    assert plan_log(repo, "2008-baoshan", since="2019-03-01") == []


def test_diff_between_dates_field_by_field(history_repo: Path) -> None:
    changes = diff_between(Repository(history_repo), "2019-05-01", "2019-05-31")
    assert [c.ref for c in changes] == ["2019-changning/1", "2019-changning/2"]
    first, second = changes
    assert [(c.field, c.before, c.after) for c in first.changes] == [
        ("milestones.Q2", first.changes[0].before, "调整后的目标"),
        ("status", "in_progress", "delayed"),
    ]
    assert first.new_reports == []
    assert second.new_reports == [{"date": "2019-05-24", "percent": 45, "note": "落地78家", "by": "金融办"}]
    assert diff_between(Repository(history_repo), "2019-06-01", "2019-06-30") == []
    with pytest.raises(DubanError, match="is after --until"):
        diff_between(Repository(history_repo), "2019-06-30", "2019-06-01")


def test_as_of(history_repo: Path) -> None:
    repo = Repository(history_repo)
    march = {t.id: t for t in tasks_as_of(repo, "2019-changning", "2019-03-31")}
    # Task 2's only March report is 商务委's, a supporting unit's own part: no lead has reported.
    view = select(repo, ["2019-changning"], "2019-03-31")
    assert view.percent(march["1"]) == 25 and view.percent(march["2"]) is None and march["1"].status == "in_progress"
    assert [r.by for r in march["2"].progress] == ["商务委"]
    january = {t.id: t for t in tasks_as_of(repo, "2019-changning", "2019-01-31")}
    assert january["1"].progress == () and january["1"].status == "not_started"
    assert "percent: 50" in task_text_as_of(repo, "2019-changning/1", "2019-04-30")
    # A day before the plan's first commit reads the plan as first committed, with the reports
    # dated by then (none here): an office's first day has every commit after its reports.
    before = {t.id: t for t in tasks_as_of(repo, "2019-changning", "2018-12-31")}
    assert before["1"].progress == () and before["1"].status == "not_started"


def test_as_of_snapshots_follow_the_tree(history_repo: Path) -> None:
    """Tasks as of a date are kept by the hash git gives the tasks folder at that commit:
    a second look is served from it, another date or a rewritten history is not."""

    def state(day: str) -> dict[str, tuple]:
        return {
            t.ref: (t.progress, t.status, t.path.name)
            for t in tasks_as_of(Repository(history_repo), "2019-changning", day)
        }

    march, april = state("2019-03-31"), state("2019-04-30")
    snapshot = history_repo / ".git/duban-cache/plan-2019-changning.as-of.snapshot"
    assert snapshot.exists() and march != april
    assert state("2019-03-31") == march and state("2019-04-30") == april  # each rebuilt, then kept
    snapshot.write_bytes(b"\x00junk")
    assert state("2019-04-30") == april
    git(history_repo, "commit", "-q", "--amend", "-m", "amended")  # a new commit id, the same tree
    now = {
        t.ref: (t.progress, t.status, t.path.name) for t in Repository(history_repo).load_tasks("2019-changning").tasks
    }
    assert state("2099-01-01") == now


def test_blame_by_field(history_repo: Path) -> None:
    blames = {b.field: b for b in blame_fields(Repository(history_repo), "2019-changning/1")}
    assert blames["status"].summary == "2019-changning/1: 修改 状态、节点目标 Q2 · 制定并部署2019年长宁区稳增长…"
    assert blames["progress"].reported_by == "金融办" and blames["progress"].date == "2019-04-25"
    assert blames["title"].summary == "plans" and blames["title"].date == "2019-01-31"


def test_a_git_failure_reading_blobs_is_a_one_line_error(tmp_path: Path) -> None:
    """git cat-file failing (here: not a repository) must be a GitError with git's reason,
    which the CLI prints as one line, not an internal error with a crash log."""
    from duban.store.gitstore import Git, GitError

    with pytest.raises(GitError, match="git cat-file: not a git repository"):
        Git(tmp_path).cat_files(["HEAD:plans/x/tasks/1.yaml"])
