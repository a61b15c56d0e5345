"""Portable by construction (issue 32): the repository lock held across processes through a
cross-platform library, POSIX-only calls in duban/system.py alone, git's paths never quoted,
UTF-8 on every stream, and the paths a system without POSIX takes (DUBAN_PORTABLE=1)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from duban import system
from duban.errors import DubanError
from duban.store.locking import repository_lock
from tests.support import PROJECT, git

HOLD = """
import sys, time
from pathlib import Path
from duban.store.locking import repository_lock
with repository_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def _holder(git_dir: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(git_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_the_lock_is_held_across_processes_and_freed_when_its_holder_dies(tmp_path: Path) -> None:
    holder = _holder(tmp_path)
    try:
        started = time.monotonic()
        with pytest.raises(DubanError, match="another duban process"):
            with repository_lock(tmp_path, timeout=0):  # a try that does not wait
                pass
        with pytest.raises(DubanError, match="another duban process"):
            with repository_lock(tmp_path, timeout=0.5):
                pass
        assert time.monotonic() - started < 10
    finally:
        holder.kill()  # killed, not released: the system frees the lock
        holder.wait()
    with repository_lock(tmp_path, timeout=5):
        assert (tmp_path / "duban.lock").exists()
    assert (tmp_path / "duban.lock").exists()  # kept: see locking.py


def test_a_second_lock_in_the_same_process_waits_too(tmp_path: Path) -> None:
    with repository_lock(tmp_path):
        with pytest.raises(DubanError, match="another duban process"):
            with repository_lock(tmp_path, timeout=0.2):
                pass


# What only POSIX systems have: used in duban/system.py alone.
POSIX_ONLY = (
    "fcntl",
    "killpg",
    "SIGKILL",
    "O_NONBLOCK",
    "setsid",
    "start_new_session",
    "getuid",
    "geteuid",
    "getpgid",
    "termios",
    "SIGHUP",
    "SIGQUIT",
)


@pytest.mark.slow
def test_posix_only_calls_are_in_the_platform_module_alone() -> None:
    found = []
    for folder in ("duban", "cli", "tui"):
        for path in (PROJECT / folder).rglob("*.py"):
            if path == PROJECT / "duban" / "system.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = (
                    node.attr if isinstance(node, ast.Attribute) else (node.id if isinstance(node, ast.Name) else None)
                )
                modules = [alias.name for alias in node.names] if isinstance(node, (ast.Import, ast.ImportFrom)) else []
                if isinstance(node, ast.keyword):
                    name = node.arg
                if name in POSIX_ONLY or any(module in POSIX_ONLY for module in modules):
                    found.append(
                        f"{path.relative_to(PROJECT)}:{node.lineno if hasattr(node, 'lineno') else '?'} {name}"
                    )
    assert found == []


CHILD = (
    "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
    "print('started', flush=True); time.sleep(60)"
)


@pytest.mark.parametrize("portable", [False, True])
def test_a_process_group_is_stopped_either_way(portable: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if portable:
        monkeypatch.setenv(system.PORTABLE_VARIABLE, "1")
    else:
        monkeypatch.delenv(system.PORTABLE_VARIABLE, raising=False)
    assert system.posix() == (os.name == "posix" and not portable)
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True, **system.group_options()
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "started"
    system.stop_group(process)
    assert process.wait(timeout=10) != 0


def test_git_prints_chinese_paths_as_they_are(git_repo: Path) -> None:
    """An uncommitted 通知.txt beside a plan is named as such, not as "\\351\\200\\232…"."""
    from click.testing import CliRunner

    from duban.cli.main import cli

    note = git_repo / "plans" / "2019-changning" / "督查科批注.txt"
    note.write_text("批注\n", encoding="utf-8")
    document = PROJECT / "plans" / "2019-changning" / "source" / "002_6636f39aa932eafa.txt"
    result = CliRunner().invoke(cli, ["import", str(document), "--plan", "2019-changning", "--replace"])
    assert result.exit_code == 1 and "督查科批注.txt" in result.stderr and "\\3" not in result.stderr, result.stderr
    assert git(git_repo, "status", "--porcelain")  # nothing was touched


def test_output_is_utf8_whatever_the_streams_encoding(git_repo: Path) -> None:
    """A console or pipe in a legacy code page (GBK on a Chinese Windows; latin-1 here, which
    has no Chinese at all) gets UTF-8, never an encoding error."""
    shown = subprocess.run(
        [sys.executable, "-m", "duban", "--lang", "zh", "show", "2019-changning/1"],
        capture_output=True,
        cwd=git_repo,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
    )
    assert shown.returncode == 0, shown.stderr.decode("utf-8", "replace")
    assert "制定并部署2019年长宁区稳增长举措实施方案" in shown.stdout.decode("utf-8")


@pytest.mark.slow
def test_cli_tests_pass_on_the_portable_paths(tmp_path: Path) -> None:
    """The paths a system without POSIX takes, forced: the clerk's habits and a stalled push
    stopped by its time limit. CI runs every CLI test so (.ci/run)."""
    tests = [
        "tests/cli/test_clerk_habits.py",
        "tests/core/store/test_audit_round3.py::test_a_stalled_push_does_not_hold_the_lock",
    ]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *tests],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={**os.environ, system.PORTABLE_VARIABLE: "1"},
    )
    assert run.returncode == 0, run.stdout[-3000:]


# -- glyphs: ─ … ▶ · in ASCII for a console that draws them two cells wide ----------------------

AMBIGUOUS = "─…▲▼▶●→·"


def test_ascii_output_draws_no_ambiguous_width_mark(git_repo: Path) -> None:
    from click.testing import CliRunner

    from duban.cli.main import cli

    try:
        for args, env in (
            (["--ascii", "list"], {}),
            (["list"], {"DUBAN_ASCII": "1"}),
            (["--ascii", "show", "2019-changning/1", "--as-of", "2019-05-01"], {}),
        ):
            result = CliRunner().invoke(cli, ["--lang", "zh", *args], env={"COLUMNS": "60", **env})
            assert result.exit_code == 0, result.stderr
            assert not set(result.stdout) & set(AMBIGUOUS), result.stdout
        listed = CliRunner().invoke(cli, ["--ascii", "list"], env={"COLUMNS": "60"}).stdout
        assert "..." in listed and "-----" in listed
        assert "─" in CliRunner().invoke(cli, ["list"], env={"COLUMNS": "60"}).stdout  # Unicode by default
    finally:
        from duban.text.glyphs import use_ascii

        use_ascii(False)


def test_the_classic_windows_console_on_a_chinese_code_page_gets_ascii() -> None:
    from duban.text.glyphs import legacy_console

    assert legacy_console("win32", 936, {}) and legacy_console("win32", 950, {})
    assert not legacy_console("win32", 65001, {})  # UTF-8 code page
    assert not legacy_console("win32", 936, {"WT_SESSION": "x"})  # Windows Terminal draws them one cell wide
    assert not legacy_console("linux", 936, {})


@pytest.mark.slow
def test_a_stalled_remote_is_given_up_on_the_portable_path_too(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where only git itself can be stopped (no process groups), a helper it started (ssh, a
    remote helper) that still holds git's output must not keep duban waiting."""
    from duban.store.gitstore import Git, GitError
    from tests.support import SUBCOMMAND

    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text(
        f'#!/bin/sh\n{SUBCOMMAND}\nif [ "$SUB" = fetch ]; then sleep 60 & sleep 60; fi\n'
        f'exec "{shutil.which("git")}" "$@"\n',
        encoding="utf-8",
    )
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    monkeypatch.setenv(system.PORTABLE_VARIABLE, "1")
    started = time.monotonic()
    with pytest.raises(GitError, match="did not answer"):
        Git(git_repo).run_bounded("fetch", "origin", timeout=1)
    assert time.monotonic() - started < 30


def test_every_message_is_one_cell_characters_in_ascii() -> None:
    """What duban says in its own words (every msgid and msgstr of the catalog), as --ascii and a
    legacy console show it: no …, “”, ✓ or → that such a console draws two cells wide."""
    import importlib.util
    import unicodedata

    from duban.text.glyphs import plain, use_ascii

    spec = importlib.util.spec_from_file_location("compile_catalog", PROJECT / "scripts/compile_catalog.py")
    compiler = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compiler)  # type: ignore[union-attr]
    entries = compiler.parse_po((PROJECT / "duban/locale/zh_CN/LC_MESSAGES/duban.po").read_text(encoding="utf-8"))
    use_ascii(True)
    try:
        shown = [plain(text) for entry in entries.items() for text in entry]
    finally:
        use_ascii(False)
    assert {
        char
        for text in shown
        for char in text
        if not char.isascii() and unicodedata.east_asian_width(char) not in ("W", "F")
    } == set()


def test_ascii_messages_in_the_cli(git_repo: Path) -> None:
    """A message's own … as `duban --ascii` prints it, the file it names kept as it is."""
    from click.testing import CliRunner

    from duban.cli.main import cli

    task = git_repo / "plans" / "2019-changning" / "tasks" / "1.yaml"
    task.write_text(task.read_text(encoding="utf-8") + "# 督查科…批注\n", encoding="utf-8")
    try:
        result = CliRunner().invoke(cli, ["--lang", "zh", "--ascii", "sync"])
        assert "plans/2019-changning/tasks/1.yaml ...)" in result.stderr, result.stderr
        assert "…" not in result.stderr
    finally:
        from duban.text.glyphs import use_ascii

        use_ascii(False)
