"""A write killed at its worst moment leaves nothing the next duban does not put right (reliability
audit round 3, N21): a real `duban` process is stopped with SIGKILL at a chosen step, found by
waiting for the process to say it reached it (a pause the test sets up in that process alone,
never a sleep), and the next command that writes then finds everything as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from tests.support import GIT_ENV, PROJECT, git

PLAN = "2019-changning"

# Run duban's CLI with one function wrapped: once `when(args)` holds, after (or before) the real
# call, the process prints PAUSED and waits on its stdin, which the test never writes: it kills.
_PAUSING = """
import os, pathlib, sys
module, name, after, when = sys.argv[1:5]
owner = {"os": os, "Path": pathlib.Path}[module]
real = getattr(owner, name)
def paused(*args, **kwargs):
    if not after and eval(when):
        print("PAUSED", flush=True); sys.stdin.read()
    result = real(*args, **kwargs)
    if after and eval(when):
        print("PAUSED", flush=True); sys.stdin.read()
    return result
setattr(owner, name, paused)
from duban.cli.main import cli
cli(sys.argv[5:])
"""


def _killed_at(repo: Path, module: str, name: str, after: bool, when: str, *args: str) -> None:
    """Run `duban ARGS` in `repo` and SIGKILL it once it reaches `module.name(...)` with `when`."""
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(PROJECT)}  # this checkout's duban, whatever is installed
    env.pop("DUBAN_REPO", None)
    process = subprocess.Popen(
        [sys.executable, "-c", _PAUSING, module, name, "1" if after else "", when, *args],
        cwd=repo,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]  # blocks until the step is reached
        assert line.strip() == "PAUSED", (line, process.stderr.read())  # type: ignore[union-attr]
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(30)
    assert process.returncode == -signal.SIGKILL


def _hidden(repo: Path) -> list[str]:
    found = [p for p in (repo / "plans").rglob(".*") if p.name not in (".gitattributes", ".gitignore")]
    return sorted(str(p.relative_to(repo)) for p in found)


def test_a_report_killed_before_its_rename_leaves_no_temporary_file(git_repo: Path) -> None:
    _killed_at(
        git_repo,
        "os",
        "replace",
        False,
        "str(args[1]).endswith('2.yaml')",
        "progress",
        f"{PLAN}/2",
        "--percent",
        "5",
        "--by",
        "金融办",
        "--date",
        "2019-03-01",
    )
    assert [Path(p).name.endswith(".tmp") for p in _hidden(git_repo)] == [True]  # killed where it was meant to be
    result = CliRunner().invoke(
        cli,
        ["progress", f"{PLAN}/2", "--percent", "6", "--by", "金融办", "--date", "2019-03-02"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert _hidden(git_repo) == []
    assert git(git_repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_an_import_killed_between_its_renames_leaves_the_plan_in_place(git_repo: Path) -> None:
    source = str(PROJECT / f"plans/{PLAN}/source/002_6636f39aa932eafa.txt")
    before = sorted(p.name for p in (git_repo / f"plans/{PLAN}/tasks").iterdir())
    _killed_at(
        git_repo,
        "Path",
        "rename",
        True,
        "'.old-' in str(args[1])",
        "import",
        source,
        "--plan",
        PLAN,
        "--replace",
        "--force",
    )
    assert not (git_repo / f"plans/{PLAN}").exists()  # killed in the worst moment: the plan moved aside
    assert len(_hidden(git_repo)) >= 2
    # The next command that writes, on any task, finds the plan where it was and nothing else.
    result = CliRunner().invoke(
        cli,
        ["progress", f"{PLAN}/2", "--percent", "6", "--by", "金融办", "--date", "2019-03-02"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (git_repo / f"plans/{PLAN}/tasks").iterdir()) == before
    assert [p for p in _hidden(git_repo) if not p.startswith(f"plans/{PLAN}/")] == []
    assert git(git_repo, "status", "--porcelain", "--untracked-files=all") == ""


@pytest.mark.slow
def test_a_killed_import_is_tidied_by_the_next_import(git_repo: Path) -> None:
    source = str(PROJECT / f"plans/{PLAN}/source/002_6636f39aa932eafa.txt")
    _killed_at(
        git_repo, "Path", "write_text", True, "'tasks' in str(args[0])", "import", source, "--plan", "2019-again"
    )
    assert _hidden(git_repo)  # a plan being built
    result = CliRunner().invoke(cli, ["import", source, "--plan", "2019-again"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert _hidden(git_repo) == []
