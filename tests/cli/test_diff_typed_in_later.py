"""Reports dated in a period are its changes whenever they were typed in: `duban diff` of a month
listed none of them when the plan itself was committed after the month (an office that starts
using duban in December and types in June's reports from paper), unless --plan was given."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from click.testing import CliRunner

from duban.cli.main import cli
from tests.support import GIT_ENV

PROJECT = Path(__file__).resolve().parents[2]
CN = "2019-changning"


def _duban(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--repo", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_month_typed_in_after_the_plan_was_committed_lists_its_reports(tmp_path: Path) -> None:
    env = {**os.environ, **GIT_ENV}
    root = tmp_path / "office"
    _duban(tmp_path, "init", str(root))  # the first commit: no plan yet
    seed = next((PROJECT / "plans" / CN / "source").glob("*.txt"))
    _duban(root, "import", str(seed), "--plan", CN)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "import"], cwd=root, check=True, env=env)
    _duban(root, "progress", f"{CN}/3", "--percent", "40", "--date", "2019-06-24", "--by", "发改委", "--note", "推进")
    _duban(root, "progress", f"{CN}/5", "--percent", "50.5", "--date", "2019-06-24", "--by", "发改委")
    _duban(root, "progress", f"{CN}/5", "--percent", "60", "--date", "2019-07-02", "--by", "发改委")

    whole = json.loads(_duban(root, "diff", "--since", "2019-06", "--format", "json"))
    one_plan = json.loads(_duban(root, "diff", "--since", "2019-06", "--plan", CN, "--format", "json"))
    assert whole == one_plan
    reports = {change["ref"]: [(r["date"], r["percent"]) for r in change["new_reports"]] for change in whole}
    assert reports == {f"{CN}/3": [("2019-06-24", 40)], f"{CN}/5": [("2019-06-24", 50.5)]}
