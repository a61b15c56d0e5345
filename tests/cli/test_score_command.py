"""`duban score` from the command line: worst first, every point explained, --what-if, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from tests.office_fixtures import clerk_repo, clerk_repo_template  # noqa: F401


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.slow
def test_score_table_points_and_what_if(clerk_repo: Path) -> None:
    result = run("--repo", str(clerk_repo), "score", "--month", "2019-06")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["rank", "unit", "score", "on-time", "%", "points"]
    scores = [float(line.split()[2]) for line in lines[2:] if line and line.split()[0].isdigit()]
    assert scores == sorted(scores) and len(scores) > 20  # worst first
    # Every point names its task and its deadline; 教育局 reported task 46 on the 26th, a day late.
    assert (
        "  -1  late report (lead)  2019-changning/46 推进教育“优质+均衡”发展三年行动计划落实  deadline 2019-06-25"
        in result.stdout
    )
    assert "  +1  done early (lead)  2019-changning/17 完成向市政府备案节能指标  done 2019-06-18" in result.stdout
    assert "各街(镇)" not in result.stdout and result.stderr.startswith("as of 2019-06-30;")
    what_if = run(
        "--repo", str(clerk_repo), "score", "--month", "2019-06", "--format", "table", "--what-if", "红灯:牵头=-3"
    )
    assert what_if.stdout.splitlines()[0].split()[-4:] == ["what-if", "score", "what-if", "rank"]
    data = json.loads(
        run(
            "--repo",
            str(clerk_repo),
            "score",
            "--month",
            "2019-06",
            "--format",
            "json",
            "--what-if",
            "red_at_deadline:lead=-3",
        ).stdout
    )
    office = next(u for u in data["units"] if u["unit"] == "民政局")
    reds = sum(1 for p in office["points"] if p["rule"] == "red_at_deadline" and p["role"] == "lead")
    assert office["what_if"]["score"] == office["score"] - reds
    assert {"task", "date", "rule", "role", "points"} <= set(office["points"][0])
    bad = run("--repo", str(clerk_repo), "score", "--month", "2019-06", "--what-if", "红灯=很多")
    assert bad.exit_code == 1 and "must be a number" in bad.stderr


def test_score_in_chinese(clerk_repo: Path) -> None:
    result = run("--repo", str(clerk_repo), "--lang", "zh", "score", "--month", "2019-06")
    assert result.stdout.splitlines()[0].split()[:3] == ["名次", "单位", "得分"]
    assert "截止日红灯" in result.stdout and "报送截止 2019-06-25" in result.stdout
