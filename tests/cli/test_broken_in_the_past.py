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


def test_a_file_that_broke_the_schema_that_day_is_named_as_validate_names_it_today(tmp_path: Path) -> None:
    """A past file that parses but breaks the schema was named with a bare "does not pass the task
    schema at that commit", where a file of today gets its line, column and what is wrong: every
    loader now holds a file to its schema one way (store/checked.py)."""
    root = bundled_plan_repo(tmp_path / "office", CN, "2019-01-31", CN)
    task = root / "plans" / CN / "tasks" / "1.yaml"
    good = task.read_bytes()
    broken = good.decode("utf-8").replace("category: 稳增长\n", "category: 稳增长\ncolour: 红\n")
    task.write_text(broken, encoding="utf-8")
    today = CliRunner().invoke(cli, ["--repo", str(root), "validate"])
    _commit(root, "2019-03-01", "a hand edit with a field the schema does not know")
    task.write_bytes(good)
    _commit(root, "2019-04-01", "task 1 mended")
    result = CliRunner().invoke(cli, ["--repo", str(root), "show", f"{CN}/1", "--as-of", "2019-03-15"])
    assert result.exit_code == 1, result.output
    assert "schema at that commit" not in result.output
    line = broken.splitlines().index("colour: 红") + 1
    assert f"plans/{CN}/tasks/1.yaml:{line}:1" in result.output and "colour" in result.output
    said_today = next(text for text in today.output.splitlines() if "colour" in text)
    what = said_today.split(f"1.yaml:{line}:1", 1)[1].split("[")[0].strip(" :")
    assert what and what in result.output, (said_today, result.output)


def test_a_diff_names_a_file_broken_at_the_end_of_the_period_never_removed(broken_in_march: Path) -> None:
    """A file that did not load in a version compared was left out of it, so the diff said the
    task was removed (or added, broken at the start)."""
    result = CliRunner().invoke(
        cli,
        [
            "--repo",
            str(broken_in_march),
            "diff",
            "--since",
            "2019-02",
            "--until",
            "2019-03-31",
            "--plan",
            CN,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    import json

    changes = {change["ref"]: change for change in json.loads(result.stdout)}
    assert changes[f"{CN}/1"]["kind"] == "unreadable"
    assert f"plans/{CN}/tasks/1.yaml:2:" in changes[f"{CN}/1"]["problem"]
    assert not any(change["kind"] == "removed" for change in changes.values())
    text = CliRunner().invoke(
        cli,
        [
            "--repo",
            str(broken_in_march),
            "--lang",
            "zh",
            "diff",
            "--since",
            "2019-02",
            "--until",
            "2019-03-31",
            "--plan",
            CN,
        ],
    )
    assert f"{CN}/1  (无法读取)" in text.output and "tasks/1.yaml:2:" in text.output


def test_blame_credits_no_field_to_the_commit_that_mended_a_broken_file(broken_in_march: Path) -> None:
    """A version that did not load counted as a task with no fields, so every field was
    credited to the commit that mended the file, not to whoever set it."""
    result = CliRunner().invoke(cli, ["--repo", str(broken_in_march), "blame", f"{CN}/1", "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    blames = json.loads(result.stdout)
    assert blames and all("mended" not in blame["subject"] and "broke" not in blame["subject"] for blame in blames)
