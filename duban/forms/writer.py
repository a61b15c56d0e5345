"""`duban forms`: one .xlsx per unit for a reporting period, as an office sends it out.

The sheet 报送表 holds a title with the unit and the deadline, the date the unit reports on,
one row per task (its target, this period's milestone, the unit's own last report) with light
yellow input cells (percent, value where the task has a numeric target, status from a
drop-down, progress, problems, next steps), and the office's instructions in Chinese. Only
the input cells are unlocked; percent and date have data validation. A hidden sheet holds the
signed block (signing.py). It prints on A4 landscape, fitted to the page's width, with the
header row on every page."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from duban import vocabulary
from duban.errors import DubanError
from duban.forms import signing
from duban.forms.contents import UnitForm, chinese_date, period_words
from duban.forms.layout import (
    BLOCK_SHEET,
    COLUMNS,
    DATE_LABEL,
    FIXED,
    FORMAT,
    SHEET,
    STATUS_CHOICES,
    cell_text,
    date_window,
    short_digest,
)
from duban.i18n import _
from duban.store.files import replace_file
from duban.store.repository import Repository
from duban.text.textwidth import cell_width

INPUT_FILL = "FFF2CC"
NO_INPUT_FILL = "E7E6E6"
HEADER_ROW = 4
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class Written:
    unit: str
    path: Path
    rows: int


def file_name(unit: str) -> str:
    return _UNSAFE_NAME.sub("_", unit).strip(" .") + ".xlsx"


def title_of(form: UnitForm) -> str:
    # Deferred: loads duban.supervise.export.naming (13 duban modules in all) only when this runs
    from duban.supervise.export.naming import subject_of

    return f"{subject_of(form.plan)}推进情况报送表"


def instructions(form: UnitForm) -> str:
    reporting = form.plan.reporting
    to = (reporting.to if reporting and reporting.to else "") or "督查部门"
    lines = ["填表说明："]
    if reporting and reporting.text:
        lines.append(reporting.text.strip())
    lines += [
        "一、请只在浅黄色单元格内填写。其他单元格已锁定，请勿修改，不要增删行列或改动隐藏的工作表；可以调整列宽和行高。",
        "二、“完成进度”填0—100之间的数字，写50或50%均可；有数值目标的任务另在“完成值”栏填写实际完成数，单位与数值目标相同。",
        "三、“状态”从下拉列表中选择（"
        + "、".join(vocabulary.chinese("status", s) for s in STATUS_CHOICES)
        + "），不选则按完成进度确定。",
        "四、牵头单位报送任务的整体进展；配合单位只报送本单位承担部分的进展。",
        "五、本期没有新进展的任务可以不填；只填文字、不填“完成进度”的，按本单位上次报送的进度记录。",
        f"六、“{DATE_LABEL}”填本单位报送之日。请于{chinese_date(form.deadline.day)}前将本表报送{to}，"
        "保持.xlsx格式，无需另报纸质或其他格式材料。",
    ]
    return "\n".join(lines)


def _lines(text: str, width: int) -> int:
    per_line = max(width * 1.1 - 1, 1)
    return sum(max(1, math.ceil(cell_width(line) / per_line)) for line in (text or " ").split("\n"))


def _text(cell: Any, value: str) -> None:
    cell.value = value
    cell.data_type = "s"  # never a formula, whatever the text starts with


def build(form: UnitForm, base: str, written: dt.date, key: bytes) -> bytes:
    """The form's workbook, as bytes."""
    # Deferred: loads openpyxl only when this runs
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import to_excel
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    last = get_column_letter(len(COLUMNS))
    letter = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name="宋体", size=10)
    unlocked = Protection(locked=False)
    yellow = PatternFill("solid", fgColor=INPUT_FILL)
    fixed_texts: list[str] = []

    def fixed(cell: Any, value: str) -> None:
        _text(cell, value)
        if cell_text(value):
            fixed_texts.append(cell_text(value))

    title = title_of(form)
    fixed(sheet["A1"], title)
    sheet["A1"].font = Font(name="方正小标宋简体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet.row_dimensions[1].height = 30
    subtitle = (
        f"填报单位：{form.unit}　　报送期：{period_words(form.deadline)}　　报送截止：{chinese_date(form.deadline.day)}"
    )
    fixed(sheet["A2"], subtitle)
    sheet["A2"].font = Font(name="黑体", size=12)
    sheet["A2"].alignment = Alignment(horizontal="left", vertical="center")
    sheet.merge_cells(f"A2:{last}2")
    sheet.row_dimensions[2].height = 22
    fixed(sheet["A3"], DATE_LABEL)
    sheet["A3"].font = Font(name="黑体", size=10)
    sheet["A3"].alignment = Alignment(horizontal="center", vertical="center")
    date_cell = sheet["B3"]
    sheet.merge_cells("B3:C3")
    date_cell.protection = unlocked
    date_cell.fill = yellow
    date_cell.number_format = DATE_FORMAT
    date_cell.font = body
    date_cell.alignment = Alignment(horizontal="left", vertical="center")
    for cell in (sheet["A3"], sheet["B3"], sheet["C3"]):
        cell.border = border
    fixed(sheet["D3"], f"（填本单位报送之日，如{chinese_date(form.deadline.day)}；填表说明见表末）")
    sheet["D3"].font = Font(name="宋体", size=9, color="595959")
    sheet["D3"].alignment = Alignment(vertical="center")
    sheet.merge_cells(f"D3:{last}3")
    sheet.row_dimensions[3].height = 20

    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index)
        fixed(cell, column.header)
        cell.font = Font(name="黑体", size=10, bold=True)
        cell.fill = PatternFill("solid", fgColor="FFD966" if column.input else "D9D9D9")
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = border
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[HEADER_ROW].height = 30

    block: list[list[str]] = [
        ["format", FORMAT],
        ["plan", form.plan.id],
        [
            "deadline",
            form.deadline.day.isoformat(),
            form.deadline.first.isoformat(),
            form.deadline.last.isoformat(),
            form.deadline.opens.isoformat(),
        ],
        ["unit", form.unit],
        ["base", base],
        ["written", written.isoformat()],
        ["sheet", SHEET],
    ]
    task_rows: list[list[str]] = []
    first_row = HEADER_ROW + 1
    for offset, row in enumerate(form.rows):
        number = first_row + offset
        values = row.fixed
        lines = 1
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=number, column=index)
            cell.font = body
            cell.border = border
            cell.alignment = Alignment(
                wrap_text=True,
                vertical="top",
                horizontal="center" if column.key in ("id", "role", "percent", "value", "status") else "left",
            )
            if not column.input:
                _text(cell, values[column.key])
                lines = max(lines, _lines(values[column.key], column.width))
            elif column.key == "value" and not row.numeric:
                cell.fill = PatternFill("solid", fgColor=NO_INPUT_FILL)
            else:
                cell.protection = unlocked
                cell.fill = yellow
                cell.number_format = "General" if column.key in ("percent", "value") else "@"
        sheet.row_dimensions[number].height = min(409, max(30, 4 + 13 * lines))
        task_rows.append(
            [
                "task",
                row.task.id,
                row.role,
                "1" if row.numeric else "0",
                *(short_digest(cell_text(values[key])) for key in FIXED),
            ]
        )
    end = first_row + len(form.rows) - 1

    notes_row = end + 2
    text = instructions(form)
    fixed(sheet.cell(row=notes_row, column=1), text)
    sheet.merge_cells(f"A{notes_row}:{last}{notes_row}")
    sheet.cell(row=notes_row, column=1).font = Font(name="宋体", size=10)
    sheet.cell(row=notes_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    width = sum(c.width for c in COLUMNS)
    sheet.row_dimensions[notes_row].height = min(409, 6 + 14 * _lines(text, width))

    def rows_range(key: str) -> str:
        return f"{letter[key]}{first_row}:{letter[key]}{end}"

    percent = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        showInputMessage=True,
        errorTitle="完成进度",
        error="完成进度请填0—100之间的数字，如50或50%。",
        promptTitle="完成进度",
        prompt="填0—100之间的数字，50或50%均可",
    )
    percent.add(rows_range("percent"))
    status = DataValidation(
        type="list",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        formula1='"' + ",".join(vocabulary.chinese("status", s) for s in STATUS_CHOICES) + '"',
        errorTitle="状态",
        error="请从下拉列表中选择状态。",
        showInputMessage=True,
        promptTitle="状态",
        prompt="从下拉列表中选择；不选则按完成进度确定",
    )
    status.add(rows_range("status"))
    numeric_cells = [f"{letter['value']}{first_row + i}" for i, row in enumerate(form.rows) if row.numeric]
    validations = [percent, status]
    if numeric_cells:
        value = DataValidation(
            type="decimal",
            operator="between",
            formula1="-1E+15",
            formula2="1E+15",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="完成值",
            error="完成值请填数字，单位与数值目标相同。",
            showInputMessage=True,
            promptTitle="完成值",
            prompt="按“目标要求”中的数值目标填实际完成数",
        )
        for coordinate in numeric_cells:
            value.add(coordinate)
        validations.append(value)
    start, end_day = date_window(form.deadline.opens, form.deadline.day)
    date = DataValidation(
        type="date",
        operator="between",
        formula1=str(int(to_excel(start))),
        formula2=str(int(to_excel(end_day))),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=DATE_LABEL,
        error=f"请填写日期，如{chinese_date(form.deadline.day)}。",
        showInputMessage=True,
        promptTitle=DATE_LABEL,
        prompt="填本单位报送之日",
    )
    date.add("B3")
    validations.append(date)
    for validation in validations:
        sheet.add_data_validation(validation)

    sheet.freeze_panes = f"A{first_row}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widening a column or a row is the unit's to do
    sheet.protection.formatRows = False

    signed = block + [["fixed", *(short_digest(t) for t in fixed_texts)]] + task_rows
    hidden = book.create_sheet(BLOCK_SHEET)
    for number, line in enumerate([*signed, ["signature", signing.sign(signed, key)]], start=1):
        for place, word in enumerate(line, start=1):
            _text(hidden.cell(row=number, column=place), word)
    hidden.sheet_state = "hidden"
    hidden.protection.sheet = True
    book.active = 0
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.title = f"{title}（{form.unit}）"
    book.properties.creator = "duban"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def base_revision(repo: Repository) -> str:
    git = repo.git
    git.check_repository()
    head = git.head()
    if head is None:
        raise DubanError(_("the repository has no commit yet"), hint=_("commit the plan first"))
    return head


def write_forms(repo: Repository, forms: list[UnitForm], folder: Path, written: dt.date) -> list[Written]:
    """Each form as FOLDER/<unit>.xlsx; the folder is made when missing."""
    base = base_revision(repo)
    key = signing.office_key(repo, create=True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DubanError(
            _("cannot make the folder {folder}: {reason}").format(folder=folder, reason=error.strerror)
        ) from None
    done = []
    for form in forms:
        path = folder / file_name(form.unit)
        replace_file(path, build(form, base, written, key))
        done.append(Written(form.unit, path, len(form.rows)))
    return done
