"""The ledger (台账) as an office prints it, opened with openpyxl: title row, 截至 date, numeric
序号, Chinese statuses, month columns, 存在问题/下步计划, page setup and print titles, scores;
text never a formula, control characters never a crash; csv, md and html with the same columns."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.store.repository import Repository
from duban.supervise.export.formats import export
from duban.supervise.selection import select
from tests.office_fixtures import clerk_repo, clerk_repo_template  # noqa: F401
from tests.support import copy_sample

STATUSES = {"未启动", "进行中", "已完成", "受阻", "延期", "已取消"}
HEADERS = [
    "序号",
    "领域",
    "重要项目",
    "任务名称",
    "指标要求",
    "第一季度",
    "第二季度",
    "第三季度",
    "第四季度",
    "主责部门",
    "配合部门",
    "完成进度(%)",
    "灯",
    "状态",
    "2月进展",
    "3月进展",
    "4月进展",
    "5月进展",
    "6月进展",
    "存在问题",
    "下步计划",
]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def workbook(clerk_repo: Path, tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "台账.xlsx"
    result = run(
        "--repo",
        str(clerk_repo),
        "export",
        "--plan",
        "2019-changning",
        "--format",
        "xlsx",
        "--as-of",
        "2019-06-30",
        "-o",
        str(path),
    )
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(path)


def rows_by_id(sheet) -> dict[object, dict[str, object]]:
    headers = [c.value for c in sheet[3]]
    return {row[0]: dict(zip(headers, row)) for row in sheet.iter_rows(min_row=4, values_only=True)}


@pytest.mark.slow
def test_title_rows_headers_and_numbers(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["台账"]
    assert sheet["A1"].value == "区政府2019年重点工作目标推进情况台账"
    assert "A1:U1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "编制单位：区政府督查室　　截至2019年6月30日"  # the office's own ledger (D20)
    assert [c.value for c in sheet[3]] == HEADERS
    rows = rows_by_id(sheet)
    assert len(rows) == 60 and "14a" in rows and "59" in rows
    assert {r["状态"] for r in rows.values()} <= STATUSES
    assert rows["17"]["状态"] == "已完成" and rows["15"]["状态"] == "受阻" and rows["3"]["状态"] == "未启动"
    # Task 1 has five leads; only 金融办 reported in June, so the other four are late (rule 6).
    assert rows["1"]["完成进度(%)"] == 50 and rows["1"]["灯"] == "绿(迟报)"
    assert rows["1"]["5月进展"] == "30%　稳增长方案已起草" and rows["1"]["6月进展"] == "50%　稳增长方案已印发"
    assert rows["18"]["6月进展"] == "45%　完成3个项目开工"
    assert (rows["18"]["存在问题"], rows["18"]["下步计划"]) == ("个别地块动迁进度慢", "7月底前完成动迁")
    assert rows["35"]["重要项目"] == "社会保障"  # the document wrote 社会 保障
    assert rows["46"]["灯"].endswith("(迟报)")  # 教育局 reported on the 26th, after the deadline


@pytest.mark.slow
def test_page_setup_for_printing(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["台账"]
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) in (8, 9)  # A3, A4
    # Two A3 widths: one would print the type at 4.9 pt (D13).
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (2, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:U63"
    # Row heights follow the wrapped text: task 1's target fills several lines of its column.
    assert sheet.row_dimensions[4].height > 3 * 14
    assert all(sheet.row_dimensions[n].height >= 14 for n in range(4, 64))
    assert sheet.column_dimensions["E"].width <= 40 and sheet.column_dimensions["A"].width <= 6


@pytest.mark.slow
def test_scores_sheet(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["考核得分"]
    assert [c.value for c in sheet[3]] == ["名次", "单位", "得分", "按时报送率(%)", "涉及任务"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0][0] == 1 and all(isinstance(r[2], (int, float)) for r in rows)
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    units = {r[1] for r in rows}
    assert "金融办" in units and "各街(镇)" not in units and not any(u.endswith("成员单位") for u in units)


@pytest.mark.slow
def test_default_date_of_a_past_plan_is_its_last_deadline(clerk_repo: Path, tmp_path: Path) -> None:
    path = tmp_path / "l.xlsx"
    assert (
        run(
            "--repo", str(clerk_repo), "export", "--plan", "2019-changning", "--format", "xlsx", "-o", str(path)
        ).exit_code
        == 0
    )
    assert openpyxl.load_workbook(path)["台账"]["A2"].value.endswith("截至2019年12月25日")


def test_same_columns_in_csv_md_and_html(clerk_repo: Path, tmp_path: Path) -> None:
    selection = select(Repository(clerk_repo), ["2019-changning"], "2019-06-30")
    export(selection, selection.tasks, "csv", tmp_path / "l.csv")
    lines = list(csv.reader(io.StringIO((tmp_path / "l.csv").read_text(encoding="utf-8-sig"))))
    assert lines[0] == HEADERS and lines[1][0] == "1"  # the header first, as a CSV is read (D20)
    assert {row[13] for row in lines[1:]} <= STATUSES
    export(selection, selection.tasks, "md", tmp_path / "l.md")
    markdown = (tmp_path / "l.md").read_text(encoding="utf-8")
    assert markdown.startswith("# 区政府2019年重点工作目标推进情况台账\n") and "截至2019年6月30日" in markdown
    assert markdown.count("|---") == len(HEADERS) and "| 已完成 |" in markdown
    export(selection, selection.tasks, "html", tmp_path / "l.html")
    page = (tmp_path / "l.html").read_text(encoding="utf-8")
    assert all(f"<th>{h}</th>" in page for h in HEADERS) and '<td class="c">受阻</td>' in page
    assert "in_progress" not in page and "not_started" not in page


def _hostile(tmp_path: Path) -> Repository:
    root = copy_sample(tmp_path / "repo")
    path = root / "plans/2019-changning/tasks/2.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "title: 招留增工作", 'title: \'=HYPERLINK("http://example.invalid","点击")\''
    )
    text += (
        "progress:\n  - date: 2019-06-20\n    percent: 10\n    by: 金融办\n"
        '    note: "第一段\\v第二段\\e[31m ![x](http://example.invalid/b.png) [详情](javascript:alert(1))"\n'
    )
    path.write_text(text.replace("status: not_started", "status: in_progress"), encoding="utf-8")
    return Repository(root)


def test_xlsx_text_is_never_a_formula_and_control_characters_are_cleaned(tmp_path: Path) -> None:
    selection = select(_hostile(tmp_path), ["2019-changning"], today=dt.date(2019, 6, 30))
    export(selection, selection.tasks, "xlsx", tmp_path / "l.xlsx")  # crashed on \x1b before
    sheet = openpyxl.load_workbook(tmp_path / "l.xlsx")["台账"]
    headers = [c.value for c in sheet[3]]
    row = next(r for r in sheet.iter_rows(min_row=4) if str(r[0].value) == "2")
    title = row[headers.index("任务名称")]
    assert title.value.startswith("=HYPERLINK") and title.data_type == "s"
    month = row[headers.index("6月进展")].value
    assert month.startswith("10%　第一段\n第二段") and "\x1b" not in month and "\x0b" not in month


def test_markdown_neutralises_links_and_images(tmp_path: Path) -> None:
    selection = select(_hostile(tmp_path), ["2019-changning"], today=dt.date(2019, 6, 30))
    export(selection, selection.tasks, "md", tmp_path / "l.md")
    text = (tmp_path / "l.md").read_text(encoding="utf-8")
    assert "](javascript:" not in text and "![x](" not in text and "\\[详情\\]" in text


@pytest.mark.slow
def test_empty_result_and_missing_folder(clerk_repo: Path, tmp_path: Path) -> None:
    path = tmp_path / "none.xlsx"
    result = run(
        "--repo",
        str(clerk_repo),
        "export",
        "--plan",
        "2019-changning",
        "--format",
        "xlsx",
        "-o",
        str(path),
        "percent>100",
    )  # a valid query that matches nothing
    assert result.exit_code == 0 and "wrote 0 tasks" in result.stderr
    assert [c.value for c in openpyxl.load_workbook(path)["台账"][3]][0] == "序号"
    missing = run(
        "--repo",
        str(clerk_repo),
        "export",
        "--plan",
        "2019-changning",
        "--format",
        "csv",
        "-o",
        str(tmp_path / "nodir" / "x.csv"),
    )
    assert missing.exit_code == 1 and missing.stderr.count("\n") <= 2 and "does not exist" in missing.stderr


def test_a_task_that_cannot_be_read_is_named_not_dropped(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    broken = root / "plans/2019-changning/tasks/2.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("title: 招留增工作", "title: [招留增工作"), encoding="utf-8"
    )
    out = tmp_path / "l.csv"
    result = run(
        "--repo", str(root), "export", "--plan", "2019-changning", "--format", "csv", "--title-rows", "-o", str(out)
    )
    assert result.exit_code == 1 and "wrote 1 tasks" in result.stderr
    assert "plans/2019-changning/tasks/2.yaml:" in result.stderr and "left out" in result.stderr
    # The ledger says so itself, under its title, where the office reads it (it said it only on stderr).
    assert "另有1个任务文件无法读取，未列入本台账" in out.read_text(encoding="utf-8-sig").splitlines()[1]
    sheet = tmp_path / "l.xlsx"
    run("--repo", str(root), "export", "--plan", "2019-changning", "-o", str(sheet))
    assert "未列入本台账" in openpyxl.load_workbook(sheet)["台账"]["A2"].value
    circular = run("--repo", str(root), "circular", "--month", "2019-06", "--plan", "2019-changning")
    assert circular.exit_code == 1 and "tasks/2.yaml:" in circular.stderr
    overall = circular.stdout.split("一、总体情况", 1)[1].strip().splitlines()
    assert "另有1个任务文件无法读取，未计入本通报" in overall[0]  # before the counts it changes


@pytest.mark.slow
def test_one_sheet_per_area(clerk_repo: Path, tmp_path: Path) -> None:
    path = tmp_path / "areas.xlsx"
    assert (
        run(
            "--repo",
            str(clerk_repo),
            "export",
            "--plan",
            "2019-changning",
            "--format",
            "xlsx",
            "--as-of",
            "2019-06-30",
            "--sheets",
            "area",
            "-o",
            str(path),
        ).exit_code
        == 0
    )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "经济发展",
        "城区建设管理",
        "民生保障与社会建设",
        "公共安全",
        "社会事业",
        "政府自身建设",
        "政府实事",
        "考核得分",
    ]
    assert all(book[name].print_title_rows == "$3:$3" for name in book.sheetnames)
    assert sum(book[name].max_row - 3 for name in book.sheetnames[:-1]) == 60


@pytest.mark.slow
def test_scores_sheet_lists_ranked_units_only(workbook: openpyxl.Workbook) -> None:
    """D6, D15: the 考核得分 sheet ranked 区26家签约单位 and padded the ranking with "—" rows of
    units that had nothing to be ranked by."""
    rows = list(workbook["考核得分"].iter_rows(min_row=4, values_only=True))
    assert rows and all(isinstance(r[0], int) for r in rows)
    assert "区26家签约单位" not in {r[1] for r in rows}


def test_scores_sheet_has_no_unranked_rows(tmp_path: Path) -> None:
    """A unit that leads nothing and was given no point has no rank: it is left out, not listed with "—"."""
    from duban.supervise.export.ledger import with_scores
    from tests.office_fixtures import scripted_repo

    repo = scripted_repo(tmp_path, [("2019-03-25", "progress", "2019-changning/1", 25, "金融办")])
    june = select(repo, ["2019-changning"], "2019-06-30")
    ledger, _text = export(june, june.tasks, "md", None)
    headers, rows = with_scores(ledger, june, "2019-changning").scores
    assert rows and all(isinstance(r[0], int) for r in rows)


def test_a_wide_ledger_prints_in_readable_type_over_pages_repeating_the_task_columns(
    workbook: openpyxl.Workbook,
) -> None:
    """D13: the Changning ledger (column widths adding up to over 300 units) was fitted to
    one A3 width and printed at 4.9 pt; it now prints as many A3 widths as keep 8 pt or more,
    with 序号 to 任务名称 repeated on each page."""
    sheet = workbook.worksheets[0]
    widths = sum(sheet.column_dimensions[c].width or 0 for c in list(sheet.column_dimensions))
    pages = sheet.page_setup.fitToWidth
    assert widths > 200 and pages >= 2 and widths / pages <= 200
    assert sheet.print_title_cols and sheet.print_title_cols.replace("$", "") == "A:D"
