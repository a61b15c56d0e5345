"""A table rebuilt from a document: its rows of cells under header kinds (Grid, GridRow), and
the fitting of a row's cells to the columns, whatever shape the table arrived in (grid.py
finds the tables)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.importing.align import UNIT_KINDS, align, is_unit_list
from duban.importing.columns import decide_kinds, is_header, row_number
from duban.importing.script import fold
from duban.importing.vocabulary import header_kind, label_pattern, label_role, quarter_of_header


@dataclass
class GridRow:
    seq: str | None
    first: int
    last: int
    cells: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # kind -> (column, text)
    lines: set[int] = field(default_factory=set)
    bullet: bool = False  # a box row of △ lines under the row above
    heading: str | None = None  # a row that is an area heading (一、经济发展) spanning the table
    raw: list[str] | None = None  # the row's cells before they are fitted to columns
    style: str = ""  # how its number is written (columns.number_style)

    def put(self, kind: str, column: int, text: str) -> None:
        if text.strip():
            self.cells.setdefault(kind, []).append((column, text.strip()))


@dataclass
class Grid:
    shape: str
    kinds: list[str]
    headers: list[str]
    header_lines: set[int]
    rows: list[GridRow] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)
    guessed: bool = False

    def quarter(self, column: int) -> str | None:
        return quarter_of_header(self.headers[column]) if column < len(self.headers) else None


def kinds_of(headers: list[str]) -> list[str]:
    return [header_kind(h) or "other" for h in headers]


def is_header_row(cells: list[str]) -> bool:
    return is_header(cells)


def add_row(
    grid: Grid, seq: str | None, cells: list[str], numbers: list[int], stream: bool, kinds: list[str] | None = None
) -> GridRow:
    row = GridRow(seq, min(numbers), max(numbers), lines=set(numbers), raw=list(cells))
    kinds = list(kinds if kinds is not None else grid.kinds)
    offset = 0
    if seq is not None and kinds and kinds[0] == "seq":
        kinds = kinds[1:]
        offset = 1
    taken = align(kinds, cells, stream=stream)
    for column, indices in sorted(taken.items()):
        for index in indices:
            row.put(kinds[column], column + offset, cells[index])
    return row


def _trailing_text(grid: Grid, row: GridRow, stream: bool) -> int | None:
    """Where a sub-row starts among a stream row's cells: text after the row's last column,
    which shares the row's number and merged cells."""
    cells = row.raw or []
    kinds = grid.kinds[1:] if row.seq is not None and grid.kinds[:1] == ["seq"] else grid.kinds
    if not stream or "text" not in kinds:
        return None
    taken = align(kinds, cells, stream=True)
    used = sorted(i for indices in taken.values() for i in indices)
    if not used or used[-1] + 1 >= len(cells):
        return None
    first = used[-1] + 1
    cell = cells[first]
    label = label_pattern().match(fold(cell).strip())
    if label is not None and label_role(label.group(1)):
        return None  # a note on the row (省牵头单位:省农业农村厅), not a sub-row
    if (
        len(fold(cell).strip()) >= 4
        and not is_unit_list(cell)
        and row_number(cell) is None
        and any(k in UNIT_KINDS for k in kinds)
        and not re.match(r"^\d{1,2}\s*月|^长期|^年底", fold(cell))
    ):
        return first
    return None


def fit_cells(grid: Grid, stream: bool, fixed: bool = False) -> None:
    """Decide the columns from the header and the cells (unless a recipe `fixed` them), then
    fit every row's cells to them."""
    rows = [r for r in grid.rows if r.raw is not None]
    if not rows:
        return
    if not grid.guessed and not fixed:
        if stream:  # cells are not at fixed places: read them once with the header's kinds
            provisional = decide_kinds(grid.headers, [])
            columns: list[list[str]] = [[] for _header in grid.headers]
            for row in rows:
                fitted = add_row(grid, row.seq, row.raw or [], sorted(row.lines), stream, provisional)
                for kind_cells in fitted.cells.values():
                    for column, text in kind_cells:
                        if column < len(columns):
                            columns[column].append(text)
        else:
            numbered = grid.kinds[:1] == ["seq"]
            columns = [
                [r.seq or "" for r in rows]
                if numbered and i == 0
                else [(r.raw or [])[i - numbered] for r in rows if 0 <= i - numbered < len(r.raw or [])]
                for i in range(len(grid.headers))
            ]
        grid.kinds = decide_kinds(grid.headers, columns)
    fitted_rows: list[GridRow] = []
    for row in grid.rows:
        if row.raw is None:
            fitted_rows.append(row)
            continue
        cells = list(row.raw)
        numbers = sorted(row.lines)
        split = _trailing_text(grid, row, stream)
        more = row.cells.get("_more", [])
        if split is not None:  # a sub-row: its own text and date, the row's merged cells
            head = add_row(grid, row.seq, cells[:split], numbers, stream)
            tail = add_row(grid, row.seq, cells[split:], numbers, stream)
            lines = numbers[-(len(cells) - split) :] if len(numbers) > len(cells) - split else numbers
            tail.lines, tail.first, tail.last = set(lines), min(lines), max(lines)
            head.lines = set(numbers) - tail.lines or set(numbers)
            head.first, head.last = min(head.lines), max(head.lines)
            for kind in (*UNIT_KINDS, "leaders", "area"):
                if kind in head.cells and kind not in tail.cells:
                    tail.cells[kind] = list(head.cells[kind])
            parts = [head, tail]
        else:
            fitted = add_row(grid, row.seq, cells, numbers, stream)
            fitted.first, fitted.last, fitted.lines = row.first, row.last, row.lines
            for _column, text in more:
                fitted.put("text", 1, text)
            parts = [fitted]
        for part in parts:
            part.seq, part.style, part.bullet = row.seq, row.style, row.bullet
        fitted_rows += parts
    grid.rows = fitted_rows
    _numbered_headings(grid)


def _numbered_headings(grid: Grid) -> None:
    """A numbered row among rows numbered another way, with no unit where the others name
    theirs, is a sub-heading (`1 | 大力提振消费。` among `(1) | … | 市商务局`)."""
    styles = [r.style for r in grid.rows if r.heading is None and r.style]
    if not styles or not any(k in UNIT_KINDS for k in grid.kinds):
        return
    main = max(dict.fromkeys(styles), key=styles.count)  # a tie: the style met first, on every run
    for row in grid.rows:
        if (
            row.heading is None
            and row.style
            and row.style != main
            and not any(k in row.cells for k in (*UNIT_KINDS, "leaders"))
        ):
            text = "\n".join(t for _c, t in row.cells.get("text", []))
            if text:
                row.heading, row.cells = text, {}
