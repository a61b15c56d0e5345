"""Escape sequences and bidirectional controls from titles, notes and author names are shown,
never obeyed: every command's terminal output writes them out visibly."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from tests.support import GIT_ENV, git

HOSTILE = ("\x1b]0;TITLE-HIJACKED\x1b\\", "\x1b[2J", "\x1b[8m", "\u202e")
TASK = "plans/2019-changning/tasks/1.yaml"


@pytest.fixture
def hostile_repo(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A title and a note with escape sequences, committed by plain git (a hand edit from a
    unit), and a commit whose author name holds one."""
    path = git_repo / TASK
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: 制定并部署", 'title: "正常标题\\e]0;TITLE-HIJACKED\\e\\\\\\e[2J伪造', 1)
    text = text.replace("稳增长举措实施方案\ntext:", '稳增长举措实施方案"\ntext:', 1)
    text += 'progress:\n  - date: 2019-03-01\n    percent: 5\n    note: "完成\\u202e%05 \\e[8m隐藏"\n    by: 金融办\n'
    path.write_text(text, encoding="utf-8")
    git(git_repo, "commit", "-qam", "hostile", "--author", "王芳\x1b]0;AUTHOR\x1b\\ <wf@example.invalid>")
    return git_repo


@pytest.mark.parametrize(
    "command",
    [
        ["list", "id:1"],
        ["list", "id:1", "--format", "csv"],
        ["show", "2019-changning/1"],
        ["log"],
        ["history", "2019-changning/1"],
        ["blame", "2019-changning/1"],
        ["diff", "--since", "2019-01-01", "--until", "2100-01-01"],
        ["validate"],
    ],
)
def test_no_raw_escape_reaches_the_output(hostile_repo: Path, command: list[str]) -> None:
    result = CliRunner().invoke(cli, command, catch_exceptions=False)
    shown = result.stdout + result.stderr
    assert not any(sequence in shown for sequence in HOSTILE) and "\x1b" not in shown, shown
    if command[0] in ("list", "show", "log", "history", "blame"):
        assert "\\x1b" in shown  # shown, written out


def test_json_output_stays_the_same_data(hostile_repo: Path) -> None:
    import json

    result = CliRunner().invoke(cli, ["show", "2019-changning/1", "--format", "json"], catch_exceptions=False)
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert json.loads(result.stdout)["title"].startswith("正常标题\x1b]0;TITLE-HIJACKED")


def test_on_a_real_terminal(hostile_repo: Path) -> None:
    """Through a pseudo-terminal, as the audit ran it with `script`."""
    leader, follower = pty.openpty()
    env = {**os.environ, **GIT_ENV, "COLUMNS": "200"}
    for command in (
        ["list", "id:1"],
        ["show", "2019-changning/1"],
        ["log"],
        ["history", "2019-changning/1", "--patch"],
    ):
        process = subprocess.run(
            [sys.executable, "-m", "duban", *command],
            cwd=hostile_repo,
            env=env,
            stdin=follower,
            stdout=follower,
            stderr=follower,
            timeout=60,
        )
        assert process.returncode == 0
        output = b""
        os.set_blocking(leader, False)
        try:
            while chunk := os.read(leader, 65536):
                output += chunk
        except BlockingIOError:
            pass
        text = output.decode("utf-8", "replace")
        assert "\x1b]0;" not in text and "\x1b[2J" not in text and "\x1b[8m" not in text and "\u202e" not in text, (
            command,
            text,
        )
    os.close(leader)
    os.close(follower)
