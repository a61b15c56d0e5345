"""Tables, however a page delivered them, rebuilt as rows of cells under header kinds.

Four shapes: pipe rows (`1 | 任务 | 县教育局 |`, with or without a header), a table flattened to
one cell per line (with or without a trailing `|`), rows separated by blanks
(`1 居民消费价格涨幅3%左右 发展改革委`), and box drawing (`│…│`, cells wrapped over lines). Header
words may be split by spaces (`牵头 单位`). Cells are fitted to columns by align.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.importing.align import UNIT_KINDS, align, is_unit_list
from duban.importing.script import fold
from duban.importing.source import Line
from duban.importing.vocabulary import header_kind, quarter_of_header

SEQ = re.compile(r"^\d{1,4}$")
BOX = re.compile(r"[│┃├┤┼┌┐└┘┬┴]")
RULE = re.compile(r"^[─━═\s]*[─━═][─━═\s]*$")


@dataclass
class GridRow:
    seq: str | None
    first: int
    last: int
    cells: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # kind -> (column, text)
    lines: set[int] = field(default_factory=set)
    bullet: bool = False  # a box row of △ lines under the row above
    heading: str | None = None  # a row that is an area heading (一、经济发展) spanning the table

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


def _kinds(headers: list[str]) -> list[str]:
    return [header_kind(h) or "other" for h in headers]


def _is_header(cells: list[str]) -> bool:
    kinds = [header_kind(c) for c in cells if c.strip()]
    named = [k for k in kinds if k]
    if "seq" in named and "text" in named and any(k in UNIT_KINDS for k in named):
        # 序号, the task and its units: a header, whatever columns an office's ledger adds
        # (月进展, 灯, 得分 …); a data row never holds the word 序号.
        return True
    return len(named) >= 2 and len(named) >= len(kinds) * 0.6 and any(
        k in ("seq", "text", "lead", "responsible") for k in named)


def _row(grid: Grid, seq: str | None, cells: list[str], numbers: list[int], stream: bool) -> GridRow:
    row = GridRow(seq, min(numbers), max(numbers), lines=set(numbers))
    kinds = grid.kinds
    if seq is not None and kinds and kinds[0] == "seq":
        kinds = kinds[1:]
        offset = 1
    else:
        offset = 0
    taken = align(kinds, cells, stream=stream)
    for column, indices in sorted(taken.items()):
        for index in indices:
            row.put(kinds[column], column + offset, cells[index])
    return row


def _split_pipes(text: str) -> list[str]:
    cells = [c.strip() for c in fold(text).split("|")]
    raw = [c.strip() for c in text.replace("｜", "|").split("|")]
    if raw and raw[-1] == "":
        raw.pop()
        cells.pop()
    if raw and raw[0] == "" and len(raw) > 1:
        raw.pop(0)
        cells.pop(0)
    return raw


def _stream(grid: Grid, items: list[tuple[int, str]]) -> None:
    """Cells one per line after the header: a new row at each next sequence number."""
    current: tuple[str, list[str], list[int]] | None = None  # seq, cells, line numbers
    expected: int | None = None

    def close() -> None:
        if current is not None:
            grid.rows.append(_row(grid, current[0], current[1], current[2] or [0], stream=True))

    for number, text in items:
        if _heading(text) and not SEQ.match(text):
            close()
            current = None
            grid.rows.append(GridRow(None, number, number, lines={number}, heading=text))
            grid.lines.add(number)
            continue
        if SEQ.match(text) and (expected is None or int(text) == expected):
            close()
            current = (text, [], [number])
            expected = int(text) + 1
        elif current is not None:
            current[1].append(text)
            current[2].append(number)
        grid.lines.add(number)
    close()


def _pipe_grids(lines: list[Line], taken: set[int]) -> list[Grid]:
    grids: list[Grid] = []
    region: list[Line] = []

    def flush() -> None:
        if region:
            grids.extend(_pipe_region(list(region)))
        region.clear()

    for line in lines:
        if line.number in taken:
            flush()
            continue
        if "|" in fold(line.text):
            region.append(line)
        elif not line.text and region:
            continue
        else:
            flush()
    flush()
    return grids


def _pipe_region(region: list[Line]) -> list[Grid]:
    split = [(line, _split_pipes(line.text)) for line in region]
    filled = [len([c for c in cells if c]) for _line, cells in split]
    if sorted(filled)[len(filled) // 2] <= 1:  # one cell per line (`24 |`, `主要任务 |`)
        items = [(line.number, next((c for c in cells if c), "")) for line, cells in split]
        found = _cell_stream([(n, t) for n, t in items if t])
        for table in found:  # lines of bare `|` between cells belong to the table
            start = min(table.lines | table.header_lines)
            table.lines |= {n for n, t in items if not t and n > start}
        return found
    grids: list[Grid] = []
    grid: Grid | None = None
    for line, cells in split:
        if _is_header(cells):
            grid = Grid("pipe", _kinds(cells), cells, {line.number}, lines={line.number})
            grids.append(grid)
            continue
        first = next((c for c in cells if c), "")
        if SEQ.match(cells[0] if cells else "") and len([c for c in cells if c]) >= 2:
            if grid is None:
                grid = Grid("pipe", [], [], set(), guessed=True)
                grids.append(grid)
            grid.rows.append(GridRow(cells[0], line.number, line.number, {"_raw": [(0, c) for c in cells]},
                                     {line.number}))
            grid.lines.add(line.number)
        elif grid is not None and first and _heading(first) and len([c for c in cells if c]) <= 1:
            grid.rows.append(GridRow(None, line.number, line.number, lines={line.number}, heading=first))
            grid.lines.add(line.number)
        elif grid is not None and grid.rows and "_raw" in grid.rows[-1].cells and first and \
                len([c for c in cells if c]) >= 2 and grid.kinds and len(grid.rows[-1].cells["_raw"]) < len(grid.kinds):
            # a row broken over two lines inside a cell: the rest of the row above
            raw = grid.rows[-1].cells["_raw"]
            raw[-1] = (raw[-1][0], raw[-1][1] + cells[0])
            raw += [(0, c) for c in cells[1:]]
            grid.rows[-1].lines.add(line.number)
            grid.rows[-1].last = line.number
            grid.lines.add(line.number)
        elif grid is not None and grid.rows and first and not _is_header(cells):
            if len([c for c in cells if c]) <= 1:  # a merged sequence cell: more of the row above
                grid.rows[-1].cells.setdefault("_more", []).append((0, first))
                grid.rows[-1].lines.add(line.number)
                grid.rows[-1].last = line.number
                grid.lines.add(line.number)
        elif grid is not None and grid.rows and not first:
            grid.lines.add(line.number)  # a separator row `|`
    for grid in grids:
        if grid.guessed:
            _guess_columns(grid)
        for index, row in enumerate(grid.rows):
            raw_cells = row.cells.pop("_raw") if "_raw" in row.cells else None
            more = row.cells.pop("_more", [])
            if raw_cells is not None:
                fitted = _row(grid, row.seq, [c for _i, c in raw_cells][1:] if grid.kinds[:1] == ["seq"] else
                              [c for _i, c in raw_cells], sorted(row.lines), stream=False)
                fitted.seq, fitted.first, fitted.last, fitted.lines = row.seq, row.first, row.last, row.lines
                for _column, text in more:
                    fitted.put("text", 1, text)
                grid.rows[index] = fitted
    return [g for g in grids if g.rows]


def _heading(text: str) -> bool:
    from duban.importing.markers import marker_of

    marker = marker_of(text)
    return marker is not None and marker.kind in ("part", "cn", "pcn")


def _guess_columns(grid: Grid) -> None:
    """A table whose header fell outside the excerpt: 序号, then the task, then columns read
    by what their cells hold (a column of unit lists names the units)."""
    rows = [r for r in grid.rows if "_raw" in r.cells]
    width = max(len(r.cells["_raw"]) for r in rows)
    kinds = ["seq", "text"]
    for column in range(2, width):
        cells = [r.cells["_raw"][column][1] for r in rows if column < len(r.cells["_raw"])]
        cells = [c for c in cells if c]
        units = sum(1 for c in cells if is_unit_list(c))
        kinds.append("unlabelled" if cells and units >= 0.6 * len(cells) and "unlabelled" not in kinds else "other")
    grid.kinds = kinds[:width]
    grid.headers = [""] * width


def _cell_stream(items: list[tuple[int, str]]) -> list[Grid]:
    """A header run (序号 / 项目内容 / 牵头单位 …, one per line), then its cells, one per line."""
    for start in range(len(items)):
        if header_kind(items[start][1]) != "seq":
            continue
        end = start
        while end < len(items) and header_kind(items[end][1]) is not None:
            end += 1
        if end - start < 3:
            continue
        headers = [t for _n, t in items[start:end]]
        grid = Grid("cells", _kinds(headers), headers, {n for n, _t in items[start:end]},
                    lines={n for n, _t in items[start:end]})
        _stream(grid, items[end:])
        return [grid] if grid.rows else []
    return []


def _flattened_grids(lines: list[Line], taken: set[int]) -> list[Grid]:
    items = [(line.number, line.text) for line in lines if line.text and line.number not in taken]
    return _cell_stream(items)


def _tokens(text: str) -> list[str]:
    """Blank-separated cells; single characters run together (工 作 任 务 -> 工作任务)."""
    out: list[str] = []
    glued = False  # the last cell was built from single characters
    for token in text.split():
        single = len(token) == 1 and not SEQ.match(token)
        if out and single and (glued or len(out[-1]) == 1 and not SEQ.match(out[-1])):
            out[-1] += token
            glued = True
        else:
            out.append(token)
            glued = single
    return out


def _spaced_grids(lines: list[Line], taken: set[int]) -> list[Grid]:
    grids: list[Grid] = []
    grid: Grid | None = None
    expected = 0
    for line in lines:
        if line.number in taken or not line.text:
            continue
        tokens = _tokens(fold(line.text))
        if len(tokens) >= 2 and header_kind(tokens[0]) == "seq" and _is_header(tokens):
            grid = Grid("spaced", _kinds(tokens), tokens, {line.number}, lines={line.number})
            grids.append(grid)
            expected = 0
            continue
        if grid is None:
            continue
        words = line.text.split()
        if len(words) >= 2 and SEQ.match(words[0]) and (expected == 0 or int(words[0]) == expected):
            expected = int(words[0]) + 1
            cells = words[1:]
            # the task's own blanks stay in it: all but the last cells form the text
            body = [" ".join(cells[:-1]), cells[-1]] if len(cells) > len(grid.kinds) - 1 else cells
            grid.rows.append(_row(grid, words[0], body, [line.number], stream=False))
            grid.lines.add(line.number)
        else:
            grid = None
    return [g for g in grids if g.rows]


def _box_grids(lines: list[Line], taken: set[int]) -> list[Grid]:
    grids: list[Grid] = []
    region: list[Line] = []
    for line in [*lines, Line(10**9, "", "")]:
        if line.text and BOX.search(line.text) and line.number not in taken:
            region.append(line)
            continue
        if region:
            grid = _box_region(region)
            if grid is not None:
                grids.append(grid)
            region = []
    return grids


def _box_region(region: list[Line]) -> Grid | None:
    split = [(line.number, BOX.split(line.text)[1:-1]) for line in region]
    widths = [len(cells) for _n, cells in split if cells]
    if not widths:
        return None
    width = max(set(widths), key=widths.count)
    columns: list[list[tuple[int, int, str]]] = []  # per column: (first, last, text)
    for column in range(width):
        cells: list[tuple[int, int, str]] = []
        open_cell: list[tuple[int, str]] = []
        for number, segments in split:
            if len(segments) != width:
                segment = "─" if not segments or all(RULE.match(s) for s in segments) else ""
            else:
                segment = segments[column]
            if RULE.match(segment) or not segment.strip() and not open_cell and False:
                if open_cell:
                    cells.append((open_cell[0][0], open_cell[-1][0], "".join(t.strip() for _n, t in open_cell)))
                open_cell = []
            elif segment.strip():
                open_cell.append((number, segment))
            elif open_cell:
                open_cell.append((number, ""))
        if open_cell:
            cells.append((open_cell[0][0], open_cell[-1][0], "".join(t.strip() for _n, t in open_cell)))
        columns.append([c for c in cells if c[2]])
    if not columns or not columns[0]:
        return None
    header_last = columns[0][0][1]
    headers = []
    for column_cells in columns:
        parts = [t for first, _last, t in column_cells if first <= header_last]
        headers.append("".join(parts))
    if not _is_header(headers):
        return None
    grid = Grid("box", _kinds(headers), headers, {n for n, _c in split if n <= header_last},
                lines={n for n, _c in split})
    for first, last, text in columns[0][1:]:
        row = GridRow(None, first, last, lines=set(range(first, last + 1)),
                      bullet=fold(text).startswith(("△", "▲")))
        row.put(grid.kinds[0] if grid.kinds[0] != "other" else "text", 0, text)
        for index, column_cells in enumerate(columns[1:], start=1):
            for cell_first, cell_last, cell_text in column_cells:
                if cell_first <= last and cell_last >= first and cell_first > header_last:
                    row.put(grid.kinds[index], index, cell_text)
        grid.rows.append(row)
    return grid


def find_grids(lines: list[Line]) -> list[Grid]:
    """Every table in the document, in order; each claims its lines."""
    grids: list[Grid] = []
    taken: set[int] = set()
    for finder in (_box_grids, _pipe_grids, _spaced_grids, _flattened_grids):
        for grid in finder(lines, taken):
            grids.append(grid)
            taken |= grid.lines | grid.header_lines
    grids.sort(key=lambda g: min(g.lines | g.header_lines))
    return grids


def unit_columns(grid: Grid) -> list[str]:
    return [k for k in grid.kinds if k in UNIT_KINDS]
