"""The Chinese user guide (docs/用户手册.md) as a clerk follows it: every `$ ` command of its
console blocks runs in order, in a Chinese locale, in a fresh folder with its own HOME, and each
line the guide shows under a command is in that command's output (a line of the output holds it,
spaces aside; `…` stands for anything). A command the guide shows must succeed, and its output
must never be English or a traceback.

Two kinds of HTML comment, invisible to the reader, set the scene: `<!-- 准备: 复制 SRC 为 NAME -->`
copies a file of this repository into the starting folder, and `<!-- 时钟: YYYY-MM-DD -->` sets the
clock of the commits that follow (the guide's month is June 2019)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support import PROJECT

GUIDE = PROJECT / "docs" / "用户手册.md"
ENGLISH = re.compile(r"\b(error|warning|usage|Traceback|wrote|note|hint|None)\b", re.IGNORECASE)


@dataclass
class Step:
    command: str
    shown: list[str] = field(default_factory=list)
    clock: str | None = None
    line: int = 0


def steps(text: str) -> tuple[list[tuple[str, str]], list[Step]]:
    """The guide's files to prepare, and its commands with what it shows under each."""
    prepared = re.findall(r"<!-- 准备: 复制 (\S+) 为 (\S+) -->", text)
    found: list[Step] = []
    clock = None
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        set_clock = re.fullmatch(r"<!-- 时钟: (\d{4}-\d\d-\d\d) -->", line.strip())
        if set_clock:
            clock = set_clock.group(1)
        elif line.startswith("```console"):
            in_block = True
        elif line.startswith("```"):
            in_block = False
        elif in_block and line.startswith("$ "):
            found.append(Step(line[2:], clock=clock, line=number))
        elif in_block and line.strip():
            found[-1].shown.append(line)
    return prepared, found


def _normal(text: str) -> str:
    return " ".join(text.split())


def holds(output: str, shown: str) -> bool:
    parts = [_normal(part) for part in shown.split("…")]
    for line in output.splitlines():
        line, at = _normal(line), 0
        for part in parts:
            at = line.find(part, at)
            if at < 0:
                break
            at += len(part)
        else:
            return True
    return False


@pytest.mark.slow
def test_every_command_of_the_user_guide_does_what_the_guide_shows(tmp_path: Path) -> None:
    prepared, guide = steps(GUIDE.read_text(encoding="utf-8"))
    assert len(guide) >= 20 and all(step.command for step in guide)
    for source, name in prepared:
        shutil.copy(PROJECT / source, tmp_path / name)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {name: value for name, value in os.environ.items() if not name.startswith(("GIT_", "DUBAN_", "LC_", "LANG"))}
    env.update(
        HOME=str(home),
        LANG="zh_CN.UTF-8",
        GIT_CONFIG_NOSYSTEM="1",
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
    )
    here = tmp_path
    for step in guide:
        where = f"docs/用户手册.md:{step.line}: {step.command}"
        words = shlex.split(step.command)
        if words[0] == "cd":
            here = (here / words[1]).resolve()
            continue
        clock = (
            {}
            if step.clock is None
            else {
                "GIT_AUTHOR_DATE": f"{step.clock}T10:00:00+08:00",
                "GIT_COMMITTER_DATE": f"{step.clock}T10:00:00+08:00",
            }
        )
        result = subprocess.run(
            ["bash", "-c", step.command], cwd=here, env={**env, **clock}, capture_output=True, text=True, timeout=300
        )
        output = result.stdout + result.stderr
        expected_failure = any("错误" in shown for shown in step.shown) and step.command.startswith("duban validate")
        assert result.returncode == 0 or expected_failure, f"{where}\n{output}"
        assert "Traceback" not in output, f"{where}\n{output}"
        if step.command.startswith("duban"):
            english = [line for line in output.splitlines() if ENGLISH.search(line)]
            assert not english, f"{where}: English in the Chinese interface:\n" + "\n".join(english)
        for shown in step.shown:
            assert holds(output, shown), f"{where}\nthe guide shows: {shown}\nduban printed:\n{output}"


@pytest.mark.parametrize(
    "shown, output, found",
    [
        ("已写入 …plans/x;校验", "已写入 60 个任务文件到 /tmp/a/plans/x;校验:0", True),
        ("已写入 …plans/x;校验", "已写入 60 个任务文件到 /tmp/a/plans/y;校验:0", False),
        ("[发改委]  任务", "abc  [发改委] 任务 40%", True),
    ],
)
def test_how_a_shown_line_is_matched(shown: str, output: str, found: bool) -> None:
    assert holds(output, shown) is found
