"""Reports, the exported ledger and the monthly circular, on a scripted history and the bundled plans."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from duban.importing.importer import import_document
from duban.store import yamlio
from duban.store.repository import Repository
from duban.supervise.export.formats import export
from duban.supervise.reports import report
from duban.supervise.selection import select
from tests.support import PROJECT


def test_report_by_unit_counts_and_on_time_rate(history_repo: Path) -> None:
    selection = select(Repository(history_repo), ["2019-changning"], "2019-06-30")
    assert selection.from_history
    tallies = {(t.group, t.role): t for t in report(selection, selection.tasks, "unit")}
    lead = tallies[("金融办", "lead")]
    # Both tasks: 金融办's own reports in the March and April windows (task 1) and the May
    # window (task 2; its April report is 商务委's, a supporting unit's, which answers no
    # lead's duty), none by the June deadline: 3 of 10 deadlines met, both late.
    assert (lead.tasks, lead.late, lead.met, lead.due, lead.on_time_rate) == (2, 2, 3, 10, 30.0)
    # A supporting unit owes no report: its tally has no on-time rate.
    assert tallies[("商务委", "support")].on_time_rate is None
    assert lead.red + lead.yellow + lead.green + lead.grey == 2
    by_area = report(selection, selection.tasks, "area")
    assert [(t.group, t.tasks) for t in by_area] == [("经济发展", 2)]


def test_report_ranks_worst_first(history_repo: Path) -> None:
    selection = select(Repository(history_repo), [], "2019-06-30")
    tallies = report(selection, selection.tasks, "unit")
    keys = [(-t.red, -t.yellow, -(t.late or 0)) for t in tallies]
    assert keys == sorted(keys)
    # A supporting unit owes no report: it is never counted late (rule 6), whoever leads.
    assert all(t.late is None and t.as_dict()["late"] is None for t in tallies if t.role == "support")
    assert any(t.late for t in tallies if t.role == "lead")


def _ledger_xlsx(tmp_path: Path, plan_id: str, per_area: bool = False) -> Path:
    selection = select(Repository(PROJECT), [plan_id], today=dt.date(2019, 6, 30))
    path = tmp_path / f"{plan_id}.xlsx"
    export(selection, selection.tasks, "xlsx", path, per_area=per_area)
    return path


@pytest.mark.parametrize("plan_id", ["2019-changning", "2019-shangcheng"])
def test_export_then_import_gives_back_the_same_tasks(tmp_path: Path, plan_id: str) -> None:
    path = _ledger_xlsx(tmp_path, plan_id)
    imported = {str(t["id"]): t for t in import_document(path, plan_id).tasks}
    originals = {
        p.stem: yamlio.load_fast(p.read_text(encoding="utf-8"), p.name)
        for p in (PROJECT / "plans" / plan_id / "tasks").glob("*.yaml")
    }
    if plan_id == "2019-shangcheng":  # the annex table's ids come back without their annex prefix
        originals = {k: v for k, v in originals.items() if not k.startswith("a2-")}
        imported = {k: v for k, v in imported.items() if k in originals}
    assert sorted(imported) == sorted(originals)
    for task_id, original in originals.items():
        for key in ("title", "text", "area", "lead", "support", "milestones", "type"):
            assert imported[task_id].get(key) == original.get(key), (task_id, key)
        # The ledger prints categories without the document's justification spaces (社会 保障).
        assert imported[task_id].get("category") == (re.sub(r"\s", "", original.get("category") or "") or None)


def _hostile_repo(tmp_path: Path) -> Repository:
    from tests.support import copy_sample

    root = copy_sample(tmp_path / "repo")
    path = root / "plans/2019-changning/tasks/2.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: 招留增工作", 'title: \'=HYPERLINK("http://example.invalid","x")\'')
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


def test_general_rules_read_an_office_ledger_with_title_rows_and_month_columns(tmp_path: Path) -> None:
    """A printed ledger: title row, 填报单位/截至 line, then a header whose extra columns
    (领域, 灯, 状态, 月进展, 得分) outnumber the task's own; the header is still the header."""
    import openpyxl

    path = tmp_path / "台账.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年重点工作推进情况台账"])
    sheet.append(["填报单位：县政府办公室　　截至2024年6月30日"])
    sheet.append(
        [
            "序号",
            "领域",
            "任务名称",
            "牵头单位",
            "配合单位",
            "目标类型",
            "灯",
            "状态",
            "3月进展",
            "4月进展",
            "5月进展",
            "6月进展",
            "得分",
        ]
    )
    sheet.append([1, "经济发展", "新增城镇就业人数", "县人社局", "各乡镇", "A", "红", "未启动"])
    sheet.append([2, None, "改造老旧小区", "县住建局", "县财政局", "B", "绿", "推进中", "开工"])
    book.save(path)
    tasks = import_document(path, "2024-x", layout="general").tasks
    assert [(t["title"], t["area"], t["lead"], t["support"], t.get("type")) for t in tasks] == [
        ("新增城镇就业人数", "经济发展", ["县人社局"], ["各乡镇"], "A"),
        ("改造老旧小区", "经济发展", ["县住建局"], ["县财政局"], "B"),
    ]


@pytest.mark.slow
def test_report_counts_no_collective_among_the_units(tmp_path: Path) -> None:
    """A collective (各相关涉改部门, 区26家签约单位) is no unit: `report --by unit` and the terminal
    UI's overview have no row for it (docs/reading.md rule 8)."""
    from tests.office_fixtures import make_clerk_repo

    repo = Repository(make_clerk_repo(tmp_path / "clerk"))
    june = select(repo, ["2019-changning"], "2019-06-30")
    groups = {t.group for t in report(june, june.tasks, "unit")}
    assert "安监局" in groups and "体育局" in groups
    assert not groups & {"各相关涉改部门", "区26家签约单位", "各街(镇)", "相关部门"}
