"""The plan log (`g`) lists the plan's latest commits however many commits of other plans came
after them: with 50 plans and 20,000 commits, the latest 600 commits held 9 of one plan's."""

from __future__ import annotations

from pathlib import Path

from duban.record.recording import record_progress
from duban.store.repository import Repository
from duban.tui.screens.history import latest_commits, task_of
from tests.tui.support import make_repo


def test_other_plans_commits_do_not_crowd_a_plans_log_out(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", "2008-baoshan", "2019-changning")
    repo = Repository(root)

    def report(plan: str, count: int, day: str) -> list[str]:
        tasks = [t for t in repo.load_tasks(plan).tasks if t.lead][:count]
        return [record_progress(repo, t.ref, 10, note="启动", date=day, by=t.lead[0]).sha for t in tasks]

    mine = report("2019-changning", 2, "2019-05-25")
    report("2008-baoshan", 7, "2008-05-25")  # more than three times as many as asked for, after them
    found = latest_commits(repo, "2019-changning", 2)
    assert [c.sha for c in found] == mine[::-1]
    assert all(task_of(c, "2019-changning").startswith("2019-changning/") for c in found)
    baoshan = latest_commits(repo, "2008-baoshan", 20)
    assert len(baoshan) == 7 and all(c.trailers["Task"].startswith("2008-baoshan/") for c in baoshan)
