"""Pipe tables (`1 | 任务 | 指标 | 牵头 | 配合 | A类 |`), and the header words of every table
layout (tables flattened to one cell per paragraph are read by duban.importing.cells).

Columns are found by their header words, so other column orders and extra columns work.
"""

from __future__ import annotations

import re

from duban.i18n import _
from duban.importing import rules
from duban.importing.result import ImportResult, task_fields
from duban.importing.source import Document, Line

HEADER_WORDS = {
    "seq": ("序号",),
    "title": ("任务名称", "项目名称", "工作任务", "任务"),
    "category": ("重要项目", "类别", "项目类别"),
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


def column_of(header: str) -> str | None:
    word = re.sub(r"\s+", "", header)
    for column, words in HEADER_WORDS.items():
        if word in words:
            return column
    return QUARTERS.get(word)


def _pipe_cells(text: str, line: Line | None = None) -> list[str] | None:
    if line is not None and line.cells is not None:
        return list(line.cells) if len([c for c in line.cells if c]) >= 2 else None
    if text.count("|") < 2:
        return None
    cells = [cell.strip() for cell in text.split("|")]
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def looks_like_pipe_table(document: Document) -> int:
    """Rows under a header row whose sequence cell is a number (0: no such table)."""
    columns: list[str | None] | None = None
    rows = 0
    for line in document.lines:
        cells = _pipe_cells(line.text, line)
        if not cells:
            continue
        if sum(column_of(cell) is not None for cell in cells) >= 3:
            columns = [column_of(cell) for cell in cells]
        elif columns is not None and re.fullmatch(r"\d+[a-j]?", _seq_of(cells, columns)):
            rows += 1
    return rows


def _type_of(cell: str) -> str | None:
    match = TYPE_CELL.match(cell.strip())
    return match.group(1) if match else None


def parse_pipe_table(document: Document, plan_id: str) -> ImportResult:
    result = ImportResult(layout="pipe-table", document=document)
    annex_titles = _annex_list(document.lines)
    columns: list[str | None] | None = None
    annex = 1
    area: str | None = None
    category: str | None = None
    pending_title: Line | None = None
    for line in document.lines:
        text = line.text
        if not text:
            continue
        cells = _pipe_cells(text, line)
        if marker := ANNEX.match(text):
            annex = int(marker.group(1))
            area = annex_titles.get(annex, (None, None))[1]
            result.used[line.number] = "plan: areas (annex heading)"
            columns, pending_title = None, None
            continue
        if cells and sum(column_of(cell) is not None for cell in cells) >= 3:
            columns = [column_of(cell) for cell in cells]
            if pending_title is not None:
                area = pending_title.text
                result.used[pending_title.number] = "plan: areas"
            if "area" not in columns:  # areas come from the rows when the table has that column
                if area is None:
                    area = annex_titles.get(annex, (None, f"附件{annex}"))[1]
                if annex in annex_titles and annex_titles[annex][1] == area:
                    result.used.setdefault(annex_titles[annex][0], "plan: areas")
                result.area(area)
            result.used[line.number] = "table header"
            pending_title = None
            continue
        if (
            cells
            and columns
            and not _seq_of(cells, columns)
            and result.tasks
            and _cell(cells, columns, "text")
            and "seq" in columns
        ):
            # A merged sequence cell: another target of the item above (Changning's item 14).
            cells = list(cells)
            cells[columns.index("seq")] = re.sub(r"^a\d+-|[a-j]$", "", str(result.tasks[-1]["id"]))
        if cells and columns and re.fullmatch(r"\d+[a-j]?", _seq_of(cells, columns)):
            row = dict(zip(columns, cells))
            # Merged cells (an area or category spanning rows) arrive empty: carry them down.
            if "area" in columns:
                if row.get("area"):
                    heading = rules.AREA_HEADING.match(row["area"])
                    area = heading.group(2).strip() if heading else row["area"]
                    result.area(area)
            if "category" in columns:
                category = row.get("category") or category
            _row_task(
                result,
                row,
                cells,
                columns,
                annex,
                area or "",
                line,
                plan_id,
                category if "category" in columns else None,
            )
            continue
        if not cells and _could_be_title(text):
            pending_title, columns = line, None
    return result


def _could_be_title(text: str) -> bool:
    """A table's title line: short, and not a note such as (注:A类指…)."""
    # Deferred: loads duban.importing.metadata only when this runs
    from duban.importing.metadata import parse_date_line

    return (
        len(text) <= 60
        and not text.startswith(("(", "（", "注"))
        and not ANNEX_LIST.match(text)
        and parse_date_line(text) is None
    )


def _cell(cells: list[str], columns: list[str | None], column: str) -> str:
    return cells[columns.index(column)] if column in columns and columns.index(column) < len(cells) else ""


def _next_target_id(result: ImportResult, task_id: str, plan_id: str) -> str:
    """`task_id`, or `14b`, `14c`... when the task above has the same number (two targets of
    one item); the task above then becomes `14a`."""
    if not result.tasks:
        return task_id
    above = result.tasks[-1]
    above_id = str(above["id"])
    if above_id == task_id:
        above["id"] = f"{task_id}a"
        for number in range(above["source"]["lines"][0], above["source"]["lines"][1] + 1):
            if result.used.get(number) == f"task {plan_id}/{task_id}":
                result.used[number] = f"task {plan_id}/{task_id}a"
        return f"{task_id}b"
    if re.fullmatch(re.escape(task_id) + "[a-i]", above_id):
        return f"{task_id}{chr(ord(above_id[-1]) + 1)}"
    return task_id


def _seq_of(cells: list[str], columns: list[str | None]) -> str:
    return cells[columns.index("seq")] if "seq" in columns and len(cells) > columns.index("seq") else cells[0]


def _row_task(
    result: ImportResult,
    row: dict[str | None, str],
    cells: list[str],
    columns: list[str | None],
    annex: int,
    area: str,
    line: Line,
    plan_id: str,
    category: str | None = None,
) -> None:
    seq = _seq_of(cells, columns)
    task_type = _type_of(row.get("type", "")) if row.get("type") else None
    support_cell = row.get("support", "")
    # Some rows have the type slipped one column left, into the support column.
    if task_type is None and _type_of(support_cell):
        task_type, support_cell = _type_of(support_cell), ""
        result.notes.append(
            _("line {line}: type {type} found in the support column; read as the type").format(
                line=line.number, type=task_type
            )
        )
    if "type" in columns and task_type is None and row.get("type"):
        result.notes.append(_("line {line}: unreadable type {type!r}").format(line=line.number, type=row["type"]))
    lead = result.units.add_all(rules.split_units(row.get("lead", "")))
    support = result.units.add_all(rules.split_units(support_cell))
    task_id = seq if annex == 1 else f"a{annex}-{seq}"
    if not task_id[-1].isalpha():  # an exported ledger already says 14a/14b
        task_id = _next_target_id(result, task_id, plan_id)
    title = row.get("title") or rules.title_of(row.get("text", ""))
    text = row.get("text") or title
    milestones = {
        q: row[q] for q in ("Q1", "Q2", "Q3", "Q4") if row.get(q) and row[q] not in ("——", "—", "-", "--", "/", "无")
    }
    task = task_fields(
        task_id=int(task_id) if task_id.isdigit() else task_id,
        title=title,
        text=text,
        area=area,
        category=category,
        task_type=task_type,
        lead=lead,
        support=support,
        milestones=milestones or None,
        indicators=rules.indicators_in(text, row.get("title")),
        first=line.number,
        last=line.number,
        document=result.document.name,
    )
    result.tasks.append(task)
    result.used[line.number] = f"task {plan_id}/{task_id}"


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
