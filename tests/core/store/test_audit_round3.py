"""The reliability audit's round-3 findings other than the seals (../shared/audits/reliability.md
§2), each with the test that failed before its fix."""

from __future__ import annotations

import errno
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.errors import DubanError
from duban.store.repository import Repository
from tests.support import git

PLAN = "2019-changning"


# N4: history --patch lets colour sequences from another unit's commit through -------------------


def test_only_colours_that_cannot_hide_text_pass_from_a_patch() -> None:
    from duban.cli.output import terminal_safe

    hidden = [
        "\x1b[08mHIDDEN-1",
        "\x1b[30;40mHIDDEN-2",
        "\x1b[38;5;0;48;5;0mHIDDEN-3",
        "\x1b[8mBLOCKED",
        "\x1b[31;41mRED-ON-RED",
        "\x1b[90mGREY",
    ]
    for text in hidden:
        assert "\x1b" not in terminal_safe(text, keep_colour=True), text
    for colour in ("\x1b[32m+added\x1b[m", "\x1b[1;31m-removed\x1b[0m", "\x1b[36m@@ -1 +1 @@\x1b[m"):
        assert terminal_safe(colour, keep_colour=True) == colour


# N9: the importer crashes on a publication date that does not exist ------------------------------


@pytest.mark.parametrize("line", ["发布日期：2019-02-30", "成文日期:2019-13-01"])
def test_a_publication_date_that_does_not_exist_is_left_out(
    tmp_path: Path, line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pub.txt").write_text(f"{line}\n1、任务。(牵头单位:发改委)\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "pub.txt", "--plan", "2019-x", "--dry-run"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output


# N8: score leaves out an unreadable task file without a word ---------------------------------------


def test_score_names_a_file_it_could_not_read(git_repo: Path) -> None:
    path = git_repo / f"plans/{PLAN}/tasks/2.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "status: not_started\n",
            'status: not_started\nprogress:\n  金融办:\n    - date: 2019-03-01\n      percent: "50"\n',
        ),
        encoding="utf-8",
    )
    git(git_repo, "commit", "-qam", "percent as text")
    result = CliRunner().invoke(cli, ["score", "--plan", PLAN, "--month", "2019-06"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "2.yaml" in result.stderr and "left out" in result.stderr


# N12: a plan folder that is a symlink out of the repository breaks list for every plan -------------


def test_a_plan_folder_linked_from_outside_leaves_the_other_plans_listed(git_repo: Path, tmp_path: Path) -> None:
    import shutil

    outside = tmp_path / "outside" / "planx"
    shutil.copytree(git_repo / f"plans/{PLAN}", outside)
    (git_repo / "plans/2019-evil").symlink_to(outside)
    assert "2019-evil" not in Repository(git_repo).plan_ids()
    for command in (["list"], ["plans"]):
        result = CliRunner().invoke(cli, command, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["validate"], catch_exceptions=False)
    assert "symlink outside" in result.output


# N14: the TUI passes U+202E to the terminal --------------------------------------------------------


def test_the_tui_writes_out_direction_controls() -> None:
    from duban.tui.app import _without_direction_controls
    from duban.tui.widgets.task_table import visible

    assert visible("正常\u202e伪造标题") == "正常\\u202e伪造标题"
    written = []

    class Plain:
        def __init__(self, *args: object) -> None:
            pass

        def write(self, data: str) -> None:
            written.append(data)

    _without_direction_controls(Plain)().write("a\u202eb\u2066c\x1b[0m")
    assert written == ["abc\x1b[0m"]


# L4: the cache served when one byte changes, or waited on when a FIFO ------------------------------


def _cached(repo: Path) -> list[Path]:
    return [p for p in (repo / ".git/duban-cache").iterdir() if p.is_file()]


def test_a_changed_byte_in_the_cache_is_never_served(git_repo: Path) -> None:
    result = CliRunner().invoke(cli, ["list", "id:2", "--format", "csv"], catch_exceptions=False)
    assert "招留增工作" in result.output
    changed = 0
    for path in _cached(git_repo):
        data = path.read_bytes()
        if "招留增工作".encode() in data:
            path.write_bytes(data.replace("招留增工作".encode(), "招留减工作".encode()))
            changed += 1
    assert changed
    for _run in range(2):
        result = CliRunner().invoke(cli, ["list", "id:2", "--format", "csv"], catch_exceptions=False)
        assert "招留增工作" in result.output and "招留减" not in result.output


def test_cache_files_that_are_fifos_are_not_waited_on(git_repo: Path) -> None:
    CliRunner().invoke(cli, ["list"], catch_exceptions=False)
    for path in _cached(git_repo):
        path.unlink()
        os.mkfifo(path)
    started = time.monotonic()
    done: list[int] = []
    runner = threading.Thread(
        target=lambda: done.append(
            CliRunner().invoke(cli, ["list", "id:3", "--format", "csv"], catch_exceptions=False).exit_code
        ),
        daemon=True,
    )
    runner.start()
    runner.join(60)
    assert done == [0] and time.monotonic() - started < 60


# N10: full disk --------------------------------------------------------------------------------------


def test_a_full_disk_names_the_file_and_exits_1(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from duban.store import files

    real = os.fdopen

    class Full:
        def __init__(self, stream: object) -> None:
            self.stream = stream

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: Full(real(fd, mode)))
    with pytest.raises(OSError) as raised:
        files.replace_file(git_repo / "x.bin", b"data")
    assert raised.value.filename == str(git_repo / "x.bin") and not list(git_repo.glob(".x.bin.*"))
    result = CliRunner().invoke(
        cli, ["export", "--plan", PLAN, "--format", "csv", "-o", "out.csv"], catch_exceptions=False
    )
    assert result.exit_code == 1 and "disk is full" in result.stderr and "internal error" not in result.stderr


def test_a_marker_that_cannot_be_written_is_a_clear_error(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from duban.record import sync_recovery
    from duban.store.gitstore import Git

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sync_recovery, "replace_file", full)
    with pytest.raises(DubanError, match="cannot write"):
        sync_recovery.Marker(Git(git_repo)).write("merging", "0" * 40)


def test_a_merge_that_stopped_half_way_is_put_back_or_said(git_repo: Path) -> None:
    from duban.record.sync import _merge_failure, _put_back_files
    from duban.store.gitstore import Git

    path = git_repo / f"plans/{PLAN}/tasks/2.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# incoming\n", encoding="utf-8")
    assert _put_back_files(Git(git_repo)) == []
    assert git(git_repo, "status", "--porcelain") == ""
    said = _merge_failure("error: write error. Out of diskspace", [f"plans/{PLAN}/tasks/2.yaml"])
    assert "nothing was changed" not in str(said) + (said.hint or "") and "git restore" in (said.hint or "")


# N6: a stalled push holds the repository lock for the whole time limit --------------------------------


@pytest.mark.slow
def test_a_stalled_push_does_not_hold_the_lock(git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from duban.record.recording import record_progress
    from duban.record.sync import sync
    from duban.store.locking import repository_lock

    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(git_repo, "remote", "add", "origin", f"file://{remote}")
    git(git_repo, "push", "-q", "-u", "origin", "main")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    accepted = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        server.settimeout(20)
        try:
            held.append(server.accept()[0])
            accepted.set()
        except OSError:
            pass

    threading.Thread(target=serve, daemon=True).start()
    git(git_repo, "config", "remote.origin.pushurl", f"git://127.0.0.1:{server.getsockname()[1]}/remote.git")
    monkeypatch.setenv("DUBAN_SYNC_TIMEOUT", "8")
    record_progress(Repository(git_repo), f"{PLAN}/2", 5, by="金融办", date="2019-03-01", note="a")
    failure: list[BaseException] = []

    def run_sync() -> None:
        try:
            sync(Repository(git_repo))
        except BaseException as error:
            failure.append(error)

    syncing = threading.Thread(target=run_sync, daemon=True)
    syncing.start()
    assert accepted.wait(20)  # the push is waiting on the stalled remote now
    started = time.monotonic()
    with repository_lock(Repository(git_repo).root / ".git", timeout=5):
        pass
    assert time.monotonic() - started < 3
    syncing.join(30)
    assert failure and "did not answer" in str(failure[0])
    server.close()
    for connection in held:
        connection.close()


# N18: a lost push race reads the same whatever git said ---------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "! [remote rejected] main -> main (cannot lock ref 'refs/heads/main')",
        "error: failed to push some refs\n! [remote rejected] (failed to update ref)",
        " ! [rejected]        main -> main (fetch first)",
    ],
)
def test_every_lost_push_race_says_someone_pushed_meanwhile(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch, said: str
) -> None:
    import subprocess

    from duban.record.sync import Upstream, _push
    from duban.store.gitstore import Git

    monkeypatch.setattr(Git, "run_bounded", lambda self, *args, timeout: subprocess.CompletedProcess(args, 1, "", said))
    with pytest.raises(DubanError, match="someone pushed meanwhile"):
        _push(Git(git_repo), Upstream("origin", "main", True), 5, "HEAD")


# The work-tree file lost in a kill-heavy run (audit §3.1) ------------------------------------------


def test_recovering_a_killed_sync_never_removes_a_file_head_has(git_repo: Path) -> None:
    """A killed merge can leave the index without a task file's entry while the file is in the
    work tree, the same bytes as both HEAD's and the incoming version. Status then lists it as
    untracked (and its index entry as deleted); recovery took it for the incoming version left
    behind and removed it: the work tree lost a file git still had."""
    from duban.record.sync_recovery import Marker, recover
    from duban.store.gitstore import Git

    head = git(git_repo, "rev-parse", "HEAD").strip()
    git(git_repo, "rm", "-q", "--cached", f"plans/{PLAN}/tasks/2.yaml")
    Marker(Git(git_repo)).write("merging", head)
    recover(Git(git_repo), Repository(git_repo))
    assert (git_repo / f"plans/{PLAN}/tasks/2.yaml").is_file()
    assert git(git_repo, "status", "--porcelain") == ""


# N16: `duban edit` reopens the editor forever; N17: drops the text when the task goes away ------


def _editor(tmp_path: Path, script: str) -> str:
    path = tmp_path / "editor.sh"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_edit_stops_reopening_an_editor_that_never_fixes_the_file(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = tmp_path / "count"
    monkeypatch.setenv(
        "EDITOR",
        _editor(tmp_path, f'echo x >> {counter}\nsed -i "s/^title: \\(.*\\)$/title: \\1\\t（见附表）/" "$1"\n'),
    )
    result = CliRunner().invoke(cli, ["edit", f"{PLAN}/2"], catch_exceptions=False)
    assert result.exit_code == 1
    assert len(counter.read_text().splitlines()) <= 7
    assert list((git_repo / ".git").glob("duban-drafts/*")) or "kept" in result.stderr


def test_edit_keeps_the_text_when_the_task_is_deleted_meanwhile(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "EDITOR",
        _editor(
            tmp_path,
            f"cd {git_repo} && git rm -q plans/{PLAN}/tasks/2.yaml && "
            'git commit -qm "删除 2"\n'
            'sed -i "s/^title: \\(.*\\)$/title: \\1(改)/" "$1"\n',
        ),
    )
    result = CliRunner().invoke(cli, ["edit", f"{PLAN}/2"], catch_exceptions=False)
    assert result.exit_code == 1 and "kept in" in result.stderr
    kept = [p for p in (git_repo / ".git/duban-drafts").rglob("*") if p.is_file()]
    assert any("(改)" in p.read_text(encoding="utf-8") for p in kept)


# N20: a modify/delete conflict's hint spoke of markers the file does not have -------------------------


@pytest.mark.slow
@pytest.mark.parametrize("resolution", ["rm", "add"])
def test_a_task_deleted_on_one_side_and_changed_on_the_other_says_git_rm_or_git_add(
    git_repo: Path, tmp_path: Path, resolution: str
) -> None:
    from duban.record.recording import record_progress

    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(git_repo, "remote", "add", "origin", str(remote))
    git(git_repo, "push", "-q", "-u", "origin", "main")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    git(other, "rm", "-q", f"plans/{PLAN}/tasks/2.yaml")
    git(other, "commit", "-qm", "删除 2")
    git(other, "push", "-q")
    record_progress(Repository(git_repo), f"{PLAN}/2", 5, by="金融办", date="2019-03-01", note="kept or dropped")
    result = CliRunner().invoke(cli, ["sync"], catch_exceptions=False)
    assert result.exit_code == 1
    said = result.stderr
    assert "one side deleted" in said and "git rm" in said and "git add" in said and "<<<<<<<" not in said
    # What the hint says works: the deletion kept (git rm) or the task with its report (git add).
    git(git_repo, resolution, f"plans/{PLAN}/tasks/2.yaml")
    result = CliRunner().invoke(cli, ["sync"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert (git_repo / f"plans/{PLAN}/tasks/2.yaml").exists() == (resolution == "add")
    assert git(git_repo, "status", "--porcelain", "--untracked-files=no") == ""
