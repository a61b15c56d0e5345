"""The commits that first brought each report in (supervise/entries.introductions) are kept
under the HEAD they were read at and extended by the commits since: the kept answer must be
the answer read afresh, after new reports, a merge of another clone's work, a rewritten
history and a changed plan.yaml."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from duban.record.recording import record_progress
from duban.store.repository import Repository
from duban.supervise.entries import introductions
from tests.office_fixtures import at, clerk_repo, clerk_repo_template  # noqa: F401
from tests.support import GIT_ENV, git

CN = "2019-changning"


def _afresh(root: Path) -> dict:
    for kept in (root / ".git" / "duban-cache").glob("log-*.marshal"):
        kept.unlink()
    return introductions(Repository(root), CN)


def _record(root: Path, day: str, ref: str, percent: int, by: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at(day)}.items():
            patch.setenv(key, value)
        record_progress(
            Repository(root),
            f"{CN}/{ref}",
            percent,
            by=by,
            date=day,
            note=f"{by}{percent}",
            today=dt.date.fromisoformat(day),
        )


@pytest.mark.slow
def test_the_kept_introductions_are_those_read_afresh(clerk_repo: Path) -> None:
    root = clerk_repo
    before = introductions(Repository(root), CN)
    assert before and before == _afresh(root)
    # Another clone's work on a branch from an older commit, new reports here, then the merge.
    git(root, "branch", "other", "HEAD~3")
    _record(root, "2019-06-27", "6", 60, "科委")
    git(root, "checkout", "-q", "other")
    _record(root, "2019-06-26", "18", 55, "建交委")
    git(root, "checkout", "-q", "main")
    subprocess.run(
        ["git", "merge", "-q", "--no-edit", "other"],
        cwd=root,
        check=True,
        env={**os.environ, **GIT_ENV, **at("2019-06-29")},
    )
    kept = introductions(Repository(root), CN)
    assert kept == _afresh(root)
    added = {i.unit for i in kept.values()} and {(i.task_id, i.report_date) for i in kept.values()} - {
        (i.task_id, i.report_date) for i in before.values()
    }
    assert added == {("6", "2019-06-27"), ("18", "2019-06-26")}
    # A rewritten history: the kept HEAD is no longer an ancestor.
    introductions(Repository(root), CN)
    git(root, "reset", "-q", "--hard", "HEAD~2")
    _record(root, "2019-06-28", "35", 70, "民政局")
    assert introductions(Repository(root), CN) == _afresh(root)
    # A unit's name in plan.yaml changes a report's identity: the kept answer is not used.
    introductions(Repository(root), CN)
    plan_yaml = root / "plans" / CN / "plan.yaml"
    plan_yaml.write_text(plan_yaml.read_text(encoding="utf-8").replace("民政局", "区民政局", 1), encoding="utf-8")
    assert introductions(Repository(root), CN) == _afresh(root)
