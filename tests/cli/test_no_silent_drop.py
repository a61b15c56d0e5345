"""A task file that cannot be read is never silently left out of a count: export, report,
circular and every --as-of view name it and exit 1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from tests.support import git

TASK = "plans/2019-changning/tasks/2.yaml"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _said(result, path: str) -> bool:
    return f"{path}" in result.stderr and "left out" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--plan", "2019-changning", "--format", "csv", "-o", "ledger.csv"],
        ["export", "--plan", "2019-changning", "--format", "xlsx", "-o", "ledger.xlsx"],
        ["report"],
        ["report", "lead:金融办"],
        ["list"],
    ],
)
def test_a_broken_file_in_the_work_tree_is_named_and_the_exit_code_is_1(git_repo: Path, command: list[str]) -> None:
    path = git_repo / TASK
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: [", 1), encoding="utf-8")
    result = run(*command)
    assert result.exit_code == 1, result.output
    assert _said(result, TASK)
    assert "1 file could not be read and was left out" in result.stderr or command == ["list"]


@pytest.mark.parametrize(
    "command",
    [
        ["list", "--as-of", "{today}"],
        ["report", "--as-of", "{today}"],
        ["export", "--plan", "2019-changning", "--as-of", "{today}", "--format", "csv", "-o", "x.csv"],
        ["circular", "--month", "{month}", "--plan", "2019-changning"],
    ],
)
def test_a_schema_invalid_file_in_history_is_named_not_a_crash(git_repo: Path, command: list[str]) -> None:
    path = git_repo / TASK
    path.write_text(
        path.read_text(encoding="utf-8") + 'progress:\n  - date: 2019-03-01\n    percent: "50"\n', encoding="utf-8"
    )
    git(git_repo, "commit", "-qam", "percent as text, committed by plain git")
    today = dt.date.today()
    args = [a.format(today=today.isoformat(), month=f"{today:%Y-%m}") for a in command]
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "2.yaml" in result.stderr and "left out" in result.stderr
