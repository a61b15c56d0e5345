"""The ledger as an .xlsx workbook: landscape A4 or A3 fitted to width, the header repeated on
every page, rows as high as their wrapped text, every text cell stored as text."""

from __future__ import annotations

import io
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from duban.states import LightColour
from duban.store.files import write_output
from duban.supervise.export.columns import centred_columns, fitted_widths
from duban.supervise.export.ledger import Ledger
from duban.supervise.export.text import LIGHT_FILLS, clean
from duban.supervise.rows import plain_cell
from duban.text.textwidth import cell_width


def _sheet_title(name: str, taken: set[str]) -> str:
    title = "".join(c for c in clean(name) if c not in "[]:*?/\\\n")[:31] or "Sheet"
    base, number = title, 2
    while title in taken:
        title = f"{base[:28]}-{number}"
        number += 1
    taken.add(title)
    return title


def _as_text(cell: Any, value: Any) -> None:
    """A value stored as what it is: numbers as numbers, text always as text (openpyxl would
    make a string that starts with = a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _lines(text: Any, width: int) -> int:
    """Lines a wrapped cell takes: a 10-point Chinese character is about 1.75 width units."""
    per_line = max(width * 1.15 - 1, 1)
    return sum(max(1, math.ceil(cell_width(line) / per_line)) for line in plain_cell(text).split("\n"))


# Columns set centred: numbers and the short words of a fixed vocabulary. Every other column
# is text, set left. One rule per column, never by a cell's length (a 4-character unit


LEDGER_FONTS = {"title": "黑体", "header": "黑体", "body": "仿宋"}
GB2312_CHARSET = 134


def _font(role: str, size: float, bold: bool = False) -> Any:
    # Deferred: loads openpyxl.styles only when this runs
    from openpyxl.styles import Font

    return Font(name=LEDGER_FONTS[role], size=size, bold=bold, charset=GB2312_CHARSET)


def _write_sheet(
    sheet: Any,
    result: Ledger,
    headers: list[str],
    rows: list[list[Any]],
    colours: list[LightColour] | None,
    widths: dict[int, int],
) -> None:
    # Deferred: loads openpyxl.styles and 2 more only when this runs
    from openpyxl.styles import Alignment, Border, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    last = get_column_letter(len(headers))
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    _as_text(sheet["A1"], result.title)
    sheet["A1"].font = _font("title", 16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet.row_dimensions[1].height = 30
    _as_text(sheet["A2"], result.subtitle)
    sheet["A2"].font = _font("body", 11)
    sheet.merge_cells(f"A2:{last}2")
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=3, column=column)
        _as_text(cell, header)
        cell.font = _font("header", 10, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = border
    fitted = fitted_widths(headers, rows, widths)
    for column, width in fitted.items():
        sheet.column_dimensions[get_column_letter(column + 1)].width = width
    centred = centred_columns(headers, rows)
    sheet.row_dimensions[3].height = 15 * max(_lines(h, fitted[i]) for i, h in enumerate(headers))
    for index, row in enumerate(rows):
        number = index + 4
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            _as_text(cell, value)
            cell.font = _font("body", 10)
            cell.alignment = Alignment(
                wrap_text=True, vertical="top", horizontal="center" if column - 1 in centred else "left"
            )
            cell.border = border
        if colours:
            sheet.cell(row=number, column=result.light_column + 1).fill = PatternFill(
                "solid", fgColor=LIGHT_FILLS[colours[index]]
            )
        sheet.row_dimensions[number].height = min(409, 4 + 13 * max(_lines(v, fitted[i]) for i, v in enumerate(row)))
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{last}{max(sheet.max_row, 3)}"
    sheet.print_title_rows = "3:3"
    wide = sum(fitted.values())
    sheet.page_setup.orientation = "landscape" if wide > 100 else "portrait"  # the scores sheet is narrow
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3 if wide > 180 else sheet.PAPERSIZE_A4
    # One A3 width holds about A3_COLUMNS width units at the 10 pt the cells are set in; a
    # wider ledger fitted to one page printed at 4.9 pt (D13), so it prints as many pages
    # wide as keep the type at 8 pt or more, the 序号 and 任务名称 columns repeated on each.
    pages = max(1, math.ceil(wide / A3_COLUMNS)) if wide > 180 else 1
    sheet.page_setup.fitToWidth = pages
    sheet.page_setup.fitToHeight = 0
    if pages > 1 and "任务名称" in headers:
        sheet.print_title_cols = f"A:{get_column_letter(headers.index('任务名称') + 1)}"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


A3_COLUMNS = 200  # width units of an A3 landscape page at 80 % of 10 pt: the smallest type allowed


def write_xlsx(path: Path, result: Ledger, per_area: bool) -> None:
    # Deferred: loads openpyxl only when this runs
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    area_column = result.headers.index("领域")
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(result.rows):
        groups.setdefault(row[area_column] if per_area else "台账", []).append(index)
    if not groups:
        groups["台账"] = []
    taken: set[str] = set()
    for name, indexes in groups.items():
        sheet = book.create_sheet(_sheet_title(name, taken))
        # An area's sheet is titled with the area: printed, the pages say which area they are.
        titled = replace(result, title=f"{result.title}（{clean(name)}）") if per_area else result
        _write_sheet(
            sheet,
            titled,
            result.headers,
            [result.rows[i] for i in indexes],
            [result.colours[i] for i in indexes],
            result.widths,
        )
    if result.scores is not None:
        headers, rows = result.scores
        sheet = book.create_sheet(_sheet_title("考核得分", taken))
        scores = Ledger(result.title.replace("台账", "考核得分"), result.office, result.as_of, headers, rows, [], 0)
        _write_sheet(sheet, scores, headers, rows, None, {1: 30})

    buffer = io.BytesIO()
    book.save(buffer)
    write_output(path, buffer.getvalue())
