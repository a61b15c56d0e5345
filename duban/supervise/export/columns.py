"""The ledger's columns laid out on paper: each column's share of the printed width, the
columns set centred, and widths fitted to the text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from duban.supervise.rows import plain_cell
from duban.text.textwidth import cell_width

# (a CSS named page), centred under their title.
LEDGER_PRINT = 8  # pt: the smallest type the xlsx ledger prints in (D13)
LEAST = 8  # cells: four characters a line at the least
PADDING = 1.2  # ems: a cell's padding and borders, with a little room
LEDGER_PAGE_WIDTH = (420 - 2 * 12) / 25.4 * 72  # pt: A3 landscape within 12 mm margins
LEDGER_CSS = (
    "@page{size:A3 landscape;margin:12mm}@page scores{size:A4 portrait;margin:20mm}"
    "table.fixed{table-layout:fixed;width:100%}td.c{text-align:center}"
    "@media print{td,th{padding:2pt 3pt}}"
    ".scores{page:scores;break-before:page}.scores h2{text-align:center}.scores table{margin:0 auto}"
)


def column_shares(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Each column's share of the printed width, in percent. Every column first gets what its
    needs for four characters a line (no column of one character a line), or its longest
    line where that is less; the rest of the page goes to the columns by how much text they
    hold, none wider than its longest line. Widths in ems: half an em a cell, and padding."""
    lines = [[line for row in rows for line in plain_cell(row[i]).split("\n")] for i in range(len(headers))]
    longest = [max([cell_width(headers[i]), *map(cell_width, lines[i])]) / 2 + PADDING for i in range(len(headers))]
    least = [min(longest[i], LEAST / 2 + PADDING) for i in range(len(headers))]
    text = [sum(map(cell_width, lines[i])) for i in range(len(headers))]
    ems = list(least)
    room = LEDGER_PAGE_WIDTH / LEDGER_PRINT - sum(ems)
    growing = {i for i in range(len(headers)) if longest[i] > ems[i] and text[i]}
    while room > 0.01 and growing:  # share out the room by text, stopping each at its longest line
        held = sum(text[i] for i in growing)
        given = {i: room * text[i] / held for i in growing}
        room = 0.0
        for i, extra in given.items():
            take = min(extra, longest[i] - ems[i])
            ems[i] += take
            room += extra - take
        growing = {i for i in growing if longest[i] - ems[i] > 0.01}
    width = sum(ems) or 1.0
    return [100 * em / width for em in ems]


CENTRED = {"序号", "名次", "完成进度(%)", "灯", "状态", "目标类型", "完成时限", "得分", "按时报送率(%)", "涉及任务"}


def centred_columns(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> set[int]:
    """The columns set centred: those CENTRED names, and any whose every cell is a number."""
    return {
        i
        for i, header in enumerate(headers)
        if header in CENTRED or (rows and all(isinstance(row[i], (int, float)) for row in rows))
    }


def fitted_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]], caps: dict[int, int]) -> dict[int, int]:
    """Each column's width in Excel's unit (about a Latin character; a Chinese one takes
    two): its longest line, at least 6 and at most the column's cap (default 18)."""
    fitted = {}
    for column, header in enumerate(headers):
        longest = max(
            [cell_width(header), *(max(map(cell_width, plain_cell(r[column]).split("\n"))) for r in rows)], default=4
        )
        fitted[column] = min(max(longest + 2, 6), caps.get(column, 18))
    return fitted


# Fonts Windows has (its 仿宋 and 黑体; 仿宋_GB2312 and 方正小标宋简体 come only with an office's
