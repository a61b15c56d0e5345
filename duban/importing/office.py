"""Plans that travel as Word or Excel files: their paragraphs and table rows as Document lines.

A table row becomes a line that keeps its cells (so a cell may hold line breaks or `|`);
the table layouts read those cells, the outline layout reads the paragraphs. Line numbers
count paragraphs and rows in order (for a workbook: rows of all sheets in order, but for a
sheet of scores or a ranking).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from duban.errors import DubanError
from duban.i18n import _
from duban.importing.source import Document, Line


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def _row_line(number: int, cells: list[str]) -> Line:
    while cells and cells[-1] == "":
        cells.pop()
    filled = [c for c in cells if c]
    if len(filled) <= 1:  # a title or note row spanning the table
        text = filled[0] if filled else ""
        return Line(number, text, text)
    return Line(number, " | ".join(cells), " | ".join(cells), cells=tuple(cells))


def _document(path: Path, rows: Iterable[list[str] | str], kind: str) -> Document:
    lines: list[Line] = []
    for row in rows:
        if isinstance(row, str):
            for part in row.split("\n"):
                lines.append(Line(len(lines) + 1, part.strip(), part))
        else:
            lines.append(_row_line(len(lines) + 1, row))
    return Document(name=path.name, lines=tuple(lines), encoding=kind, raw=path.read_bytes())


# A sheet named for scores or a ranking (the 考核得分 sheet of duban's own ledger, an office's
# 评分表 or 排名) ranks units: it holds no tasks, and its rows must not become tasks.
_SCORE_SHEET = re.compile(r"得分|评分|打分|排名|排行")


# What the libraries raise for a file that is not the zip package a .docx or .xlsx is (a .doc
# renamed, a download cut short, a page of HTML saved as .xlsx), said in the user's words.
_NOT_A_PACKAGE = ("PackageNotFoundError", "BadZipFile", "InvalidFileException")


def _why(error: Exception) -> str:
    """Why python-docx or openpyxl could not open a file, in the interface's language where
    duban knows the reason; the exception's type otherwise (for a bug report)."""
    if type(error).__name__ in _NOT_A_PACKAGE:
        return _("it is not a .docx or .xlsx package, perhaps another format renamed")
    return type(error).__name__


def read_xlsx(path: Path) -> Document:
    try:
        # Deferred: loads openpyxl only when this runs
        import openpyxl

        # Not read-only: only a full worksheet knows its merged cells.
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError and its own errors
        raise DubanError(
            _("{path}: cannot read the workbook ({kind})").format(path=path, kind=_why(error)),
            hint=_("save it from Excel or WPS as .xlsx"),
        ) from None

    tables = [sheet for sheet in workbook.worksheets if not _SCORE_SHEET.search(sheet.title)] or workbook.worksheets

    def rows() -> Iterable[list[str]]:
        for sheet in tables:
            below = _merged_below(sheet)
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_text(v) for v in values]
                for column, text in below.get(number, {}).items():
                    if column < len(cells):
                        cells[column] = text
                yield cells

    try:
        return _document(path, rows(), "xlsx")
    finally:
        workbook.close()


def _merged_below(sheet: Any) -> dict[int, dict[int, str]]:
    """Row number -> {column index: text} for the cells a vertical merge covers below its
    first row. Excel keeps a merged cell's value in its top-left cell only; Word (and
    python-docx) shows it in every row, so a 牵头单位 merged over three tasks is read as the
    lead of all three in both."""
    below: dict[int, dict[int, str]] = {}
    for merged in sheet.merged_cells.ranges:
        if merged.max_row == merged.min_row:
            continue
        text = _text(sheet.cell(merged.min_row, merged.min_col).value)
        for row in range(merged.min_row + 1, merged.max_row + 1):
            below.setdefault(row, {})[merged.min_col - 1] = text
    return below


def read_docx(path: Path) -> Document:
    try:
        # Deferred: loads docx only when this runs
        import docx

        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises zipfile, KeyError and its own errors
        raise DubanError(
            _("{path}: cannot read the Word file ({kind})").format(path=path, kind=_why(error)),
            hint=_("save it from Word or WPS as .docx"),
        ) from None

    # Deferred: loads duban.importing.word_numbering only when this runs
    from duban.importing.word_numbering import Numbering

    try:
        numbering: Numbering | None = Numbering(document)
    except (ValueError, TypeError):  # a damaged numbering.xml: read the text as it stands
        numbering = None
    return _document(path, _WordBody(document, numbering).blocks(), "docx")


def _children(element: Any) -> Iterable[Any]:
    """The element's children, a content control's (sdt) content in its place: it is the document's."""
    for child in element.iterchildren():
        if child.tag.rsplit("}", 1)[-1] == "sdt":
            for content in child.iterchildren():
                if content.tag.rsplit("}", 1)[-1] == "sdtContent":
                    yield from _children(content)
        else:
            yield child


class _WordBody:
    """A Word document's body in order: each paragraph's text with the label Word numbers it
    with, each table row's cells."""

    def __init__(self, document: Any, numbering: Any) -> None:
        self.document = document
        self.numbering = numbering
        self.texts: dict[Any, str] = {}  # a cell merged down is one cell: numbered once, read in every row

    def label_of(self, paragraph: Any) -> str:
        try:
            return self.numbering.label(paragraph) if self.numbering else ""
        except (ValueError, TypeError):
            return ""

    def numbered(self, element: Any, alone: bool = False) -> str:
        # Deferred: loads docx.text.paragraph only when this runs
        from docx.text.paragraph import Paragraph

        text = Paragraph(element, self.document).text
        label = self.label_of(element)
        if label and (text.strip() or alone):
            # Word draws the label (一、 1. ①) from numbering.xml: the text lacks it; in an
            # auto-numbered 序号 cell the label is all there is
            text = (
                label.rstrip(".、．")
                if not text.strip()
                else label + ("" if label[-1] in "、)）】〕" else " ") + text.lstrip()
            )
        return text

    def cell_text(self, cell: Any) -> str:
        key = cell._tc
        if key not in self.texts:
            paragraphs = [p for p in cell._tc.iterchildren() if p.tag.rsplit("}", 1)[-1] == "p"]
            self.texts[key] = "\n".join(self.numbered(p, alone=len(paragraphs) == 1) for p in paragraphs).strip()
        return self.texts[key]

    def row_cells(self, row: Any) -> list[str]:
        seen: list[Any] = []
        cells: list[str] = []
        for cell in row.cells:
            if seen and cell._tc is seen[-1]:  # a horizontally merged cell repeats
                continue
            seen.append(cell._tc)
            cells.append(self.cell_text(cell))
        return cells

    def blocks(self) -> Iterable[list[str] | str]:
        # Deferred: loads docx.table only when this runs
        from docx.table import Table

        for child in _children(self.document.element.body):
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                yield self.numbered(child)
            elif tag == "tbl":
                for row in Table(child, self.document).rows:
                    yield self.row_cells(row)
