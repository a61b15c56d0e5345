"""A commit that fails or is interrupted leaves the record as it was, or as committed, never
half: no git identity, a full disk, Ctrl-C after git committed, a detached HEAD (M2, M3, H5)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from duban.errors import DubanError
from duban.record.recording import record_progress
from duban.store.repository import Repository
from tests.support import GIT_ENV, SUBCOMMAND, git

TASK = "plans/2019-changning/tasks/1.yaml"


def wrapper(folder: Path, body: str) -> Path:
    """A `git` on PATH that runs `body` (sh) around the real git, "$REAL"; "$SUB" is the git
    command run (duban puts `-c core.quotepath=off` before it)."""
    folder.mkdir()
    script = folder / "git"
    script.write_text(f'#!/bin/sh\nREAL="{shutil.which("git")}"\n{SUBCOMMAND}\n{body}\n', encoding="utf-8")
    script.chmod(0o755)
    return folder


def test_no_git_identity_leaves_nothing_staged(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("EMAIL", "")
    git_env_free = subprocess.run(["git", "config", "user.email"], cwd=git_repo, capture_output=True)
    assert git_env_free.returncode != 0
    before = (git_repo / TASK).read_bytes()
    with pytest.raises(DubanError) as caught:
        record_progress(Repository(git_repo), "2019-changning/1", 10, date="2019-03-25", by="金融办")
    assert "git does not know who you are" in str(caught.value) and "git config --global user.name" in str(caught.value)
    assert (git_repo / TASK).read_bytes() == before
    assert git(git_repo, "status", "--porcelain") == ""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    assert record_progress(Repository(git_repo), "2019-changning/1", 10, date="2019-03-25", by="金融办").sha


def test_a_full_disk_during_the_commit_is_named_and_nothing_is_left_staged(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = wrapper(
        tmp_path / "bin",
        'if [ "$SUB" = commit ]; then\n'
        "  echo \"error: sha1 file '.git/index.lock' write error. Out of diskspace\" >&2; exit 128\n"
        'fi\nexec "$REAL" "$@"',
    )
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    before = (git_repo / TASK).read_bytes()
    with pytest.raises(DubanError) as caught:
        record_progress(Repository(git_repo), "2019-changning/1", 10, date="2019-03-25", by="金融办")
    assert "the disk is full" in str(caught.value) and "index.lock" not in str(caught.value)
    assert "nothing was changed" not in str(caught.value)
    assert (git_repo / TASK).read_bytes() == before and git(git_repo, "status", "--porcelain") == ""


def test_when_the_old_file_cannot_be_put_back_it_is_said(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = wrapper(
        tmp_path / "bin",
        'if [ "$SUB" = commit ]; then echo "fatal: Out of diskspace" >&2; exit 128; fi\nexec "$REAL" "$@"',
    )
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    import duban.record.writer as writer

    calls = []
    real = writer.write_atomically

    def second_write_fails(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) > 1:
            raise writer._cannot_write(path, OSError(28, "No space left on device"))
        real(path, data)

    monkeypatch.setattr(writer, "write_atomically", second_write_fails)
    with pytest.raises(DubanError) as caught:
        record_progress(Repository(git_repo), "2019-changning/1", 10, date="2019-03-25", by="金融办")
    message = str(caught.value)
    assert "could not be put back as it was" in message
    assert "git restore -SW -- plans/2019-changning/tasks/1.yaml" in message
    assert "nothing was changed" not in message


def test_ctrl_c_after_git_committed_keeps_the_commit_and_the_file(git_repo: Path, tmp_path: Path) -> None:
    flag = tmp_path / "committed"
    folder = wrapper(
        tmp_path / "bin", f'"$REAL" "$@"; rc=$?\nif [ "$SUB" = commit ]; then touch "{flag}"; sleep 30; fi\nexit $rc'
    )
    env = {**os.environ, **GIT_ENV, "PATH": f"{folder}:{os.environ['PATH']}"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "duban",
            "progress",
            "2019-changning/1",
            "--percent",
            "40",
            "--by",
            "金融办",
            "--date",
            "2019-03-25",
            "--note",
            "sigint-test",
        ],
        cwd=git_repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not flag.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)  # to duban alone, as a parent process would
    stdout, stderr = process.communicate(timeout=60)
    assert "sigint-test" in git(git_repo, "show", f"HEAD:{TASK}")
    assert "sigint-test" in (git_repo / TASK).read_text(encoding="utf-8"), (stdout, stderr)
    assert git(git_repo, "status", "--porcelain") == ""
    assert process.returncode == 0 and "进度 40%" in stdout


def test_a_write_registers_the_merge_driver(git_repo: Path) -> None:
    assert subprocess.run(["git", "config", "merge.duban.driver"], cwd=git_repo).returncode != 0
    record_progress(Repository(git_repo), "2019-changning/1", 10, date="2019-03-25", by="金融办")
    assert "merge-driver" in git(git_repo, "config", "merge.duban.driver")


def test_a_read_only_task_file_keeps_its_mode(git_repo: Path) -> None:
    path = git_repo / TASK
    path.chmod(0o444)
    record_progress(Repository(git_repo), "2019-changning/1", 10, date="2019-03-25", by="金融办")
    assert path.stat().st_mode & 0o777 == 0o444


def test_a_lock_file_that_cannot_be_opened_is_one_line(git_repo: Path) -> None:
    lock = git_repo / ".git" / "duban.lock"
    lock.mkdir()  # cannot be opened for writing, even by root
    with pytest.raises(DubanError, match="cannot open the lock file"):
        record_progress(Repository(git_repo), "2019-changning/1", 10, date="2019-03-25", by="金融办")


def test_a_set_that_changes_nothing_claims_no_commit(git_repo: Path) -> None:
    from duban.record.setting import set_fields

    repo = Repository(git_repo)
    set_fields(repo, "2019-changning/1", ["status=delayed"])
    head = git(git_repo, "rev-parse", "HEAD")
    with pytest.raises(DubanError, match="already has these values; nothing was committed"):
        set_fields(repo, "2019-changning/1", ["status=delayed"])
    assert git(git_repo, "rev-parse", "HEAD") == head and git(git_repo, "status", "--porcelain") == ""
