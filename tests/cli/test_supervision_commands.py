"""list QUERY, explain, report, export and circular from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_with_a_query_and_lights(history_repo: Path) -> None:
    result = run("list", "lead:jrb", "percent>=40", "--as-of", "2019-05-31", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [(r["ref"], r["percent"]) for r in rows] == [("2019-changning/1", 50), ("2019-changning/2", 45)]
    assert {r["light"] for r in rows} <= {"red", "yellow", "green", "grey"}
    table = run("list", "plan:2008-baoshan", "parent:1")
    assert table.exit_code == 0 and table.stderr.endswith("4 tasks\n")


def test_malformed_query_is_an_error_not_an_empty_list(sample_repo: Path) -> None:
    result = run("list", "leed:发改委")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "duban: error: query column 1 ('leed:发改委'): unknown field 'leed' (did you mean lead:?)\n"


def test_the_words_offices_head_their_columns_with_are_fields(history_repo: Path) -> None:
    """配合部门, 任务名称 and 完成进度 were read as text and gave 0 tasks without a word."""
    for chinese, english in (
        ("配合部门:商务委", "support:商务委"),
        ("任务名称:稳增长", "title:稳增长"),
        ("完成进度<50", "percent<50"),
        ("完成时限<2019-07-01", "due<2019-07-01"),
    ):
        assert run("list", chinese).stdout == run("list", english).stdout, chinese
    assert "2019-changning/1" in run("list", "配合部门:发改委").stdout
    unknown = run("list", "乱写：1")
    assert unknown.exit_code == 0 and unknown.stderr.startswith("0 tasks\n")
    assert "'乱写' is not a field, so it was searched as text" in unknown.stderr
    assert "not a field" not in run("list", "招留增工作:招").stderr  # text that holds a colon, found


def test_explain(history_repo: Path) -> None:
    result = run("explain", "2019-changning/1", "--as-of", "2019-06-30")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2019-changning/1: ") and "as of 2019-06-30" in lines[0]
    assert "late report: no report between 2019-05-26 and the deadline 2019-06-25" in result.stdout
    data = json.loads(run("explain", "2019-changning/1", "--as-of", "2019-06-30", "--format", "json").stdout)
    assert data["thresholds"] == {"yellow_behind": 10.0, "red_behind": 25.0} and data["late"]


def test_report_formats(history_repo: Path) -> None:
    table = run("report", "--plan", "2019-changning", "--as-of", "2019-06-30")
    assert table.exit_code == 0 and table.stdout.splitlines()[0].split()[:3] == ["unit", "role", "tasks"]
    rows = json.loads(run("report", "--plan", "2019-changning", "--as-of", "2019-06-30", "--format", "json").stdout)
    lead = next(r for r in rows if r["group"] == "金融办" and r["role"] == "lead")
    # 商务委's March report on task 2 is a supporting unit's: it answers no deadline for 金融办.
    assert lead["on_time_rate"] == 30.0 and lead["late"] == 2
    by_area = list(
        csv.DictReader(io.StringIO(run("report", "--by", "area", "--format", "csv", "--as-of", "2019-06-30").stdout))
    )
    assert {r["group"] for r in by_area} == {"经济发展", "促进经济又好又快发展"}
    markdown = run("report", "--by", "type", "--format", "md", "--as-of", "2019-06-30").stdout
    assert markdown.startswith("| type | tasks |")


@pytest.mark.slow
def test_export_and_circular_commands(history_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "ledger.xlsx"
    result = run("export", "--plan", "2019-changning", "--format", "xlsx", "-o", str(out), "lead:金融办")
    assert result.exit_code == 0 and result.stderr.endswith(f"wrote 2 tasks to {out}\n")
    page = tmp_path / "c.html"
    assert (
        run("circular", "--month", "2019-05", "--plan", "2019-changning", "--format", "html", "-o", str(page)).exit_code
        == 0
    )
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    markdown = run("circular", "--month", "2019-05", "--plan", "2019-changning").stdout
    assert markdown.startswith("# 督查通报\n") and "5月份推进情况的通报" in markdown
    ambiguous = run("circular", "--month", "2019-05")
    assert ambiguous.exit_code == 0  # only one plan of the sample covers 2019
    bad = run("circular", "--month", "May")
    assert bad.exit_code == 1 and "is not a month" in bad.stderr


@pytest.mark.slow
def test_the_format_comes_from_the_file_name_and_a_mismatch_is_refused(history_repo: Path, tmp_path: Path) -> None:
    """`circular -o 通报.docx` wrote Markdown into a .docx Word could not open; `--format xlsx
    -o 台账.csv` wrote an xlsx named .csv; `-o -` made a file called '-'."""
    import docx
    import openpyxl

    issued = tmp_path / "通报.docx"
    result = run(
        "circular", "--month", "2019-05", "--plan", "2019-changning", "-o", str(issued), "--date", "2019年6月5日"
    )
    assert result.exit_code == 0, result.stderr
    imprint = docx.Document(str(issued)).tables[-1]  # the 版记 at the foot of the last page
    assert "2019年6月5日印发" in [cell.text for row in imprint.rows for cell in row.cells]
    ledger = tmp_path / "台账.xlsx"
    assert run("export", "--plan", "2019-changning", "-o", str(ledger)).exit_code == 0
    assert openpyxl.load_workbook(ledger).active.max_row > 3
    for args in (
        ["circular", "--month", "2019-05", "--format", "md", "-o", str(tmp_path / "c.docx")],
        ["export", "--plan", "2019-changning", "--format", "xlsx", "-o", str(tmp_path / "l.csv")],
        ["export", "--plan", "2019-changning", "-o", "-", "--format", "xlsx"],
        ["export", "--plan", "2019-changning", "-o", str(tmp_path / "l.txt")],
    ):
        refused = run(*args)
        assert refused.exit_code == 1 and refused.stderr.count("\n") == 1, refused.stderr
    assert not any((tmp_path / name).exists() for name in ("c.docx", "l.csv", "l.txt"))
    piped = run("export", "--plan", "2019-changning", "-o", "-", "--format", "csv")
    assert piped.exit_code == 0 and not (history_repo / "-").exists()
    rows = list(csv.reader(io.StringIO(piped.stdout)))
    assert rows[0][0] == "序号" and len(rows) > 1  # the header first (D20)


def test_export_takes_the_plan_of_its_as_of_year_as_circular_and_score_do(history_repo: Path, tmp_path: Path) -> None:
    """A clerk's `duban export --as-of 2019-06-30 -o 台账.xlsx` was refused for want of --plan,
    although the circular and score find the only plan of the year themselves."""
    out = tmp_path / "台账.xlsx"
    result = run("export", "--as-of", "2019-06-30", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.exists() and "2019-changning" not in result.stderr.split("wrote")[0]
    # Two plans and no year to choose by: one line naming them.
    both = run("export", "-o", str(tmp_path / "x.xlsx"))
    assert both.exit_code == 1 and "--plan" in both.stderr and "2008-baoshan" in both.stderr
    assert len(both.stderr.strip().splitlines()) == 1
