"""sync follows the upstream, never leaves or pushes a half or invalid merge, recovers what a
killed sync left, explains what it cannot recover, and gives up on a stalled remote (H2, H4,
M8, M11, L5, L6, L15)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from duban.progress import flat
from duban.store import yamlio
from tests.cli.support import duban
from tests.support import GIT_ENV, SUBCOMMAND, git

TASK = "plans/2019-changning/tasks/1.yaml"


def notes(repo: Path, path: str = TASK) -> list[str]:
    doc = yamlio.load_fast((repo / path).read_text(encoding="utf-8"), path)
    return [r.get("note", "") for r in flat(doc.get("progress"))]


def report_on_both(office: Path, unit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (
        duban(
            office,
            monkeypatch,
            "progress",
            "2019-changning/1",
            "--by",
            "金融办",
            "--percent",
            "10",
            "--date",
            "2019-03-01",
            "--note",
            "office report",
        ).exit_code
        == 0
    )
    assert duban(office, monkeypatch, "sync").exit_code == 0
    assert (
        duban(
            unit,
            monkeypatch,
            "progress",
            "2019-changning/1",
            "--percent",
            "20",
            "--by",
            "商务委",
            "--date",
            "2019-03-02",
            "--note",
            "unit report",
        ).exit_code
        == 0
    )


def settle(office: Path, unit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for repo in (unit, office, unit):
        result = duban(repo, monkeypatch, "sync")
        assert result.exit_code == 0, result.stderr
    for repo in (office, unit):
        assert sorted(notes(repo)) == ["office report", "unit report"]
        assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
    assert git(office, "rev-parse", "HEAD") == git(unit, "rev-parse", "HEAD")


@pytest.mark.slow
def test_a_stale_index_lock_is_named_before_anything_is_merged(clones, monkeypatch) -> None:
    office, unit = clones
    report_on_both(office, unit, monkeypatch)
    lock = unit / ".git" / "index.lock"
    lock.touch()
    result = duban(unit, monkeypatch, "sync")
    assert result.exit_code == 1 and "index.lock" in result.stderr and "delete" in result.stderr
    assert not (unit / ".git" / "MERGE_HEAD").exists()
    lock.unlink()
    settle(office, unit, monkeypatch)


def _slow_git(folder: Path, flag: Path) -> Path:
    """A git that, after a real `git merge`, waits to be killed: sync is killed mid-merge."""
    folder.mkdir()
    real = shutil.which("git")
    script = folder / "git"
    script.write_text(
        f'#!/bin/sh\n{SUBCOMMAND}\n"{real}" "$@"; rc=$?\nif [ "$SUB" = merge ]; then touch "{flag}"; sleep 60; fi\n'
        "exit $rc\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return folder


def _kill_sync_mid_merge(repo: Path, tmp_path: Path) -> None:
    flag = tmp_path / "merged"
    env = {**os.environ, **GIT_ENV, "PATH": f"{_slow_git(tmp_path / 'slow', flag)}:{os.environ['PATH']}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "duban", "sync"],
        cwd=repo,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not flag.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert flag.exists()


@pytest.mark.slow
def test_a_sync_killed_mid_merge_is_undone_and_merged_again(clones, monkeypatch, tmp_path) -> None:
    office, unit = clones
    report_on_both(office, unit, monkeypatch)
    _kill_sync_mid_merge(unit, tmp_path)
    assert (unit / ".git" / "MERGE_HEAD").exists()  # what git would invite a person to commit
    result = duban(unit, monkeypatch, "sync")
    assert result.exit_code == 0, result.stderr
    assert "an interrupted sync was undone" in result.stdout
    settle(office, unit, monkeypatch)


@pytest.mark.slow
def test_a_resolved_conflict_is_checked_and_committed_by_the_next_sync(clones, monkeypatch) -> None:
    office, unit = clones
    duban(office, monkeypatch, "set", "2019-changning/1", "due=2019-06-30")
    report_on_both(office, unit, monkeypatch)
    duban(unit, monkeypatch, "set", "2019-changning/1", "due=2019-09-30")
    stopped = duban(unit, monkeypatch, "sync")
    assert stopped.exit_code == 1 and "both sides changed the same field" in stopped.stderr
    text = (unit / TASK).read_text(encoding="utf-8")
    hunk = text[text.index("<<<<<<<") : text.index(">>>>>>>")]
    assert "due:" in hunk and "report" not in hunk  # the reports are merged outside the markers
    again = duban(unit, monkeypatch, "sync")
    assert again.exit_code == 1 and "both sides changed the same field" in again.stderr
    start, end = text.index("<<<<<<<"), text.index("\n", text.index(">>>>>>>")) + 1
    (unit / TASK).write_text(text[:start] + "due: 2019-09-30\n" + text[end:], encoding="utf-8")
    git(unit, "add", TASK)
    result = duban(unit, monkeypatch, "sync")
    assert result.exit_code == 0, result.stderr
    assert "the merge you resolved was checked and committed" in result.stdout
    settle(office, unit, monkeypatch)


@pytest.mark.slow
def test_a_resolution_that_drops_the_other_report_is_refused(clones, monkeypatch) -> None:
    office, unit = clones
    duban(office, monkeypatch, "set", "2019-changning/1", "due=2019-06-30")
    report_on_both(office, unit, monkeypatch)
    duban(unit, monkeypatch, "set", "2019-changning/1", "due=2019-09-30")
    assert duban(unit, monkeypatch, "sync").exit_code == 1
    git(unit, "checkout", "--ours", "--", TASK)  # "keep my side": the office's report is dropped
    git(unit, "add", TASK)
    result = duban(unit, monkeypatch, "sync")
    assert result.exit_code == 1 and "the merge drops the report of 2019-03-01" in result.stderr
    assert (unit / ".git" / "MERGE_HEAD").exists()
    git(unit, "commit", "-q", "--no-edit")  # committed with git anyway: still not pushed
    result = duban(unit, monkeypatch, "sync")
    assert result.exit_code == 1 and "the merge drops the report of 2019-03-01" in result.stderr
    assert "office report" in notes(office)
    assert git(office, "ls-remote", "origin", "main").split()[0] == git(office, "rev-parse", "HEAD").strip()


def test_a_merge_that_does_not_validate_is_not_pushed(clones, monkeypatch) -> None:
    office, unit = clones
    plan = office / "plans/2019-changning/plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("  - name: 环保局\n    kind: department\n", ""), encoding="utf-8"
    )
    git(office, "commit", "-qam", "撤销环保局")
    assert duban(office, monkeypatch, "sync").exit_code == 0
    assert duban(unit, monkeypatch, "set", "2019-changning/2", "support=商务委,环保局").exit_code == 0
    remote_before = git(unit, "ls-remote", "origin", "main").split()[0]
    result = duban(unit, monkeypatch, "sync")
    assert result.exit_code == 1 and "the merged plan does not validate" in result.stderr
    assert "unknown unit '环保局'" in result.stderr
    assert git(unit, "ls-remote", "origin", "main").split()[0] == remote_before
    abort = subprocess.run(["git", "merge", "--abort"], cwd=unit, env={**os.environ, **GIT_ENV})
    assert abort.returncode == 0


def test_sync_follows_the_branch_upstream(clones, monkeypatch) -> None:
    office, unit = clones
    git(office, "checkout", "-q", "-b", "六月报送", "--track", "origin/main")
    assert (
        duban(
            office,
            monkeypatch,
            "progress",
            "2019-changning/1",
            "--by",
            "金融办",
            "--percent",
            "30",
            "--date",
            "2019-06-20",
            "--note",
            "六月",
        ).exit_code
        == 0
    )
    result = duban(office, monkeypatch, "sync")
    assert result.exit_code == 0 and result.stdout.startswith("origin/main:"), result.stdout
    assert duban(unit, monkeypatch, "sync").exit_code == 0
    assert "六月" in notes(unit)
    assert git(office, "ls-remote", "--heads", "origin").count("refs/heads/") == 1


def test_a_branch_the_remote_does_not_have_is_refused(clones, monkeypatch, tmp_path) -> None:
    office, unit = clones
    git(unit, "checkout", "-q", "-b", "master")
    result = duban(unit, monkeypatch, "sync")
    assert result.exit_code == 1 and "origin has no branch master (it has main)" in result.stderr
    assert "git branch --set-upstream-to=origin/main" in result.stderr
    assert git(unit, "ls-remote", "--heads", "origin").count("refs/heads/") == 1


def test_a_second_init_is_told_to_clone(clones, monkeypatch, tmp_path) -> None:
    office, _unit = clones
    other = tmp_path / "other"
    monkeypatch.setenv("GIT_AUTHOR_NAME", "another office")  # its own first commit
    assert duban(tmp_path, monkeypatch, "init", str(other)).exit_code == 0
    git(other, "branch", "-M", "main")
    git(other, "remote", "add", "origin", git(office, "remote", "get-url", "origin").strip())
    result = duban(other, monkeypatch, "sync")
    assert result.exit_code == 1 and "no commit in common" in result.stderr and "git clone" in result.stderr
    assert not (other / ".git" / "MERGE_HEAD").exists()


def test_one_side_deleted_the_task(clones, monkeypatch) -> None:
    office, unit = clones
    git(office, "rm", "-q", TASK)
    git(office, "commit", "-qm", "删除 1")
    assert duban(office, monkeypatch, "sync").exit_code == 0
    assert (
        duban(
            unit,
            monkeypatch,
            "progress",
            "2019-changning/1",
            "--by",
            "金融办",
            "--percent",
            "10",
            "--date",
            "2019-03-01",
        ).exit_code
        == 0
    )
    result = duban(unit, monkeypatch, "sync")
    assert result.exit_code == 1
    assert f"one side deleted {TASK} and the other changed it" in result.stderr


def test_a_non_bare_remote_is_explained(tmp_path, monkeypatch, clones) -> None:
    office, unit = clones
    checked_out = tmp_path / "checked-out"
    git(tmp_path, "clone", "-q", str(office), str(checked_out))
    assert (
        duban(
            checked_out,
            monkeypatch,
            "progress",
            "2019-changning/1",
            "--by",
            "金融办",
            "--percent",
            "10",
            "--date",
            "2019-03-01",
        ).exit_code
        == 0
    )
    result = duban(checked_out, monkeypatch, "sync")
    assert result.exit_code == 1 and "checked out" in result.stderr and "bare" in result.stderr


@pytest.mark.slow  # waits out the 20 s timeout, long enough for a progress to run meanwhile under load
def test_a_stalled_remote_times_out_without_holding_the_lock(clones, monkeypatch, tmp_path) -> None:
    office, unit = clones
    started = tmp_path / "connected"
    git(unit, "config", "protocol.ext.allow", "always")
    git(unit, "remote", "set-url", "origin", f"ext::sh -c touch% {started};sleep% 600")
    env = {**os.environ, **GIT_ENV, "DUBAN_SYNC_TIMEOUT": "20"}
    process = subprocess.Popen(
        [sys.executable, "-m", "duban", "sync"],
        cwd=unit,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not started.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists()
    # While sync waits for the remote, this clone's other writers are not held up.
    recorded = duban(
        unit, monkeypatch, "progress", "2019-changning/1", "--by", "金融办", "--percent", "5", "--date", "2019-03-01"
    )
    assert recorded.exit_code == 0, recorded.stderr
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 1 and "the remote did not answer within 20 s" in stderr


@pytest.mark.slow
def test_a_plain_git_merge_of_same_month_reports_is_finished_by_sync(clones, monkeypatch) -> None:
    """Where git merges without duban's driver (a fresh clone's `git pull`, a forge), two
    units' reports on one task in one month conflict line by line; duban sync then merges
    the files again with the driver, checks the result and commits it."""
    office, unit = clones
    report_on_both(office, unit, monkeypatch)
    git(unit, "config", "--remove-section", "merge.duban")  # as a forge or a fresh clone merges
    pulled = subprocess.run(
        ["git", "pull", "-q", "--no-rebase", "origin", "main"],
        cwd=unit,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
    )
    assert pulled.returncode != 0 and "<<<<<<<" in (unit / TASK).read_text(encoding="utf-8")
    result = duban(unit, monkeypatch, "sync")
    assert result.exit_code == 0, result.stderr
    assert "finished with duban's merge driver" in result.stdout
    settle(office, unit, monkeypatch)


def test_a_remote_that_cannot_store_the_push_is_not_called_a_race(clones, monkeypatch, tmp_path) -> None:
    office, unit = clones
    hook = Path(git(office, "remote", "get-url", "origin").strip()) / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'fatal: write error: No space left on device' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    assert (
        duban(
            unit,
            monkeypatch,
            "progress",
            "2019-changning/1",
            "--by",
            "金融办",
            "--percent",
            "10",
            "--date",
            "2019-03-01",
        ).exit_code
        == 0
    )
    result = duban(unit, monkeypatch, "sync")
    assert result.exit_code == 1 and "the remote could not store the commits" in result.stderr
    assert "someone pushed meanwhile" not in result.stderr


def test_a_killed_progress_left_lock_and_file_the_lock_is_named_first(clones, monkeypatch) -> None:
    """Found by the kill test (seed 37): a progress killed inside git leaves .git/index.lock and
    the written file; 'uncommitted changes' first sent the user to a git restore that the
    lock then stopped."""
    office, unit = clones
    path = unit / TASK
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: not_started", "status: in_progress"), encoding="utf-8"
    )
    (unit / ".git" / "index.lock").touch()
    for args in (
        ("sync",),
        ("progress", "2019-changning/1", "--by", "金融办", "--percent", "5", "--date", "2019-03-01"),
    ):
        result = duban(unit, monkeypatch, *args)
        assert result.exit_code == 1 and "index.lock" in result.stderr and "delete" in result.stderr, result.stderr


@pytest.mark.slow
def test_the_merge_drivers_leftovers_of_a_killed_sync_are_removed(clones, monkeypatch) -> None:
    office, unit = clones
    report_on_both(office, unit, monkeypatch)
    theirs = git(unit, "rev-parse", "origin/main").strip()
    (unit / ".git" / "duban-sync").write_text(f"merging {theirs}\n", encoding="utf-8")  # as a killed sync leaves it
    (unit / ".merge_file_a1B2c3").write_text("half", encoding="utf-8")
    assert duban(unit, monkeypatch, "sync").exit_code == 0
    assert not (unit / ".merge_file_a1B2c3").exists()
    settle(office, unit, monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["sync", "rebase"])
def test_a_supervisors_status_survives_a_report_merged_or_rebased(clones, monkeypatch, how) -> None:
    """Merge and rebase agree (L8): both keep the office's `delayed` over a unit's report."""
    office, unit = clones
    assert duban(office, monkeypatch, "set", "2019-changning/2", "status=delayed").exit_code == 0
    assert duban(office, monkeypatch, "sync").exit_code == 0
    assert (
        duban(unit, monkeypatch, "progress", "2019-changning/2", "--percent", "30", "--date", "2019-03-25").exit_code
        == 0
    )
    if how == "sync":
        assert duban(unit, monkeypatch, "sync").exit_code == 0
    else:
        subprocess.run(
            ["git", "pull", "-q", "--rebase", "origin", "main"], cwd=unit, check=True, env={**os.environ, **GIT_ENV}
        )
    doc = yamlio.load_fast((unit / "plans/2019-changning/tasks/2.yaml").read_text(encoding="utf-8"), "2")
    assert doc["status"] == "delayed" and [r["percent"] for r in flat(doc["progress"])] == [30]
