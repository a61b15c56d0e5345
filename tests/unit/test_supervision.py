"""Reports, the exported ledger and the monthly circular, on a scripted history and the bundled plans."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from duban import yamlio
from duban.circular import build, to_html, to_markdown
from duban.export import export
from duban.importing.importer import import_document
from duban.reports import report
from duban.repository import Repository
from duban.selection import select
from tests.conftest import PROJECT


def test_report_by_unit_counts_and_on_time_rate(history_repo: Path) -> None:
    selection = select(Repository(history_repo), ["2019-changning"], "2019-06-30")
    assert selection.from_history
    tallies = {(t.group, t.role): t for t in report(selection, selection.tasks, "unit")}
    lead = tallies[("金融办", "lead")]
    # Both tasks: reports in the March and April windows (task 1) and the April and May
    # windows (task 2), none by the June deadline: 4 of 10 deadlines met, both late.
    assert (lead.tasks, lead.late, lead.met, lead.due, lead.on_time_rate) == (2, 2, 4, 10, 40.0)
    assert lead.red + lead.yellow + lead.green + lead.grey == 2
    by_area = report(selection, selection.tasks, "area")
    assert [(t.group, t.tasks) for t in by_area] == [("经济发展", 2)]


def test_report_ranks_worst_first(history_repo: Path) -> None:
    selection = select(Repository(history_repo), [], "2019-06-30")
    tallies = report(selection, selection.tasks, "unit")
    keys = [(-t.red, -t.yellow, -t.late) for t in tallies]
    assert keys == sorted(keys)


def _ledger_xlsx(tmp_path: Path, plan_id: str, per_area: bool = False) -> Path:
    selection = select(Repository(PROJECT), [plan_id], today=dt.date(2019, 6, 30))
    path = tmp_path / f"{plan_id}.xlsx"
    export(selection, selection.tasks, "xlsx", path, per_area=per_area)
    return path


def test_xlsx_ledger_layout(tmp_path: Path) -> None:
    path = _ledger_xlsx(tmp_path, "2019-changning")
    sheet = openpyxl.load_workbook(path).active
    headers = [c.value for c in sheet[1]]
    assert headers == ["序号", "领域", "重要项目", "任务名称", "指标要求", "第一季度", "第二季度", "第三季度", "第四季度",
                       "主责部门", "配合部门", "状态", "最新进展", "灯"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:N61"
    row = [c.value for c in sheet[2]]
    assert row[0] == "1" and row[1] == "经济发展" and row[9] == "金融办、商务委、临空办、财政局、税务局"
    assert sheet["N2"].value.startswith("红") and sheet["N2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["E2"].alignment.wrap_text
    assert sheet.column_dimensions["E"].width == 60 and sheet.column_dimensions["A"].width < 10
    per_area = openpyxl.load_workbook(_ledger_xlsx(tmp_path, "2019-changning", per_area=True))
    assert per_area.sheetnames == ["经济发展", "城区建设管理", "民生保障与社会建设", "公共安全", "社会事业",
                                   "政府自身建设", "政府实事"]


@pytest.mark.parametrize("plan_id", ["2019-changning", "2019-shangcheng"])
def test_export_then_import_gives_back_the_same_tasks(tmp_path: Path, plan_id: str) -> None:
    path = _ledger_xlsx(tmp_path, plan_id)
    imported = {str(t["id"]): t for t in import_document(path, plan_id).tasks}
    originals = {p.stem: yamlio.load_fast(p.read_text(encoding="utf-8"), p.name)
                 for p in (PROJECT / "plans" / plan_id / "tasks").glob("*.yaml")}
    if plan_id == "2019-shangcheng":  # the annex table's ids come back without their annex prefix
        originals = {k: v for k, v in originals.items() if not k.startswith("a2-")}
        imported = {k: v for k, v in imported.items() if k in originals}
    assert sorted(imported) == sorted(originals)
    for task_id, original in originals.items():
        for key in ("title", "text", "area", "category", "lead", "support", "milestones", "type"):
            assert imported[task_id].get(key) == original.get(key), (task_id, key)


def _hostile_repo(tmp_path: Path) -> Repository:
    from tests.conftest import copy_sample

    root = copy_sample(tmp_path / "repo")
    path = root / "plans/2019-changning/tasks/2.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: 招留增工作", "title: '=HYPERLINK(\"http://example.invalid\",\"x\")'")
    text = text.replace("text: 招留增工作:", "text: <script>alert(1)</script>招留增工作:")
    path.write_text(text, encoding="utf-8")
    return Repository(root)


def test_csv_cells_cannot_run_as_formulas(tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path)
    selection = select(repo, ["2019-changning"], today=dt.date(2019, 6, 30))
    export(selection, selection.tasks, "csv", tmp_path / "l.csv")
    text = (tmp_path / "l.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_html_and_markdown_escape_task_text(tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path)
    selection = select(repo, ["2019-changning"], today=dt.date(2019, 6, 30))
    export(selection, selection.tasks, "html", tmp_path / "l.html")
    page = (tmp_path / "l.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    export(selection, selection.tasks, "md", tmp_path / "l.md")
    assert "<script>" not in (tmp_path / "l.md").read_text(encoding="utf-8")


def test_circular_for_a_month(history_repo: Path) -> None:
    circular = build(Repository(history_repo), "2019-05", "2019-changning")
    assert circular.notes == []
    assert [(r["unit"], r["reports"], r["tasks"]) for r in circular.reports] == [("金融办", 1, ["2019-changning/2"])]
    assert circular.deadline == dt.date(2019, 5, 25)
    # Task 1 had no report in (04-25, 05-25]: its five lead units missed the deadline.
    assert {m["unit"]: m["tasks"] for m in circular.missed} == {
        unit: ["2019-changning/1"] for unit in ("金融办", "商务委", "临空办", "财政局", "税务局")}
    assert sum(circular.totals.values()) == 2
    markdown = to_markdown(circular)
    assert "# 督查通报 2019-05" in markdown and "| 金融办 | 1 | 2019-changning/2 |" in markdown
    page = to_html(circular)
    assert page.count("<svg") == 2 and "<script" not in page
    assert not re.search(r'(src|href)=', page)  # nothing is fetched from the network


def test_circular_html_renders_in_chromium(history_repo: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("Chromium is not installed here (apt-get install chromium to run this check)")
    page = tmp_path / "circular.html"
    page.write_text(to_html(build(Repository(history_repo), "2019-05", "2019-changning")), encoding="utf-8")
    shot = tmp_path / "circular.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
                    "--window-size=1200,1600", page.as_uri()], capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000
