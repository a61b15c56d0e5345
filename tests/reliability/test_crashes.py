"""Crashes and concurrency: SIGKILL at random moments, parallel writers, unusual repository states."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.errors import DubanError
from duban.progress import flat
from duban.record.recording import record_progress
from duban.store import yamlio
from duban.store.repository import Repository
from tests.support import git

TASK = "plans/2019-changning/tasks/1.yaml"
KILLS = int(os.environ.get("DUBAN_KILLS", "100"))


def reports(repo: Path, path: str = TASK) -> list[dict]:
    return flat(yamlio.load_fast((repo / path).read_text(encoding="utf-8"), path).get("progress"))


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_a_partial_file(git_repo: Path) -> None:
    rng = random.Random(2019)
    outcomes = {"old": 0, "new": 0, "stale index.lock explained": 0}
    for attempt in range(KILLS):
        before = (git_repo / TASK).read_bytes()
        count = len(reports(git_repo))
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "duban",
                "progress",
                "2019-changning/1",
                "--by",
                "金融办",
                "--percent",
                str(attempt % 100),
                "--date",
                "2019-12-31",
                "--note",
                f"k{attempt}",
            ],
            cwd=git_repo,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.0, 0.35))
        # Kill the whole process tree, git children included (a crash or power cut): killing
        # duban alone would leave its `git commit` finishing on its own.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        after = (git_repo / TASK).read_bytes()
        now = len(reports(git_repo))  # always parses: never a partial file
        assert after == before or now == count + 1
        outcomes["old" if after == before else "new"] += 1
        locks = sorted((git_repo / ".git").rglob("*.lock"))
        locks = [lock for lock in locks if lock.name != "duban.lock"]  # flock: released by the kernel
        if locks:
            result = CliRunner().invoke(
                cli, ["--repo", str(git_repo), "progress", "2019-changning/2", "--percent", "1", "--date", "2019-12-31"]
            )
            # The index's and the refs' locks stop a commit, and the message must say which file
            # to delete. Others a killed git can leave (next-index-*.lock, maintenance's) stop
            # nothing: duban then records as usual.
            blocking = [lock for lock in locks if lock.name in ("index.lock", "HEAD.lock") or "refs" in lock.parts]
            shown = [str(lock.relative_to(git_repo)) for lock in locks]
            if blocking:
                assert result.exit_code == 1 and "lock" in result.stderr and "delete " in result.stderr, shown
            else:
                assert result.exit_code == 0, (shown, result.stderr)
            for lock in locks:
                lock.unlink()  # what the message tells the user to do when no git is running
            outcomes["stale index.lock explained"] += 1
        # A written but uncommitted file is reported on the next run; settle it as a user would.
        if git(git_repo, "status", "--porcelain", "--", TASK):
            git(git_repo, "add", "--", TASK)
            git(git_repo, "commit", "-q", "-m", "settle after a kill", "--", TASK)
    assert subprocess.run(["git", "fsck", "--no-progress"], cwd=git_repo, capture_output=True).returncode == 0
    assert outcomes["old"] + outcomes["new"] == KILLS
    print(f"\n{KILLS} kills: {outcomes}")


@pytest.mark.slow
def test_four_processes_fifty_reports_each(git_repo: Path) -> None:
    script = (
        "import sys\nfrom pathlib import Path\nfrom duban.record.recording import record_progress\n"
        "from duban.store.repository import Repository\nrepo = Repository(Path(sys.argv[1]))\n"
        "for n in range(50):\n"
        "    record_progress(repo, sys.argv[2], n, note=f'{sys.argv[3]}-{n}', date=sys.argv[2][:4] + '-06-25',\n"
        "                    by=sys.argv[4])\n"
    )
    targets = [
        ("2019-changning/1", "金融办"),
        ("2019-changning/1", "商务委"),
        ("2019-changning/2", "金融办"),
        ("2008-baoshan/1-4", "发改委"),
    ]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(git_repo), ref, f"w{i}", unit], stderr=subprocess.PIPE, text=True
        )
        for i, (ref, unit) in enumerate(targets)
    ]
    for process in processes:
        assert process.wait(timeout=600) == 0, process.stderr.read()
    assert int(git(git_repo, "rev-list", "--count", "HEAD")) == 1 + 200
    notes = [
        r["note"]
        for path in (
            "plans/2019-changning/tasks/1.yaml",
            "plans/2019-changning/tasks/2.yaml",
            "plans/2008-baoshan/tasks/1-4.yaml",
        )
        for r in reports(git_repo, path)
    ]
    assert sorted(notes) == sorted(f"w{i}-{n}" for i in range(4) for n in range(50))
    assert subprocess.run(["git", "fsck", "--no-progress"], cwd=git_repo, capture_output=True).returncode == 0


def test_detached_head_and_no_commits(git_repo: Path, tmp_path: Path) -> None:
    git(git_repo, "checkout", "-q", "--detach")
    head = git(git_repo, "rev-parse", "HEAD")
    with pytest.raises(DubanError, match="HEAD is detached: a commit here would belong to no branch"):
        record_progress(Repository(git_repo), "2019-changning/1", 5, date="2019-03-25", by="金融办")
    assert git(git_repo, "rev-parse", "HEAD") == head and git(git_repo, "status", "--porcelain") == ""
    from tests.support import copy_sample

    empty = copy_sample(tmp_path / "new")
    git(empty, "init", "-q")
    with pytest.raises(DubanError, match="has never been committed"):
        record_progress(Repository(empty), "2019-changning/1", 5, by="金融办")


def test_git_missing(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(git_repo / "no-such-bin"))
    result = CliRunner().invoke(cli, ["progress", "2019-changning/1", "--by", "金融办", "--percent", "5"])
    assert (
        result.exit_code == 1
        and result.stderr == "duban: error: git is not installed or not on PATH (install git 2.25 or newer)\n"
    )


@pytest.mark.parametrize("errno_name", ["EROFS", "ENOSPC", "EACCES"])
def test_failing_write_changes_nothing(git_repo: Path, monkeypatch: pytest.MonkeyPatch, errno_name: str) -> None:
    import errno
    import tempfile

    before, head = (git_repo / TASK).read_bytes(), git(git_repo, "rev-parse", "HEAD")

    def failing(*args, **kwargs):
        code = getattr(errno, errno_name)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile, "mkstemp", failing)
    result = CliRunner().invoke(
        cli, ["progress", "2019-changning/1", "--by", "金融办", "--percent", "5", "--date", "2019-03-25"]
    )
    assert result.exit_code == 1 and result.stderr.startswith("duban: error: cannot write ")
    assert result.stderr.count("\n") == 1
    assert (git_repo / TASK).read_bytes() == before and git(git_repo, "rev-parse", "HEAD") == head
    assert git(git_repo, "status", "--porcelain") == ""


def test_failing_commit_restores_the_file(git_repo: Path) -> None:
    before = (git_repo / TASK).read_bytes()
    (git_repo / ".git/index.lock").write_text("")  # git cannot commit while this exists
    with pytest.raises(DubanError, match="index is locked"):
        record_progress(Repository(git_repo), "2019-changning/1", 5, date="2019-03-25", by="金融办")
    assert (git_repo / TASK).read_bytes() == before
    (git_repo / ".git/index.lock").unlink()
    assert git(git_repo, "status", "--porcelain") == ""


def test_git_too_old(git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "oldgit"
    fake.mkdir()
    (fake / "git").write_text("#!/bin/sh\necho 'git version 2.17.1'\n")
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    result = CliRunner().invoke(cli, ["progress", "2019-changning/1", "--by", "金融办", "--percent", "5"])
    assert (
        result.exit_code == 1
        and result.stderr == "duban: error: git 2.17.1 is too old (duban needs git 2.25 or newer)\n"
    )


def test_rebase_in_progress_is_refused(git_repo: Path) -> None:
    (git_repo / ".git/rebase-merge").mkdir()
    before = (git_repo / TASK).read_bytes()
    result = CliRunner().invoke(
        cli, ["progress", "2019-changning/1", "--by", "金融办", "--percent", "5", "--date", "2019-03-25"]
    )
    assert result.exit_code == 1 and "a git rebase is in progress" in result.stderr
    sync = CliRunner().invoke(cli, ["sync"])
    assert sync.exit_code == 1 and "a git rebase is in progress" in sync.stderr
    assert (git_repo / TASK).read_bytes() == before
