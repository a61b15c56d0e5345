"""Tables flattened to one cell per paragraph (Changning 2019): area headings, a sequence
number, an optional category cell that spans several items, the target, four quarterly
milestones (—— for none), lead and support cells.

Unit cells run names together with irregular spaces (`发改委  科  委卫计委`): they are read by
`split_unit_cell`, which joins fragments and cuts run-together names at unit endings.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from duban.i18n import _
from duban.importing import rules
from duban.importing.result import ImportResult, task_fields
from duban.importing.source import Document, Line
from duban.importing.tables import QUARTERS, column_of


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
    return parse_cells(document, plan_id, paragraphs(document))


EMPTY_MILESTONE = {"——", "—", "-", "--", "/", "无"}
# Characters a unit name ends with (委 in 发改委, 街道, 集团, 成员单位 ...).
UNIT_END = set("委办局镇道部团司联队心门位组会院站所")
MAX_PIECE = 6


def _ends_like_unit(token: str) -> bool:
    return bool(token) and (token[-1] in UNIT_END or token.endswith(")") or token.endswith("）"))


@functools.lru_cache(maxsize=4096)
def _segment(token: str) -> tuple[str, ...] | None:
    """The most pieces of 2..6 characters, each ending like a unit, that make up `token`."""
    if not token:
        return ()
    best: tuple[str, ...] | None = None
    for end in range(2, len(token) + 1):
        piece = token[:end]
        core = re.sub(r"[(（].*?[)）]$", "", piece)
        if len(core) > MAX_PIECE or not _ends_like_unit(piece) or len(core) < 2:
            continue
        rest = _segment(token[end:])
        if rest is not None and (best is None or len(rest) + 1 > len(best)):
            best = (piece, *rest)
    return best


def split_unit_cell(cell: str) -> list[str]:
    """Unit names in a cell where spaces both separate names and fall inside them."""
    tokens = cell.split()
    joined: list[str] = []
    carry = ""
    for token in tokens:
        token = carry + token
        carry = ""
        if len(token) == 1 and token in UNIT_END and joined:
            joined[-1] += token  # 科 | 委 -> 科委
        elif token.startswith(("成员单位", "各成员单位")) and joined and not joined[-1].endswith("委"):
            joined[-1] += token  # …领导小组 | 成员单位
        elif not _ends_like_unit(token):
            carry = token  # 科 | 委卫计委 ; 其他城区运行 | 管理相关部门
        else:
            joined.append(token)
    if carry:
        joined.append(carry)
    names: list[str] = []
    for token in joined:
        pieces = _segment(token) if len(token) > 1 else None
        names += list(pieces) if pieces and len(pieces) > 1 else [token]
    return names


def _as_written(name: str, cell: str) -> str:
    """The name as the cell spells it, spaces inside kept (科  委), for the registry's aliases."""
    match = re.search(r"[ \u00a0\u3000]*".join(map(re.escape, name)), cell)
    return match.group(0).replace("\u00a0", " ") if match else name


def _data_columns(header: list[str]) -> list[str]:
    """Data column order: quarterly sub-headers take the place of the header that spans them."""
    columns: list[str] = []
    quarters = [QUARTERS[h] for h in header if h in QUARTERS]
    for word in header:
        column = column_of(word)
        if word in QUARTERS:
            continue
        if column in ("text", "lead", "support", "type"):
            columns.append(column)
        elif column is None and quarters and "quarters" not in columns:
            columns.append("quarters")
    if "quarters" not in columns and quarters:
        columns.append("quarters")
    out: list[str] = []
    for column in columns:
        out += quarters if column == "quarters" else [column]
    return out


def parse_cells(document: Document, plan_id: str, cells: list[Cell]) -> ImportResult:
    result = ImportResult(layout="cell-table", document=document)
    words = [re.sub(r"\s+", "", c.text) for c in cells]
    quarters = [i for i, w in enumerate(words) if w in QUARTERS]
    first_header = next((i for i, w in enumerate(words) if w == "序号"), None)
    if not quarters or first_header is None or first_header > quarters[-1]:
        return result  # no header of this layout: "found no tasks" for the caller to say
    last_header = quarters[-1]
    if first_header > 0 and words[first_header - 1] == "领域":
        first_header -= 1
    header = words[first_header : last_header + 1]
    data_columns = _data_columns(header)
    for cell in cells[first_header : last_header + 1]:
        for number in range(cell.first, cell.last + 1):
            result.used[number] = "table header"
    for word in header:
        if word in rules.ROLE_OF:
            result.role_word(rules.ROLE_OF[word], word)

    # Split the cells after the header into items at each next sequence number.
    area: str | None = None
    category: str | None = None
    groups: list[tuple[Cell, list[Cell]]] = []
    expected = 1
    for cell in cells[last_header + 1 :]:
        text = cell.text.strip()
        if heading := rules.AREA_HEADING.match(text):
            name = heading.group(2).strip()
            if name == area:
                _mark(result, cell, "page header (area heading repeated after a page break)")
            else:
                area = name
                result.area(area)
                _mark(result, cell, "plan: areas", used=True)
            continue
        if text == str(expected):
            groups.append((cell, []))
            result.facts.setdefault("areas_of", {})[expected] = area
            expected += 1
            continue
        if groups:
            groups[-1][1].append(cell)
        else:
            _mark(result, cell, "before the first row of the table")

    width = len(data_columns)
    for seq_cell, group in groups:
        seq = int(seq_cell.text)
        area = result.facts["areas_of"][seq]
        targets = len(group) // width
        has_category = len(group) - targets * width >= 1 and targets >= 1
        if has_category:
            category = group[0].text.strip()
            body = group[1:]
        else:
            body = group
        targets = len(body) // width
        for extra in body[targets * width :]:
            _mark(result, extra, "after the last row of the table")
        for index in range(targets):
            chunk = body[index * width : (index + 1) * width]
            row = dict(zip(data_columns, chunk))
            suffix = _target_suffix(index) if targets > 1 else ""
            task_id = f"{seq}{suffix}"
            _cell_task(
                result,
                plan_id,
                task_id,
                row,
                area or "",
                category,
                seq_cell,
                chunk,
                group[0] if has_category and index == 0 else None,
            )
    result.facts.pop("areas_of", None)
    return result


def _target_suffix(index: int) -> str:
    """a, b, … z, then z27, z28 …: one id per target of an item, however many."""
    return chr(ord("a") + index) if index < 26 else f"z{index + 1}"


def _mark(result: ImportResult, cell: Cell, reason: str, used: bool = False) -> None:
    for number in range(cell.first, cell.last + 1):
        if used:
            result.used[number] = reason
        elif result.document.lines[number - 1].text:
            result.skipped[number] = reason


def _cell_task(
    result: ImportResult,
    plan_id: str,
    task_id: str,
    row: dict[str, Cell],
    area: str,
    category: str | None,
    seq_cell: Cell,
    chunk: list[Cell],
    category_cell: Cell | None,
) -> None:
    if "text" not in row or not row["text"].text.strip():
        for cell in chunk:
            _mark(result, cell, "table row without a target cell")
        return
    text = row["text"].text.strip()
    milestones = {
        q: row[q].text.strip()
        for q in ("Q1", "Q2", "Q3", "Q4")
        if q in row and row[q].text.strip() and row[q].text.strip() not in EMPTY_MILESTONE
    }
    units: dict[str, list[str]] = {}
    for role in ("lead", "support"):
        if role in row:
            found = split_unit_cell(row[role].text)
            if found != row[role].text.split():
                result.notes.append(
                    _("lines {first}-{last}: {role} cell {text!r} read as {units}").format(
                        first=row[role].first,
                        last=row[role].last,
                        role=_(role),
                        text=" ".join(row[role].text.split()),
                        units="、".join(found),
                    )
                )
            units[role] = result.units.add_all([_as_written(name, row[role].text) for name in found])
    leading = task_id[-1] in "0123456789a"  # the item's first (or only) target owns its seq cell
    first = seq_cell.first if leading else chunk[0].first
    last = chunk[-1].last
    task = task_fields(
        task_id=int(task_id) if task_id.isdigit() else task_id,
        title=rules.title_of(text),
        text=text,
        area=area,
        category=category,
        lead=units.get("lead"),
        support=units.get("support"),
        milestones={str(q): text for q, text in milestones.items()} if milestones else None,
        indicators=rules.indicators_in(text),
        first=first,
        last=last,
        document=result.document.name,
    )
    result.tasks.append(task)
    where = f"task {plan_id}/{task_id}"
    for cell in ([seq_cell] if leading else []) + ([category_cell] if category_cell else []) + chunk:
        for number in range(cell.first, cell.last + 1):
            result.used[number] = where
