"""The read commands through Click's runner: stdout for data, stderr for diagnostics, exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli, main
from duban.text.textwidth import cell_width
from tests.support import DATA


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


def test_validate_clean_repository(sample_repo: Path) -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "9 files checked: 0 errors, 0 warnings\n"


def test_validate_reports_problems_on_stdout_and_exits_1(sample_repo: Path) -> None:
    shutil.copy(DATA / "invalid/unknown-unit.yaml", sample_repo / "plans/2019-changning/tasks")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "plans/2019-changning/tasks/unknown-unit.yaml:10:5: error: unknown unit '发改'; did you mean '发改委'? [unknown-unit]",
        "plans/2019-changning/tasks/unknown-unit.yaml:11:5: error: unknown unit '市场监管'; did you mean '市场监管局'? [unknown-unit]",
    ]
    assert "2 errors" in result.stderr


def test_validate_json(sample_repo: Path) -> None:
    shutil.copy(DATA / "invalid/percent-over.yaml", sample_repo / "plans/2019-changning/tasks")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": "plans/2019-changning/tasks/percent-over.yaml",
            "line": 11,
            "col": 14,
            "severity": "error",
            "message": "120 is greater than the maximum of 100",
            "rule": "schema.maximum",
        }
    ]


def test_validate_warning_only_exits_0(sample_repo: Path) -> None:
    shutil.copy(DATA / "invalid/no-unit.yaml", sample_repo / "plans/2019-changning/tasks")
    result = run("validate")
    assert result.exit_code == 0
    assert "warning: no lead or support unit" in result.stdout


def test_outside_a_repository_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["list"], ["validate"], ["plans"], ["show", "1"]):
        result = run(*command)
        assert result.exit_code == 1
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("duban: error: no plan repository here")


def test_repo_option_and_environment(sample_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run("--repo", str(sample_repo), "plans").exit_code == 0
    assert run("plans", env={"DUBAN_REPO": str(sample_repo)}).exit_code == 0
    bad = run("--repo", str(elsewhere), "plans")
    assert bad.exit_code == 1 and "is not a plan repository" in bad.stderr
    missing = run("--repo", str(tmp_path / "nope"), "plans")
    assert missing.exit_code == 1 and "nope does not exist" in missing.stderr  # not "has no plans/ folder"


def test_repository_found_from_a_subfolder(sample_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sample_repo / "plans/2008-baoshan/tasks")
    result = run("list", "--format", "json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 7


def test_list_json_rows(sample_repo: Path) -> None:
    rows = json.loads(run("list", "--format", "json").stdout)
    assert [r["ref"] for r in rows] == [
        "2008-baoshan/1",
        "2008-baoshan/1-1",
        "2008-baoshan/1-2",
        "2008-baoshan/1-3",
        "2008-baoshan/1-4",
        "2019-changning/1",
        "2019-changning/2",
    ]
    sub = rows[1]
    assert set(sub) >= {"ref", "plan", "id", "title", "area", "lead", "support", "type", "status", "percent", "path"}
    assert sub["lead"] == ["发改委", "统计局"]  # inherited from task 1, not stored in 1-1
    assert sub["support"] == ["发改委", "统计局", "经委"]
    assert sub["path"] == "plans/2008-baoshan/tasks/1-1.yaml"
    assert rows[4]["lead"] == ["发改委"]  # 1-4 names its own lead


def test_list_plan_filter_and_unknown_plan(sample_repo: Path) -> None:
    rows = json.loads(run("list", "--plan", "2019-changning", "--format", "json").stdout)
    assert {r["plan"] for r in rows} == {"2019-changning"}
    result = run("list", "--plan", "2020-nowhere")
    assert result.exit_code == 1
    assert result.stderr == "duban: error: no plan '2020-nowhere' (plans here: 2008-baoshan, 2019-changning)\n"


def test_list_csv(sample_repo: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("list", "--format", "csv").stdout)))
    assert rows[5]["support"] == "发改委、科委、卫计委、人社局、教育局、司法局、市场监管局、公安分局"


def test_list_table_columns_line_up_in_cells(sample_repo: Path) -> None:
    result = run("list", env={"COLUMNS": "140"})
    lines = result.stdout.splitlines()
    assert all(cell_width(line) <= 140 for line in lines)
    # The area column starts at the same cell in every row: CJK counted as two cells.
    starts = {
        cell_width(line[: line.index(area)])
        for line in lines[2:]
        for area in ("促进经济又好又快发展", "经济发展")
        if area in line
    }
    assert len(starts) == 1


def test_list_leaves_out_a_broken_file_and_says_so(sample_repo: Path) -> None:
    shutil.copy(DATA / "invalid/tab-indent.yaml", sample_repo / "plans/2019-changning/tasks")
    result = run("list", "--format", "json")
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 7
    assert result.stderr.startswith("plans/2019-changning/tasks/tab-indent.yaml:4:1: error: tab character")


def test_show_text(sample_repo: Path) -> None:
    result = run("show", "2008-baoshan/1-1")
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0] == "2008-baoshan/1-1  增加值可比增长14%左右,其中,第三产业增加值增速提高1-2个百分点"
    assert "lead (牵头单位)" in out and "发改委、统计局  (inherited from parent)" in out
    assert "support (责任单位)" in out


def test_show_wraps_cjk_text_to_the_terminal(sample_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    out = run("show", "2019-changning/1").stdout
    assert all(cell_width(line) <= 50 for line in out.splitlines())
    assert "Q3" in out and "区级一般公共预算收入完成年度目标的75%" in out.replace("\n" + " " * 20, "").replace("\n", "")


def test_show_yaml_is_the_file(sample_repo: Path) -> None:
    out = run("show", "2019-changning/2", "--format", "yaml").stdout
    assert out == (sample_repo / "plans/2019-changning/tasks/2.yaml").read_text(encoding="utf-8")


def test_show_json(sample_repo: Path) -> None:
    data = json.loads(run("show", "1-4", "--format", "json").stdout)
    assert data["ref"] == "2008-baoshan/1-4" and data["effective_lead"] == ["发改委"]
    assert data["parent"] == "1"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("1", "duban: error: '1' is ambiguous: 2008-baoshan/1, 2019-changning/1 (write it as plan-id/id)"),
        ("2019-changning/99", "duban: error: no task '2019-changning/99' (`duban list` shows the refs)"),
        ("2020-x/1", "duban: error: no plan '2020-x' in '2020-x/1' (plans here: 2008-baoshan, 2019-changning)"),
        (
            "../../etc/passwd",
            "duban: error: no plan '../../etc' in '../../etc/passwd' (plans here: 2008-baoshan, 2019-changning)",
        ),
    ],
)
def test_show_bad_refs(sample_repo: Path, ref: str, message: str) -> None:
    result = run("show", ref)
    assert result.exit_code == 1
    assert result.stderr.strip() == message


def test_plans(sample_repo: Path) -> None:
    rows = json.loads(run("plans", "--format", "json").stdout)
    assert [(r["plan"], r["tasks"]) for r in rows] == [("2008-baoshan", 5), ("2019-changning", 2)]
    assert "长府〔2019〕5号" in run("plans").stdout


def test_usage_error_exits_2(sample_repo: Path) -> None:
    result = CliRunner().invoke(cli, ["list", "--format", "xml"])
    assert result.exit_code == 2


def test_internal_error_is_one_line_and_exit_3(
    sample_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import duban.validate.validation

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(duban.validate.validation, "validate", broken)
    with pytest.raises(SystemExit) as exited:
        main(["validate"])
    assert exited.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith("duban: internal error (RuntimeError); this is a bug. Details: ")
    assert "Traceback" not in err
    log = Path(err.rsplit("Details: ", 1)[1].strip()).read_text()
    assert "simulated bug" in log
    assert log.startswith("duban ") and "\ngit version " in log and "\npython 3." in log  # what a bug report needs


def test_python_dash_m_and_console_script(sample_repo: Path) -> None:
    version = subprocess.run([sys.executable, "-m", "duban", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("duban 0.")
    script = Path(sys.executable).with_name("duban")
    listed = subprocess.run([str(script), "list", "--format", "json"], capture_output=True, text=True, cwd=sample_repo)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 7


def test_units_lists_names_aliases_initials_and_counts(sample_repo: Path) -> None:
    """Errors say "see the units in plan.yaml": `duban units` shows them, with what each leads."""
    result = run("units", "--plan", "2019-changning", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["unit"]: row for row in json.loads(result.stdout)}
    assert rows["科委"]["aliases"] == ["科  委"]
    assert rows["发改委"]["initials"] == "fgw"
    assert rows["税务局"]["initials"] == "swj"  # was "[st]wj": the common reading, as it is typed
    assert (rows["金融办"]["leads"], rows["金融办"]["supports"]) == (2, 0)
    assert {row["plan"] for row in rows.values()} == {"2019-changning"}
    table = run("--lang", "zh", "units", "--plan", "2019-changning")
    assert table.exit_code == 0 and "部门" in table.stdout and "department" not in table.stdout


def test_units_counts_say_when_a_task_could_not_be_read(sample_repo: Path) -> None:
    """A broken file must not silently lower a unit's count."""
    broken = next((sample_repo / "plans" / "2019-changning" / "tasks").glob("*.yaml"))
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    result = run("units", "--plan", "2019-changning")
    assert result.exit_code == 1
    assert broken.name in result.stderr and "left out" in result.stderr
