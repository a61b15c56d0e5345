"""Importing .xlsx and .docx: the tests build the files from the seed data and the bundled plans."""
from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from duban.store import yamlio
from duban.errors import DubanError
from duban.importing.importer import import_document
from tests.support import PROJECT

PLANS = PROJECT / "plans"


def seed(plan_id: str) -> Path:
    return next((PLANS / plan_id / "source").iterdir())


def without_source(tasks: list[dict]) -> list[dict]:
    return [{k: v for k, v in t.items() if k != "source"} for t in tasks]


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.split("|")]
    return cells[:-1] if cells and cells[-1] == "" else cells


def test_xlsx_with_the_shangcheng_tables(tmp_path: Path) -> None:
    """One seed line per row, table lines split into cells: the same 163 tasks, same line numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    for line in seed("2019-shangcheng").read_text(encoding="utf-8-sig").split("\n")[:176]:
        sheet.append(_cells(line) if line.count("|") >= 2 else [line.strip()])
    path = tmp_path / "shangcheng.xlsx"
    book.save(path)
    from_text = import_document(seed("2019-shangcheng"), "2019-shangcheng")
    from_xlsx = import_document(path, "2019-shangcheng")
    assert from_xlsx.layout == "pipe-table" and from_xlsx.document.encoding == "xlsx"
    assert without_source(from_xlsx.tasks) == without_source(from_text.tasks)
    assert [t["source"]["lines"] for t in from_xlsx.tasks] == [t["source"]["lines"] for t in from_text.tasks]
    assert from_xlsx.plan["target_types"] == {"A": "责任目标", "B": "激励目标", "C": "争先创优目标"}


def test_xlsx_with_merged_cells_and_quarters(tmp_path: Path) -> None:
    """A Changning-style sheet: area and category merged down, item 14's number merged over two rows."""
    tasks = [yamlio.load_fast(p.read_text(encoding="utf-8"), p.name)
             for p in (PLANS / "2019-changning/tasks").glob("*.yaml")]
    tasks.sort(key=lambda t: (int(str(t["id"]).rstrip("ab")), str(t["id"])))
    areas = [a["name"] for a in yamlio.load_fast((PLANS / "2019-changning/plan.yaml").read_text(encoding="utf-8"), "p")["areas"]]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["上海市长宁区人民政府2019年重点工作目标"])
    sheet.append(["领域", "序号", "重要项目", "目标任务和工作要求", "第一季度", "第二季度", "第三季度", "第四季度",
                  "主责部门", "配合部门"])
    previous_area = previous_category = previous_seq = None
    for task in tasks:
        seq = str(task["id"]).rstrip("ab")
        area_cell = f"{'一二三四五六七'[areas.index(task['area'])]}、{task['area']}" if task["area"] != previous_area else None
        category_cell = task.get("category") if task.get("category") != previous_category else None
        sheet.append([area_cell, None if seq == previous_seq else int(seq), category_cell, task["text"],
                      *[task.get("milestones", {}).get(q, "——") for q in ("Q1", "Q2", "Q3", "Q4")],
                      "、".join(task.get("lead", [])), "、".join(task.get("support", []))])
        previous_area, previous_category, previous_seq = task["area"], task.get("category"), seq
    path = tmp_path / "changning.xlsx"
    book.save(path)
    result = import_document(path, "2019-changning")
    assert result.layout == "pipe-table"
    imported = {str(t["id"]): t for t in result.tasks}
    assert sorted(imported) == sorted(str(t["id"]) for t in tasks)
    for task in tasks:
        got = imported[str(task["id"])]
        for key in ("text", "area", "category", "lead", "support", "milestones"):
            assert got.get(key) == task.get(key), (task["id"], key)


def test_docx_paragraphs_outline(tmp_path: Path) -> None:
    document = docx.Document()
    for line in seed("2013-pingdingshan").read_text(encoding="utf-8-sig").split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "pingdingshan.docx"
    document.save(str(path))
    from_text = import_document(seed("2013-pingdingshan"), "2013-pingdingshan")
    from_docx = import_document(path, "2013-pingdingshan")
    assert from_docx.layout == "outline" and len(from_docx.tasks) == 96
    assert without_source(from_docx.tasks) == without_source(from_text.tasks)
    assert from_docx.plan["reporting"] == from_text.plan["reporting"]


def test_docx_table(tmp_path: Path) -> None:
    lines = seed("2019-shangcheng").read_text(encoding="utf-8-sig").split("\n")[:176]
    document = docx.Document()
    table = None
    for line in lines:
        if line.count("|") >= 2:
            cells = _cells(line)
            if table is None:
                table = document.add_table(rows=0, cols=6)
            row = table.add_row().cells
            for index, cell in enumerate(cells[:6]):
                row[index].text = cell
        else:
            table = None
            document.add_paragraph(line.strip())
    path = tmp_path / "shangcheng.docx"
    document.save(str(path))
    from_text = import_document(seed("2019-shangcheng"), "2019-shangcheng")
    from_docx = import_document(path, "2019-shangcheng")
    assert without_source(from_docx.tasks) == without_source(from_text.tasks)


def test_broken_office_files_get_one_line(tmp_path: Path) -> None:
    for name in ("bad.xlsx", "bad.docx"):
        path = tmp_path / name
        path.write_bytes(b"PK\x03\x04 this is not a real zip")
        with pytest.raises(DubanError) as caught:
            import_document(path, "2020-x")
        assert str(caught.value).startswith(f"{path}: cannot read the")
