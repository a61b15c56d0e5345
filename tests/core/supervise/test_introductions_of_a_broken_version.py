"""A version of a task file in git that a hand edit broke (a report dated 2019-6-5, one with no
percent, a due of 2019-6-30) never passed the schema: its broken reports are left out of supervise/entries'
introductions, and the whole reports it brought in are still introduced by it, so the version
that mends it does not seem to bring them in (they would be listed as typed in later than they
were, after their deadline). Before, one broken report dropped every report of that version."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from duban.store.repository import Repository
from duban.supervise.entries import introductions

CN = "2019-changning"


def _commit(root: Path, message: str, day: str) -> str:
    stamp = {"GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00+08:00"}
    subprocess.run(["git", "commit", "-qam", message], cwd=root, check=True, env={**os.environ, **stamp})
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()


def _afresh(root: Path) -> dict[str, tuple[str, str, str | None]]:
    for kept in (root / ".git" / "duban-cache").glob("log-*.marshal"):
        kept.unlink()
    return {i.identity: (i.report_date, i.sha, i.unit) for i in introductions(Repository(root), CN).values()}


def test_a_broken_version_keeps_the_reports_it_holds_and_leaves_out_its_broken_ones(history_repo: Path) -> None:
    before = _afresh(history_repo)
    path = history_repo / "plans" / CN / "tasks" / "1.yaml"
    good = path.read_text(encoding="utf-8")
    last = "      note: 二季度过半\n"  # 金融办's report of 2019-04-25, its last
    assert good.count(last) == 1
    typed = "    - date: 2019-06-04\n      percent: 55\n"  # typed in with the broken ones, itself whole
    broken = good.replace(last, last + typed + "    - date: 2019-6-5\n      percent: 60\n    - date: 2019-06-06\n")
    broken = broken.replace("\nstatus:", "\ndue: 2019-6-30\nstatus:", 1)  # and a due the model cannot hold
    assert "\ndue: 2019-6-30\n" in broken
    path.write_text(broken, encoding="utf-8")
    edit = _commit(history_repo, "a hand edit", "2019-06-07")
    mended = broken.replace("- date: 2019-6-5\n", "- date: 2019-06-05\n").replace("due: 2019-6-30", "due: 2019-06-30")
    mended = mended.replace("    - date: 2019-06-06\n", "    - date: 2019-06-06\n      percent: 61\n")
    path.write_text(mended, encoding="utf-8")
    mend = _commit(history_repo, "mended", "2019-07-20")
    after = _afresh(history_repo)
    assert {k: v for k, v in after.items() if k in before} == before  # each old report by the commit that brought it
    new = sorted(v for k, v in after.items() if k not in before)
    assert new == [("2019-06-04", edit, "金融办"), ("2019-06-05", mend, "金融办"), ("2019-06-06", mend, "金融办")]
