"""A task whose file was broken on a past day is named as broken in that day's views, with
where and what, never said not to exist (issue 27: `show --as-of` said "did not exist")."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from tests.office_fixtures import at, bundled_plan_repo
from tests.support import GIT_ENV

CN = "2019-changning"


def _commit(root: Path, day: str, message: str) -> None:
    subprocess.run(["git", "commit", "-qam", message], cwd=root, check=True, env={**os.environ, **GIT_ENV, **at(day)})


@pytest.fixture
def broken_in_march(tmp_path: Path) -> Path:
    root = bundled_plan_repo(tmp_path / "office", CN, "2019-01-31", CN)
    task = root / "plans" / CN / "tasks" / "1.yaml"
    good = task.read_bytes()
    task.write_text("id: 1\n  broken: [\n", encoding="utf-8")
    _commit(root, "2019-03-01", "a hand edit that broke task 1")
    task.write_bytes(good)
    _commit(root, "2019-04-01", "task 1 mended")
    return root


@pytest.mark.parametrize("command", ["show", "explain"])
def test_a_file_broken_that_day_is_named_not_said_absent(broken_in_march: Path, command: str) -> None:
    result = CliRunner().invoke(cli, ["--repo", str(broken_in_march), command, f"{CN}/1", "--as-of", "2019-03-15"])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "did not exist" not in result.output
    assert f"plans/{CN}/tasks/1.yaml:2:" in lines[0] and "could not be read on 2019-03-15" in lines[0]
    assert f"duban history {CN}/1" in lines[0]
    # The day after it was mended, the task is there again.
    again = CliRunner().invoke(cli, ["--repo", str(broken_in_march), command, f"{CN}/1", "--as-of", "2019-04-02"])
    assert again.exit_code == 0, again.output
