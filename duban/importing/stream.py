"""Tables flattened to one cell per line (a web page's table copied as text, a PDF's cells).

A header run is a `序号` line (or a line naming a task or unit column) followed by short
label cells, a wrapped header word joined back (`市政府` / `分管领导`); it ends at the first
row number or heading. After it, a row opens at its number: the next in the count, a count
that restarts after a heading (a new part of the table), or jumps (an excerpt) once the row
before holds at least two cells. Lines between the header and the first row, and heading
lines among the rows (`一、…`, `(一)…`, a `(一)` alone with its text on the next line), are
section rows. Another header run starts another table. A unit cell may take several lines
(one unit per line); text after a row's last column opens a sub-row that shares the row's
number and merged cells (`5 | 开工建设县老年养护楼。 | 县民政局 | 5月底前` / `开工建设老年大学。 | 12月底前`).
"""

from __future__ import annotations

import re

from duban.importing.columns import HEADER_CELL_MAX, _label_like, number_style, row_number
from duban.importing.markers import marker_of
from duban.importing.script import fold
from duban.importing.vocabulary import header_kind

Item = tuple[int, str]  # line number, text
_QUALIFIED = ("leaders", "lead", "responsible", "support")  # 市政府 / 分管领导: one header word


def _heading(text: str) -> bool:
    marker = marker_of(text)
    return marker is not None and marker.kind in ("part", "cn", "pcn")


def _header_run(items: list[Item], start: int) -> tuple[list[str], list[int], int] | None:
    """The header cells from items[start], their line numbers, and the index after them."""
    cells: list[str] = []
    numbers: list[int] = []
    index = start
    while index < len(items):
        number, text = items[index]
        if not _label_like(text) or _heading(text) or row_number(text) is not None:
            break
        kind = header_kind(text)
        following = items[index + 1][1] if index + 1 < len(items) else ""
        if (
            cells
            and kind is None
            and len(text) <= 3
            and header_kind(following) in _QUALIFIED
            and header_kind(text + following) == header_kind(following)
        ):
            cells.append(text + items[index + 1][1])  # a header word wrapped over two lines
            numbers += [number, items[index + 1][0]]
            index += 2
            continue
        if kind is None and len(re.sub(r"\s+", "", text)) > HEADER_CELL_MAX // 2 + 2:
            break
        cells.append(text)
        numbers.append(number)
        index += 1
    kinds = [header_kind(c) for c in cells]
    named = [k for k in kinds if k]
    if (
        len(cells) < 3
        or len(named) < 2
        or kinds[0] not in ("seq", "text")
        or not any(k in ("lead", "responsible", "support", "leaders") for k in named)
    ):
        return None
    while cells and header_kind(cells[-1]) is None and len(cells) > len(named) + 1:
        cells.pop()  # an unknown word after the header is more likely a title or the first cell
        numbers.pop()
        index -= 1
    return cells, numbers, index


def _forced_run(items: list[Item], start: int) -> tuple[list[str], list[int], int]:
    """A header a recipe names: its cells up to the first row number."""
    end = start
    while end < len(items) and row_number(items[end][1]) is None and not _heading(items[end][1]):
        end += 1
    return [t for _n, t in items[start:end]], [n for n, _t in items[start:end]], end


def find_streams(items: list[Item], header: int | None = None) -> list[tuple[list[str], list[int], list[Item]]]:
    """Each table: its header cells, their line numbers, and the items up to the next header.
    `header`: the line a recipe names as a header."""
    found: list[tuple[list[str], list[int], int, int]] = []
    index = 0
    while index < len(items):
        if items[index][0] == header:
            cells, numbers, after = _forced_run(items, index)
            found.append((cells, numbers, index, after))
            index = after
            continue
        kind = header_kind(items[index][1])
        if kind == "text" and index + 1 < len(items) and header_kind(items[index + 1][1]) == "seq":
            kind = None  # a title above the header: the header opens with its 序号
        run = _header_run(items, index) if kind in ("seq", "text") else None
        if run is None:
            index += 1
            continue
        cells, numbers, after = run
        found.append((cells, numbers, index, after))
        index = after
    tables = []
    for position, (cells, numbers, _start, after) in enumerate(found):
        end = found[position + 1][2] if position + 1 < len(found) else len(items)
        tables.append((cells, numbers, items[after:end]))
    return tables


class StreamRow:
    def __init__(self, seq: str | None, number: int, style: str = "") -> None:
        self.seq = seq
        self.cells: list[str] = []
        self.numbers: list[int] = [number]
        self.style = style


def stream_rows(items: list[Item]) -> list[StreamRow | tuple[str, list[int]]]:
    """Rows (their cells one per line) and section headings (text, line numbers), in order."""
    out: list[StreamRow | tuple[str, list[int]]] = []
    current: StreamRow | None = None
    expected: int | None = None
    after_heading = True
    index = 0
    while index < len(items):
        number, text = items[index]
        seq = row_number(text)
        if seq is not None and (
            expected is None
            or int(seq) == expected
            or (after_heading and int(seq) == 1)
            or (current is not None and len(current.cells) >= 2 and expected < int(seq) <= expected + 30)
        ):
            current = StreamRow(seq, number, number_style(text))
            out.append(current)
            expected = int(seq) + 1
            after_heading = False
            index += 1
            continue
        marker = marker_of(text)
        alone = marker is not None and marker.kind in ("cn", "pcn", "part") and not fold(text)[marker.length :].strip()
        if alone and index + 1 < len(items) and row_number(items[index + 1][1]) is None:
            out.append((text + items[index + 1][1], [number, items[index + 1][0]]))  # (一) / its text
            current, after_heading = None, True
            index += 2
            continue
        if _heading(text) or current is None:
            out.append((text, [number]))
            current, after_heading = None, True
            index += 1
            continue
        current.cells.append(text)
        current.numbers.append(number)
        index += 1
    return out
