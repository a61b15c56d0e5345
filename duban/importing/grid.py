"""Tables, however a page delivered them, rebuilt as rows of cells under header kinds.

Five shapes: pipe rows (`1 | 任务 | 县教育局 |`, with or without a header; Word and Excel rows
arrive so), a table flattened to one cell per line (stream.py), rows separated by blanks
(`1 居民消费价格涨幅3%左右 发展改革委`), cells glued with no separator (glued.py), and box
drawing (`│…│`, cells wrapped over lines). What each column is comes from its header and its
cells (columns.py); cells are fitted to columns by align.py, so a row shifted by a merged cell
still finds its columns.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from duban.errors import DubanError
from duban.i18n import _
from duban.importing.align import UNIT_KINDS, is_unit_list
from duban.importing.columns import merge_header_rows, number_style, row_number
from duban.importing.grid_rows import Grid, GridRow, add_row, fit_cells, is_header_row, kinds_of
from duban.importing.script import fold
from duban.importing.source import Line
from duban.importing.vocabulary import header_kind

if TYPE_CHECKING:
    from duban.importing.recipe import Recipe

SEQ = re.compile(r"^\d{1,4}$")
BOX = re.compile(r"[│┃├┤┼┌┐└┘┬┴]")
RULE = re.compile(r"^[─━═\s]*[─━═][─━═\s]*$")


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


def _pipe_grids(lines: list[Line], taken: set[int], header: int | None = None) -> list[Grid]:
    grids: list[Grid] = []
    region: list[Line] = []

    def flush() -> None:
        while region and "|" not in fold(region[-1].text) and region[-1].cells is None:
            region.pop()  # a title or note after the table is not part of it
        if region:
            grids.extend(_pipe_region(list(region), header))
        region.clear()

    piped = [line for line in lines if "|" in fold(line.text) and line.number not in taken]
    for position, line in enumerate(lines):
        if line.number in taken:
            flush()
            continue
        if "|" in fold(line.text):
            region.append(line)
        elif not line.text and region:
            continue
        elif (
            region
            and len(line.text) <= 60
            and any(p.number > line.number for p in piped[:])
            and _next_piped(lines, position)
        ):
            region.append(line)  # a section row spanning the table (一、经济发展), or a merged title
        else:
            flush()
    flush()
    return grids


def _next_piped(lines: list[Line], position: int) -> bool:
    for line in lines[position + 1 :]:
        if line.text:
            return "|" in fold(line.text)
    return False


def _pipe_region(region: list[Line], header: int | None = None) -> list[Grid]:
    split = [(line, _split_pipes(line.text) if "|" in fold(line.text) else [line.text]) for line in region]
    piped = [(line, cells) for line, cells in split if "|" in fold(line.text)]
    filled = [len([c for c in cells if c]) for _line, cells in piped]
    if filled and sorted(filled)[len(filled) // 2] <= 1:  # one cell per line (`24 |`, `主要任务 |`)
        items = [(line.number, next((c for c in cells if c), "")) for line, cells in split]
        found = _cell_stream([(n, t) for n, t in items if t], header)
        for table in found:  # lines of bare `|` between cells belong to the table
            start = min(table.lines | table.header_lines)
            table.lines |= {n for n, t in items if not t and n > start}
        return found
    grids: list[Grid] = []
    grid: Grid | None = None
    header_rows = 0
    for line, cells in split:
        count = len([c for c in cells if c])
        first = next((c for c in cells if c), "")
        if line.number == header or (is_header_row(cells) and (header is None or line.number < header)):
            if grid is not None and not grid.rows and header_rows and line.number != header:  # a header over two rows
                grid.headers = merge_header_rows(grid.headers, cells)
                grid.kinds = kinds_of(grid.headers)
                grid.header_lines.add(line.number)
                grid.lines.add(line.number)
            else:
                grid = Grid("pipe", kinds_of(cells), list(cells), {line.number}, lines={line.number})
                grids.append(grid)
            header_rows += 1
            continue
        header_rows = 0
        seq = row_number(cells[0]) if cells else None
        in_text = None
        if grid is not None and "seq" not in grid.kinds and seq is None and count >= 2:
            marker = re.match(r"^(\d{1,3})\s*[.、．](?!\d)", fold(first))
            in_text = marker.group(1) if marker else None  # the number inside the text cell (14.…)
        if (
            seq is not None
            or in_text is not None
            or (grid is not None and "seq" not in grid.kinds and not grid.guessed)
        ) and count >= 2:
            if grid is None:
                grid = Grid("pipe", [], [], set(), guessed=True)
                grids.append(grid)
            grid.rows.append(
                GridRow(
                    seq or in_text,
                    line.number,
                    line.number,
                    lines={line.number},
                    raw=list(cells),
                    style=number_style(cells[0]) if seq else "",
                )
            )
            grid.lines.add(line.number)
        elif grid is not None and first and (count <= 1 and _heading(first) or "|" not in fold(line.text)):
            grid.rows.append(GridRow(None, line.number, line.number, lines={line.number}, heading=first))
            grid.lines.add(line.number)
        elif (
            grid is not None
            and grid.rows
            and grid.rows[-1].raw is not None
            and first
            and count >= 2
            and grid.kinds
            and len(grid.rows[-1].raw or []) < len(grid.kinds)
        ):
            # a row broken over two lines inside a cell: the rest of the row above
            raw = grid.rows[-1].raw or []
            raw[-1] = raw[-1] + cells[0]
            raw += cells[1:]
            grid.rows[-1].lines.add(line.number)
            grid.rows[-1].last = line.number
            grid.lines.add(line.number)
        elif grid is not None and grid.rows and first and count <= 1 and grid.rows[-1].raw is not None:
            # a merged sequence cell: more of the row above
            grid.rows[-1].cells.setdefault("_more", []).append((0, first))
            grid.rows[-1].lines.add(line.number)
            grid.rows[-1].last = line.number
            grid.lines.add(line.number)
        elif grid is not None and grid.rows and not first:
            grid.lines.add(line.number)  # a separator row `|`
    for grid in grids:
        if grid.guessed:
            _guess_columns(grid)
        for row in grid.rows:  # the number's cell is not one of the columns the row is fitted to
            if (
                row.raw is not None
                and row.seq is not None
                and row_number(row.raw[0] if row.raw else "")
                and grid.kinds[:1] == ["seq"]
            ):
                row.raw = row.raw[1:]
        fit_cells(grid, stream=False)
    return [g for g in grids if any(r.heading is None for r in g.rows)]


def _heading(text: str) -> bool:
    # Deferred: loads duban.importing.markers only when this runs
    from duban.importing.markers import marker_of

    marker = marker_of(text)
    return marker is not None and marker.kind in ("part", "cn", "pcn")


def _guess_columns(grid: Grid) -> None:
    """A table whose header fell outside the excerpt: 序号, then the task, then columns read
    by what their cells hold (a column of unit lists names the units)."""
    rows = [r for r in grid.rows if r.raw is not None]
    width = max(len(r.raw or []) for r in rows)
    kinds = ["seq", "text"]
    for column in range(2, width):
        cells = [(r.raw or [])[column] for r in rows if column < len(r.raw or [])]
        cells = [c for c in cells if c]
        units = sum(1 for c in cells if is_unit_list(c))
        kinds.append("unlabelled" if cells and units >= 0.6 * len(cells) and "unlabelled" not in kinds else "other")
    grid.kinds = kinds[:width]
    grid.headers = [""] * width


def _cell_stream(items: list[tuple[int, str]], header: int | None = None) -> list[Grid]:
    """Header runs (序号 / 项目内容 / 牵头单位 …, one per line), each with its cells, one per line."""
    # Deferred: loads duban.importing.stream (2 duban modules in all) only when this runs
    from duban.importing.stream import find_streams, stream_rows

    grids: list[Grid] = []
    for headers, numbers, body in find_streams(items, header):
        grid = Grid("cells", kinds_of(headers), headers, set(numbers), lines=set(numbers))
        for part in stream_rows(body):
            if isinstance(part, tuple):
                text, lines = part
                grid.rows.append(GridRow(None, min(lines), max(lines), lines=set(lines), heading=text))
                grid.lines |= set(lines)
                continue
            grid.rows.append(
                GridRow(
                    part.seq,
                    min(part.numbers),
                    max(part.numbers),
                    lines=set(part.numbers),
                    raw=part.cells,
                    style=part.style,
                )
            )
            grid.lines |= set(part.numbers)
        while grid.rows and grid.rows[-1].heading is not None:  # notes after the table's last row
            last = grid.rows.pop()
            grid.lines -= last.lines
        fit_cells(grid, stream=True)
        if any(r.heading is None for r in grid.rows):
            grids.append(grid)
    return grids


def _flattened_grids(lines: list[Line], taken: set[int], header: int | None = None) -> list[Grid]:
    items = [(line.number, line.text) for line in lines if line.text and line.number not in taken]
    return _cell_stream(items, header)


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
        if len(tokens) >= 2 and header_kind(tokens[0]) == "seq" and is_header_row(tokens):
            grid = Grid("spaced", kinds_of(tokens), tokens, {line.number}, lines={line.number})
            grids.append(grid)
            expected = 0
            continue
        if grid is None:
            continue
        words = line.text.split()
        seq = row_number(words[0]) if words else None
        if len(words) >= 2 and seq is not None and (expected == 0 or int(seq) == expected):
            expected = int(seq) + 1
            cells = words[1:]
            # the task's own blanks stay in it: all but the last cells form the text
            body = [" ".join(cells[:-1]), cells[-1]] if len(cells) > len(grid.kinds) - 1 else cells
            grid.rows.append(add_row(grid, seq, body, [line.number], stream=False))
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
    width = max(dict.fromkeys(widths), key=widths.count)  # a tie: the width met first
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
    if not is_header_row(headers):
        return None
    grid = Grid(
        "box", kinds_of(headers), headers, {n for n, _c in split if n <= header_last}, lines={n for n, _c in split}
    )
    for first, last, text in columns[0][1:]:
        row = GridRow(None, first, last, lines=set(range(first, last + 1)), bullet=fold(text).startswith(("△", "▲")))
        row.put(grid.kinds[0] if grid.kinds[0] != "other" else "text", 0, text)
        for index, column_cells in enumerate(columns[1:], start=1):
            for cell_first, cell_last, cell_text in column_cells:
                if cell_first <= last and cell_last >= first and cell_first > header_last:
                    row.put(grid.kinds[index], index, cell_text)
        grid.rows.append(row)
    return grid


def find_grids(lines: list[Line], recipe: Recipe | None = None) -> list[Grid]:
    """Every table in the document, in order; each claims its lines. A recipe may name the
    table, its header line and its columns."""
    header = recipe.header if recipe is not None else None
    grids: list[Grid] = []
    taken: set[int] = set()
    finders = (_box_grids, _pipe_grids, _spaced_grids, _flattened_grids)
    for finder in finders:
        found = finder(lines, taken, header) if finder in (_pipe_grids, _flattened_grids) else finder(lines, taken)
        for grid in found:
            grids.append(grid)
            taken |= grid.lines | grid.header_lines
    grids.sort(key=lambda g: min(g.lines | g.header_lines))
    if recipe is None:
        return grids
    if recipe.table is not None:
        if recipe.table > len(grids):
            raise DubanError(
                _("the recipe names table {table}, but the document has {count} tables").format(
                    table=recipe.table, count=len(grids)
                ),
                hint=_("duban import --explain shows where each table starts"),
            )
        grids = [grids[recipe.table - 1]]
    if recipe.columns is not None:
        chosen = [g for g in grids if header in g.header_lines] if header is not None else grids
        for grid in chosen:
            grid.kinds = (list(recipe.columns) + ["other"] * len(grid.headers))[
                : max(len(grid.headers), len(recipe.columns))
            ]
            grid.headers += [""] * (len(grid.kinds) - len(grid.headers))
            grid.guessed = False
            fit_cells(grid, stream=grid.shape == "cells", fixed=True)
    return grids


def unit_columns(grid: Grid) -> list[str]:
    return [k for k in grid.kinds if k in UNIT_KINDS]
