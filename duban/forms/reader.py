"""Reading a returned form: the signed block, then the sheet as the unit left it.

Rows are found by their 序号 and columns by their headers, so a column widened, a row
deleted or moved, or a column put elsewhere reads the same. Every cell outside the input
area is compared with what the block says it held; an input cell is read as clerks type:
full-width digits, 50%, a percent cell Excel or WPS stored as 0.5, 1.2万, a value of 4.5% against
a target in %, dates as 2019-06-24, 2019年6月24日, ６月２４号 or 6/24, a date cell the program stored
as a date. Each problem names
its file and cell: 财政局.xlsx!G7: 完成进度 120 超出 0–100."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duban import vocabulary
from duban.dates import parse_day_in
from duban.errors import DubanError
from duban.forms import signing
from duban.forms.layout import (
    BLOCK_SHEET,
    COLUMNS,
    DATE_LABEL,
    FIXED,
    FORMAT,
    INPUTS,
    SHEET,
    cell_text,
    header_key,
    short_digest,
)
from duban.i18n import _
from duban.states import REPORTED as STATUS_CHOICES
from duban.states import Status
from duban.text.hygiene import clean
from duban.text.numbers import parse_figure, parse_percent

_HEADER_SEARCH = 40  # rows looked through for the header row


@dataclass(frozen=True)
class FormProblem:
    file: str
    cell: str | None
    message: str

    def format(self) -> str:
        return f"{self.file}!{self.cell}: {self.message}" if self.cell else f"{self.file}: {self.message}"


@dataclass
class FilledRow:
    """One task's row as the unit filled it."""

    task_id: str
    role: str
    row: int
    cells: dict[str, str]  # input key -> coordinate (G7)
    percent: float | None = None
    value: float | None = None
    value_percent: bool = False  # the value was written as a percent (4.5%)
    status: str | None = None
    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    filled: bool = False

    @property
    def note(self) -> str:
        return compose_note(self.progress, self.problems, self.next_steps)


@dataclass
class ReadForm:
    path: Path
    sha256: str
    plan_id: str | None = None
    deadline: dt.date | None = None
    period: tuple[dt.date, dt.date] | None = None
    unit: str | None = None
    base: str | None = None
    written: dt.date | None = None
    form_id: str | None = None
    tasks: dict[str, tuple[str, bool]] = field(default_factory=dict)  # id -> (role, numeric)
    date: dt.date | None = None
    date_cell: str | None = None
    rows: list[FilledRow] = field(default_factory=list)
    problems: list[FormProblem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    def problem(self, cell: str | None, message: str) -> None:
        self.problems.append(FormProblem(self.name, cell, message))

    @property
    def filled(self) -> list[FilledRow]:
        return [row for row in self.rows if row.filled]


def compose_note(progress: str, problems: str, next_steps: str) -> str:
    """The report's note as the documents split it (duban.supervise.export.note_parts):
    进展。存在问题：…；下步计划：…"""
    parts = [progress.strip().rstrip("；;")]
    tail = []
    if problems.strip():
        tail.append("存在问题：" + problems.strip().rstrip("。；;"))
    if next_steps.strip():
        tail.append("下步计划：" + next_steps.strip().rstrip("。；;"))
    if tail and parts[0] and not parts[0].endswith(("。", ".", "！", "!")):
        parts[0] += "。"
    return (parts[0] + "；".join(tail)).strip()


def file_hash(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _is_percent_format(number_format: str | None) -> bool:
    return bool(number_format) and "%" in str(number_format).replace('"%"', "").replace("\\%", "")


def read_percent(cell: Any) -> float:
    """ValueError when the cell holds no percent."""
    value = cell.value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        # 50% typed into Excel, WPS or LibreOffice is stored as 0.5 in a percent format
        return round(float(value) * 100, 9) if _is_percent_format(cell.number_format) else float(value)
    return parse_percent(cell_text(value))


def read_figure(cell: Any) -> tuple[float, bool]:
    """The figure a value cell shows, and whether it was written as a percent: 4.5% typed
    into a spreadsheet is stored as 0.045 in a percent format, and is 4.5 to the clerk who
    typed it against a target of 4 %. ValueError when the cell holds no figure."""
    value = cell.value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        if _is_percent_format(cell.number_format):
            return round(float(value) * 100, 9), True
        return float(value), False
    text = unicodedata.normalize("NFKC", cell_text(value)).strip()
    if text.endswith("%"):
        return parse_figure(text[:-1].strip()), True
    return parse_figure(text), False


def read_day(cell: Any, deadline: dt.date) -> dt.date:
    """A report date; a day written without its year is in the deadline's year, or the year
    before where that puts it more than two months after the deadline (a December report
    written 12月28日 and collected in January)."""
    value = cell.value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        # Deferred: loads openpyxl.utils.datetime only when this runs
        from openpyxl.utils.datetime import from_excel

        day: dt.date = from_excel(value).date()  # a date cell whose format was lost
        return day
    text = cell_text(value)
    day = parse_day_in(text, deadline.year, DATE_LABEL)
    if day > deadline + dt.timedelta(days=62) and not _has_year(text):
        day = parse_day_in(text, deadline.year - 1, DATE_LABEL)
    return day


def _has_year(text: str) -> bool:
    return re.match(r"\d{4}", unicodedata.normalize("NFKC", text).strip()) is not None


def _block(book: Any, form: ReadForm, key: bytes | None) -> list[list[str]] | None:
    sheet = next((s for s in book.worksheets if s.title == BLOCK_SHEET), None)
    if sheet is None:
        form.problem(None, _("not a report form written by duban forms (its hidden block is missing)"))
        return None
    rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    rows = [row[: max((i + 1 for i, v in enumerate(row) if v), default=0)] for row in rows]
    rows = [row for row in rows if row]
    if not rows or rows[0] != ["format", FORMAT] or rows[-1][0] != "signature" or len(rows[-1]) < 2:
        form.problem(None, _("the form's hidden block was changed or is of another version"))
        return None
    signed, signature = rows[:-1], rows[-1][1]
    if key is not None and not signing.verify(signed, signature, key):
        form.problem(
            None,
            _(
                "the form's hidden block does not match its signature: it was changed, or the form "
                "was written by another office"
            ),
        )
        return None
    return signed


def read_form(path: Path, key: bytes | None, data: bytes | None = None) -> ReadForm:
    """The form at `path` as the unit returned it, with every problem found in it alone (the
    checks against the repository are collect.py's). `key` None skips the signature check."""
    # Deferred: loads zipfile only when this runs
    import zipfile

    if data is None:
        data = path.read_bytes()
    form = ReadForm(path, file_hash(data))
    # Deferred: loads openpyxl only when this runs
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as error:
        form.problem(None, _("cannot be read as an .xlsx workbook ({reason})").format(reason=type(error).__name__))
        return form
    signed = _block(book, form, key)
    if signed is None:
        return form
    fields = {row[0]: row[1:] for row in signed if row[0] not in ("task", "fixed")}
    try:
        form.plan_id = fields["plan"][0]
        day, first, last, _opens = fields["deadline"][:4]
        form.deadline = dt.date.fromisoformat(day)
        form.period = (dt.date.fromisoformat(first), dt.date.fromisoformat(last))
        form.unit = fields["unit"][0]
        form.base = fields["base"][0]
        form.written = dt.date.fromisoformat(fields["written"][0])
        sheet_name = fields["sheet"][0]
    except (KeyError, IndexError, ValueError):
        form.problem(None, _("the form's hidden block was changed or is of another version"))
        return form
    form.form_id = signing.form_id(signed)
    expected_fixed = next((row[1:] for row in signed if row[0] == "fixed"), [])
    digests: dict[str, dict[str, str]] = {}
    for row in signed:
        if row[0] == "task" and len(row) >= 4 + len(FIXED):
            form.tasks[row[1]] = (row[2], row[3] == "1")
            digests[row[1]] = dict(zip(FIXED, row[4 : 4 + len(FIXED)]))
    sheet = next((s for s in book.worksheets if s.title == sheet_name), None)
    if sheet is None:
        form.problem(None, _("the sheet {sheet} is missing").format(sheet=sheet_name or SHEET))
        return form
    _read_sheet(sheet, form, expected_fixed, digests)
    return form


def _read_sheet(sheet: Any, form: ReadForm, expected_fixed: list[str], digests: dict[str, dict[str, str]]) -> None:
    assert form.deadline is not None
    grid = {
        (cell.row, cell.column): cell
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None and cell_text(cell.value) != ""
    }
    header_row, columns = _header_row(grid, sheet.max_row)
    if header_row is None:
        form.problem(None, _("the header row (序号, 任务名称, …) is missing"))
        return
    for column in COLUMNS:
        if column.key not in columns:
            form.problem(f"{_letter(1)}{header_row}", _("the column {header} is missing").format(header=column.header))
    if form.problems:
        return
    date_cell = _date_cell(sheet, grid, header_row)
    data_rows = _task_rows(grid, form, header_row, columns["id"])
    _check_outside_inputs(grid, form, expected_fixed, header_row, data_rows, date_cell)
    if date_cell is not None:
        _read_date_cell(date_cell, form)
    for row, task_id in sorted(data_rows.items()):
        role, numeric = form.tasks[task_id]
        for key in FIXED:
            cell = sheet.cell(row=row, column=columns[key])
            if short_digest(cell_text(cell.value)) != digests[task_id][key]:
                form.problem(
                    cell.coordinate,
                    _("task {id}: the cell {header} was changed; only the yellow cells are filled in").format(
                        id=task_id, header=_header(key)
                    ),
                )
        cells = {key: sheet.cell(row=row, column=columns[key]).coordinate for key in INPUTS}
        filled = FilledRow(task_id, role, row, cells)
        _read_inputs(sheet, columns, row, filled, numeric, form)
        form.rows.append(filled)
    for (row, column), cell in grid.items():
        if row in data_rows and column not in columns.values():
            form.problem(
                cell.coordinate,
                _("{text!r} is outside the input area; only the yellow cells are filled in").format(
                    text=_short(cell_text(cell.value))
                ),
            )


def _header_row(grid: dict[tuple[int, int], Any], max_row: int) -> tuple[int | None, dict[str, int]]:
    """The header row (the one among the first rows with 序号 and the most known headers) and
    each header's column; None where no row has 序号."""
    header_row: int | None = None
    columns: dict[str, int] = {}
    for number in range(1, min(max_row, _HEADER_SEARCH) + 1):
        found = {}
        for (row, column), cell in grid.items():
            key = header_key(cell.value) if row == number else None
            if key is not None:
                found[key] = column
        if "id" in found and len(found) > len(columns):
            header_row, columns = number, found
    return header_row, columns


def _date_cell(sheet: Any, grid: dict[tuple[int, int], Any], header_row: int) -> Any:
    """The cell right of the date label above the header row, where the unit writes its date; None without the label."""
    for (row, column), cell in sorted(grid.items()):
        if row < header_row and cell_text(cell.value) == DATE_LABEL:
            return sheet.cell(row=row, column=column + 1)
    return None


def _task_rows(grid: dict[tuple[int, int], Any], form: ReadForm, header_row: int, id_column: int) -> dict[int, str]:
    """row -> task id of each row below the header whose 序号 is a task of the form (the first of
    two rows with one task; the second is a problem)."""
    data_rows: dict[int, str] = {}
    seen: dict[str, int] = {}
    for (row, column), cell in sorted(grid.items()):
        if row > header_row and column == id_column:
            task_id = cell_text(cell.value)
            if task_id in form.tasks:
                if task_id in seen:
                    form.problem(
                        cell.coordinate,
                        _("task {id} is on the form twice (rows {first} and {second})").format(
                            id=task_id, first=seen[task_id], second=row
                        ),
                    )
                    continue
                seen[task_id] = row
                data_rows[row] = task_id
    return data_rows


def _check_outside_inputs(
    grid: dict[tuple[int, int], Any],
    form: ReadForm,
    expected_fixed: list[str],
    header_row: int,
    data_rows: dict[int, str],
    date_cell: Any,
) -> None:
    """Everything outside the task rows and the date cell is the office's: as written, in order;
    the first cell that differs is named."""
    outside = [
        (cell.coordinate, cell_text(cell.value))
        for (row, column), cell in sorted(grid.items())
        if row not in data_rows and (date_cell is None or cell.coordinate != date_cell.coordinate)
    ]
    for index, (coordinate, text) in enumerate(outside):
        if index >= len(expected_fixed) or short_digest(text) != expected_fixed[index]:
            row = int("".join(ch for ch in coordinate if ch.isdigit()))
            known = _("a row or cell not on the form as written") if row > header_row else _("the form's heading")
            form.problem(
                coordinate,
                _("{text!r} is outside the input area ({where}); only the yellow cells are filled in").format(
                    text=_short(text), where=known
                ),
            )
            return
    if len(outside) < len(expected_fixed):
        form.problem(None, _("the form's heading or instructions were deleted"))


def _read_date_cell(date_cell: Any, form: ReadForm) -> None:
    """The date the unit wrote on the form, where it wrote one."""
    assert form.deadline is not None
    form.date_cell = date_cell.coordinate
    if date_cell.value is not None and cell_text(date_cell.value):
        try:
            form.date = read_day(date_cell, form.deadline)
        except DubanError:
            form.problem(
                date_cell.coordinate,
                _("{label} {text!r} is not a date").format(label=DATE_LABEL, text=cell_text(date_cell.value)),
            )


def _read_inputs(
    sheet: Any, columns: dict[str, int], row: int, filled: FilledRow, numeric: bool, form: ReadForm
) -> None:
    def cell(key: str) -> Any:
        return sheet.cell(row=row, column=columns[key])

    texts = {key: cell_text(cell(key).value) for key in INPUTS}
    filled.filled = any(texts.values())
    if texts["percent"]:
        try:
            filled.percent = read_percent(cell("percent"))
        except ValueError:
            form.problem(
                filled.cells["percent"],
                _("{header} {text!r} is not a number; write a number from 0 to 100, such as 50 or 50%").format(
                    header="完成进度", text=texts["percent"]
                ),
            )
        else:
            if not 0 <= filled.percent <= 100:
                form.problem(
                    filled.cells["percent"],
                    _("{header} {value} is outside 0–100; write a number from 0 to 100, such as 50 or 50%").format(
                        header="完成进度", value=f"{filled.percent:g}"
                    ),
                )
    if texts["value"]:
        if not numeric:
            form.problem(
                filled.cells["value"],
                _("task {id} has no numeric target: its {header} cell is outside the input area").format(
                    id=filled.task_id, header="完成值"
                ),
            )
        else:
            try:
                filled.value, filled.value_percent = read_figure(cell("value"))
            except ValueError:
                form.problem(
                    filled.cells["value"],
                    _(
                        "{header} {text!r} is not a number; write the figure alone, "
                        "in the target's unit, such as 1200 or 1.2万"
                    ).format(header="完成值", text=texts["value"]),
                )
    if texts["status"]:
        status = vocabulary.resolve("status", texts["status"])
        if status is None or status in (Status.NOT_STARTED, Status.CANCELLED):
            form.problem(
                filled.cells["status"],
                _(
                    "{header} {text!r} is not one of {choices}; pick one from the "
                    "cell's drop-down list, or leave it empty"
                ).format(
                    header="状态",
                    text=texts["status"],
                    choices="、".join(vocabulary.chinese("status", s) for s in STATUS_CHOICES),
                ),
            )
        else:
            filled.status = status
    for key, attribute, header in (
        ("progress", "progress", "工作进展"),
        ("problems", "problems", "存在问题"),
        ("next", "next_steps", "下步计划"),
    ):
        text = cell(key).value
        if text is None:
            continue
        try:
            typed = text if isinstance(text, str) else cell_text(text)  # 100 typed into a text column
            setattr(filled, attribute, clean(typed, header, multiline=True).strip())
        except DubanError as problem:
            form.problem(filled.cells[key], problem.message)


def _header(key: str) -> str:
    return next(c.header for c in COLUMNS if c.key == key)


def _letter(column: int) -> str:
    # Deferred: loads openpyxl.utils only when this runs
    from openpyxl.utils import get_column_letter

    letter: str = get_column_letter(column)
    return letter


def _short(text: str, width: int = 24) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
