"""Table layouts: pipe tables (`1 | 任务 | 指标 | 牵头 | 配合 | A类 |`) and tables flattened to
one cell per paragraph with quarterly milestone columns.

Columns are found by their header words, so other column orders and extra columns work.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from duban.importing import rules
from duban.importing.result import ImportResult, task_fields
from duban.importing.source import Document, Line

HEADER_WORDS = {
    "seq": ("序号",),
    "title": ("任务名称", "项目名称", "工作任务", "重要项目", "任务"),
    "text": ("指标要求", "目标任务和工作要求", "目标任务", "工作要求", "目标要求", "工作目标"),
    "lead": rules.LEAD_WORDS,
    "support": rules.SUPPORT_WORDS,
    "type": ("目标类型", "类型"),
    "area": ("领域",),
}
QUARTERS = {"第一季度": "Q1", "第二季度": "Q2", "第三季度": "Q3", "第四季度": "Q4"}
TYPE_CELL = re.compile(r"^([ABC])\s*类?(?:目标)?$")
ANNEX = re.compile(r"^附件\s*(\d+)")
ANNEX_LIST = re.compile(r"^(?:附件\s*[:：]\s*)?(\d+)\s*[.、．]\s*(.+)$")


def _column_of(header: str) -> str | None:
    word = re.sub(r"\s+", "", header)
    for column, words in HEADER_WORDS.items():
        if word in words:
            return column
    return QUARTERS.get(word)


def _pipe_cells(text: str) -> list[str] | None:
    if text.count("|") < 2:
        return None
    cells = [cell.strip() for cell in text.split("|")]
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def looks_like_pipe_table(document: Document) -> int:
    rows = [c for line in document.lines if (c := _pipe_cells(line.text)) and c[0].isdigit()]
    headers = [c for line in document.lines if (c := _pipe_cells(line.text))
               and sum(_column_of(cell) is not None for cell in c) >= 3]
    return len(rows) if headers else 0


def _type_of(cell: str) -> str | None:
    match = TYPE_CELL.match(cell.strip())
    return match.group(1) if match else None


def parse_pipe_table(document: Document, plan_id: str) -> ImportResult:
    result = ImportResult(layout="pipe-table", document=document)
    annex_titles = _annex_list(document.lines)
    columns: list[str | None] | None = None
    annex = 1
    area: str | None = None
    pending_title: Line | None = None
    for line in document.lines:
        text = line.text
        if not text:
            continue
        cells = _pipe_cells(text)
        if marker := ANNEX.match(text):
            annex = int(marker.group(1))
            area = annex_titles.get(annex, (None, None))[1]
            result.used[line.number] = "plan: areas (annex heading)"
            columns, pending_title = None, None
            continue
        if cells and sum(_column_of(cell) is not None for cell in cells) >= 3:
            columns = [_column_of(cell) for cell in cells]
            if pending_title is not None:
                area = pending_title.text
                result.used[pending_title.number] = "plan: areas"
            if area is None:
                area = annex_titles.get(annex, (None, f"附件{annex}"))[1]
            if annex in annex_titles and annex_titles[annex][1] == area:
                result.used.setdefault(annex_titles[annex][0], "plan: areas")
            result.area(area)
            result.used[line.number] = "table header"
            pending_title = None
            continue
        if cells and columns and cells[0].isdigit():
            row = dict(zip(columns, cells))
            _row_task(result, row, cells, columns, annex, area or "", line, plan_id)
            continue
        if not cells and _could_be_title(text):
            pending_title, columns = line, None
    return result


def _could_be_title(text: str) -> bool:
    """A table's title line: short, and not a note such as (注:A类指…)."""
    from duban.importing.metadata import parse_date_line

    return (len(text) <= 60 and not text.startswith(("(", "（", "注")) and not ANNEX_LIST.match(text)
            and parse_date_line(text) is None)


def _row_task(result: ImportResult, row: dict[str | None, str], cells: list[str],
              columns: list[str | None], annex: int, area: str, line: Line, plan_id: str) -> None:
    seq = row.get("seq", cells[0])
    task_type = _type_of(row.get("type", "")) if row.get("type") else None
    support_cell = row.get("support", "")
    # Some rows have the type slipped one column left, into the support column.
    if task_type is None and _type_of(support_cell):
        task_type, support_cell = _type_of(support_cell), ""
        result.notes.append(f"line {line.number}: type {task_type} found in the support column; read as the type")
    if "type" in columns and task_type is None and row.get("type"):
        result.notes.append(f"line {line.number}: unreadable type {row['type']!r}")
    lead = _units(result, row.get("lead", ""), "lead", columns)
    support = _units(result, support_cell, "support", columns)
    task_id = seq if annex == 1 else f"a{annex}-{seq}"
    title = row.get("title") or rules.title_of(row.get("text", ""))
    text = row.get("text") or title
    task = task_fields(task_id=int(task_id) if task_id.isdigit() else task_id, title=title, text=text,
                       area=area, task_type=task_type, lead=lead, support=support,
                       indicators=rules.indicators_in(text, row.get("title")),
                       first=line.number, last=line.number, document=result.document.name)
    result.tasks.append(task)
    result.used[line.number] = f"task {plan_id}/{task_id}"


def _units(result: ImportResult, cell: str, role: str, columns: list[str | None]) -> list[str]:
    names = []
    for name in rules.split_units(cell):
        canonical = result.units.add(name)
        if canonical not in names:
            names.append(canonical)
    return names


def _annex_list(lines: tuple[Line, ...]) -> dict[int, tuple[int, str]]:
    """The notice's list of annexes: `附件:1. X` / `2. Y` -> {1: (line, 'X'), 2: (line, 'Y')}."""
    found: dict[int, tuple[int, str]] = {}
    in_list = False
    for line in lines:
        text = line.text
        if text.startswith("附件") and (":" in text[:4] or "：" in text[:4]):
            in_list = True
        if in_list and (match := ANNEX_LIST.match(text)):
            found[int(match.group(1))] = (line.number, match.group(2).strip())
        elif in_list and found:
            break
    return found


# ---- tables flattened to one cell per paragraph -------------------------------------------


@dataclass(frozen=True)
class Cell:
    first: int
    last: int
    text: str


def paragraphs(document: Document) -> list[Cell]:
    """Cells: runs of lines between empty lines; a line of only (no-break) spaces is an empty cell."""
    cells: list[Cell] = []
    run: list[Line] = []
    for line in [*document.lines, Line(len(document.lines) + 1, "", "")]:
        if line.raw == "":
            if run:
                cells.append(Cell(run[0].number, run[-1].number, "\n".join(l.text for l in run if l.text)))
                run = []
        else:
            run.append(line)
    return cells


def looks_like_cell_table(document: Document) -> int:
    texts = {re.sub(r"\s+", "", line.text) for line in document.lines}
    if not {"序号", "第一季度", "第四季度"} <= texts:
        return 0
    return sum(1 for line in document.lines if line.text.isdigit())


def parse_cell_table(document: Document, plan_id: str) -> ImportResult:
    from duban.importing.cells import parse_cells

    return parse_cells(document, plan_id, paragraphs(document))
