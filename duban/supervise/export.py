"""The ledger (台账) as an office prints it: a title row, 截至 date and 编制单位, then the plan's
tasks in the source table's layout with 完成进度, the light, the status in Chinese, one column
per reporting month with that month's report, and 存在问题/下步计划 where reports carry them.

xlsx: landscape A4 or A3 (the scores sheet portrait), fit to width, header row repeated on every page, row heights fitted
to the wrapped text, every text cell stored as text (never a formula), plus a sheet of the
units' scores. CSV (safe from formula injection), Markdown and HTML (escaped) carry the same
columns. Text from outside (titles, notes, names) is cleaned of control characters here.
"""
from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from collections.abc import Callable, Sequence

from duban import vocabulary
from duban.model import Plan, Report, Task
from duban.reading import figure_against, in_period
from duban.supervise.deadlines import Deadline
from duban.supervise.rows import csv_cell, plain_cell, task_row
from duban.supervise.selection import Selection
from duban.text.textwidth import cell_width

LIGHT_FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE", "grey": "D9D9D9"}
LIGHT_WORDS = {key: vocabulary.chinese("light", key) for key in vocabulary.keys("light")}
QUARTERS = tuple((key, vocabulary.chinese("quarter", key)) for key in vocabulary.keys("quarter"))
# Control characters (Word's Shift+Enter is \x0b) and bidi overrides: a line break or nothing.
_BREAKS = re.compile(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
_JUSTIFICATION = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")
_NOTE_PARTS = re.compile(r"(存在(?:的)?问题|困难和问题|下一?步(?:工作)?(?:计划|打算|安排))\s*[:：]")
# What Markdown would read as markup: emphasis, code, links and images (their brackets), HTML,
# tables, strike-through. A parenthesis means something only right after a link's bracket
# (](…)), so it is escaped only there; elsewhere it stays as written (各街(镇), not 各街\(镇\),
# when the file is read as text), as do braces.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&]|(?<=\])\()")


def clean(text: Any) -> str:
    """Outside text made safe for every format: control characters become a line break
    (\\x0b, \\x0c) or are dropped, bidi overrides are dropped; CR LF becomes LF."""
    value = plain_cell(text).replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", _BREAKS.sub("\n", value))


def status_word(status: str) -> str:
    # The documents are Chinese whatever the interface's language.
    return vocabulary.chinese("status", status)


def without_justification(text: str) -> str:
    """科  委 -> 科委, 社会 保障 -> 社会保障: spaces a document put between Chinese characters."""
    return _JUSTIFICATION.sub("", text)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def note_parts(note: str | None) -> dict[str, str]:
    """A report's note split into 进展, 存在问题 and 下步计划 where it words them so."""
    parts = {"进展": "", "存在问题": "", "下步计划": ""}
    if not note:
        return parts
    pieces = _NOTE_PARTS.split(note)
    parts["进展"] = pieces[0].strip(" ；;。\n")
    for marker, text in zip(pieces[1::2], pieces[2::2]):
        key = "下步计划" if marker.startswith("下") else "存在问题"
        parts[key] = (parts[key] + " " + text.strip(" ；;\n")).strip()
    return parts


def progress_words(note: str | None) -> str:
    """What a report says was done, for a 本月进展 cell: the note's 进展 part, or, for a note
    that words only its 存在问题 and 下步计划, the note as written (not an empty cell that
    reads as if nothing was reported)."""
    said = note_parts(note)["进展"]
    return said or (note or "").strip()


def md_escape(text: Any, cell: bool = False) -> str:
    """Markdown that shows the text as written: no HTML, links, images or emphasis. A line
    break is Markdown's own (two spaces, a newline), or in a table's `cell`, which holds one
    line, a space: never <br>, which reads as markup in the file."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", clean(text))
    return re.sub(r"\s*\n\s*", " ", escaped).strip() if cell else escaped.replace("\n", "  \n")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(md_escape(h, cell=True) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md_escape(c, cell=True) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


_DOCUMENT_NUMBER = re.compile(r"[〔\[(（]\d{4}[〕\])）]\d+号$")
_SUPERVISOR = re.compile(r"督查(?:局|室|科|处|办公室|办)$")
_ADDRESSEES = re.compile(r"^[^。:：]{2,80}[:：]$")


def titled_by_number(plan: Plan) -> bool:
    """Whether the plan's title is only its document number (平政办〔2013〕11号): no name to
    call the plan by."""
    title = plan.title.strip()
    return title == (plan.document_number or "").strip() or bool(_DOCUMENT_NUMBER.search(title))


def subject_of(plan: Plan) -> str:
    """What the plan is called in titles (关于…推进情况的通报, …推进情况台账): plan.yaml's
    circular.subject; else the words of its title between 印发 and 的通知 (区政府2019年重点工作
    目标); else its title without 分解/分解表 (2008年政府工作目标任务), a report's title as the
    report's tasks, with the plan's year (2013年《政府工作报告》目标任务).
    A title that is only a document number names nothing: then "{year}年重点工作任务"."""
    if plan.circular.get("subject"):
        return clean(plan.circular["subject"])
    title = clean(plan.title).strip()
    found = re.search(r"印发(.+?)的(?:通知|意见|函)$", title)
    if found:
        return found.group(1)
    if titled_by_number(plan):
        return f"{plan.year}年重点工作任务"
    subject = re.sub(r"(?:的)?分解(?:表|方案)?$", "", title) or title
    if subject.endswith("报告") and "《" not in subject:  # 政府工作报告: the report's tasks, of its year
        subject = f"《{subject}》目标任务"
        return subject if re.search(r"\d{4}年", subject) else f"{plan.year}年{subject}"
    return subject


def office_of(plan: Plan) -> str:
    """The office that issues the circular and keeps the ledger: plan.yaml's circular.office,
    else the default_office."""
    return clean(plan.circular["office"]) if plan.circular.get("office") else default_office(plan)


def default_office(plan: Plan) -> str:
    """The issuing office where plan.yaml names none: the supervision office among the units
    the plan's units report to (市督查局 in "市政府办公室各对口科室和市督查局": not the whole
    list, which names receivers); else the issuer's 督查室 (上海市长宁区政府办公室: 上海市长宁区
    政府督查室); else 督查室."""
    to = plan.reporting.to if plan.reporting and plan.reporting.to else ""
    for part in re.split(r"[,，、;；和及与]", clean(to)):
        if _SUPERVISOR.search(part.strip()):
            return part.strip()
    if plan.issuer:
        return re.sub(r"(?:办公室|办公厅)$", "", clean(plan.issuer).strip()) + "督查室"
    return "督查室"


def addressees_of(plan: Plan) -> str | None:
    """主送: plan.yaml's circular.to, else the addressees of the plan's own source document
    (its first line that is only names and a colon: 各县(市、区)人民政府,市人民政府各部门:),
    else None."""
    if plan.circular.get("to"):
        return clean(plan.circular["to"])
    name = str(plan.source.get("document") or "")
    path = plan.folder / "source" / name
    if not name or Path(name).name != name or not path.is_file():
        return None
    try:
        with path.open(encoding="utf-8", errors="replace") as stream:
            head = [stream.readline() for _line in range(12)]
    except OSError:
        return None
    for line in (clean(text).strip() for text in head):
        if _ADDRESSEES.match(line) and re.search(r"各|政府|部门|单位|办事处", line):
            return line[:-1].replace(",", "，").replace(";", "；")
    return None


def reporting_periods(plan: Plan, as_of: dt.date) -> list[Deadline]:
    """The periods of the plan's reporting calendar (its months where it has no reporting
    rule) that have begun by `as_of`: one ledger column each, 5月进展 holding the reports the
    calendar files under May (reports due 5 June are May's)."""
    from duban.supervise.deadlines import periods

    return [period for period in periods(plan) if period.first <= as_of]


@dataclass
class Ledger:
    title: str
    office: str
    as_of: dt.date
    headers: list[str]
    rows: list[list[Any]]
    colours: list[str]
    light_column: int
    widths: dict[int, int] = field(default_factory=dict)   # column -> maximum width
    scores: tuple[list[str], list[list[Any]]] | None = None
    unread: int = 0  # task files that could not be read: said on the ledger itself, not only on stderr

    @property
    def subtitle(self) -> str:
        missing = f"　　另有{self.unread}个任务文件无法读取，未列入本台账" if self.unread else ""
        # The office compiles its own ledger: 编制单位 (a unit's own form says 填报单位).
        return f"编制单位：{self.office}　　截至{chinese_date(self.as_of)}{missing}"


def ledger(selection: Selection, tasks: list[Task]) -> Ledger:
    """The ledger's rows. Header words are the ones `duban import` reads back, with the plan's
    own role words; the month columns hold the last report dated in each month."""
    plan = selection.plan(tasks[0]) if tasks else None
    roles = plan.roles if plan else {}
    as_of = selection.as_of
    has = {"category": any(t.category for t in tasks), "quarters": any(t.milestones for t in tasks),
           "type": any(t.type for t in tasks), "due": any(t.due for t in tasks)}
    months = reporting_periods(plan, as_of) if plan else []
    latest_parts = {t.ref: note_parts(t.latest.note if t.latest else None) for t in tasks}
    has["problems"] = any(p["存在问题"] for p in latest_parts.values())
    has["next"] = any(p["下步计划"] for p in latest_parts.values())
    headers = ["序号", "领域"] + (["重要项目"] if has["category"] else []) + ["任务名称", "指标要求"]
    headers += [word for _key, word in QUARTERS] if has["quarters"] else []
    headers += [roles.get("lead", "牵头单位"), roles.get("support", "配合单位")]
    headers += (["目标类型"] if has["type"] else []) + (["完成时限"] if has["due"] else [])
    headers += ["完成进度(%)", "灯", "状态"] + [f"{period.label}进展" for period in months]
    headers += (["存在问题"] if has["problems"] else []) + (["下步计划"] if has["next"] else [])
    rows, colours = [], []
    # 序号 of one type: numbers where every task's is a whole number, else all text (14a,
    # 14b among 1…59): a column of numbers and text sorts and filters in two runs.
    numbered = all(task.id.isdigit() for task in tasks)
    for task in tasks:
        shared = task_row(selection, task)
        light = shared.light
        row: list[Any] = [int(task.id) if numbered else clean(task.id), clean(task.area)]
        row += [without_justification(clean(task.category or ""))] if has["category"] else []
        row += [clean(task.title), clean(task.text)]
        if has["quarters"]:
            row += [clean(task.milestones.get(q, "——")) for q, _word in QUARTERS]
        row += ["、".join(clean(u) for u in shared.lead), "、".join(clean(u) for u in task.support)]
        row += ([task.type or ""] if has["type"] else []) + ([task.due and chinese_date(
            dt.date.fromisoformat(task.due)) or ""] if has["due"] else [])
        row += [shared.value("percent") or 0,
                LIGHT_WORDS[light.colour] + ("(迟报)" if light.late else ""), status_word(task.status)]
        for period in months:
            row.append(period_cell(task, shared.lead, period.files))
        parts = latest_parts[task.ref]
        row += ([clean(parts["存在问题"])] if has["problems"] else []) + ([clean(parts["下步计划"])]
                                                                        if has["next"] else [])
        rows.append(row)
        colours.append(light.colour)
    widths = {i: {"序号": 6, "灯": 8, "状态": 8, "完成进度(%)": 8, "目标类型": 6, "领域": 10, "重要项目": 10,
                  "任务名称": 24, "指标要求": 40, "完成时限": 10}.get(h, 16 if h.endswith("季度") or h.endswith("进展")
                                                                    else 18) for i, h in enumerate(headers)}
    title = clean(plan.circular.get("ledger_title")) if plan and plan.circular.get("ledger_title") \
        else (subject_of(plan) + "推进情况台账" if plan else "台账")
    return Ledger(title, office_of(plan) if plan else "", as_of, headers, rows, colours,
                  headers.index("灯"), widths, unread=len(selection.problems))


def period_cell(task: Task, lead: tuple[str, ...], dated_in: Callable[[str], bool]) -> str:
    """A ledger's period cell: the lead's report of the period, else who did report in it. A
    supporting unit's report is its own part, under its own name (docs/reading.md rule 1)."""
    report, supporting = in_period(task.progress, lead, dated_in, figure_against(task.indicators))
    if report is not None:
        return f"{report.percent:g}%　{clean(progress_words(report.note))}".strip()
    return supporting_words(supporting)


def supporting_words(supporting: list[Report]) -> str:
    """牵头单位未报送; each supporting unit's report of the period under its name, or ""."""
    if not supporting:
        return ""
    return "牵头单位未报送；" + "；".join(
        f"{clean(r.by or '')}（配合）{r.percent:g}%　{clean(progress_words(r.note))}".rstrip() for r in supporting)


def with_scores(result: Ledger, selection: Selection, plan_id: str, scores: Any = None) -> Ledger:
    """The units' scores and ranks as of the ledger's date, for its second table; `scores`
    where the caller has already worked them out for that day (scoring.Scores)."""
    from duban.supervise.scoring import best_first, score

    scores = scores if scores is not None else score(selection.repo, plan_id, selection.as_of, final=selection)
    headers = ["名次", "单位", "得分", "按时报送率(%)", "涉及任务"]
    # The ranked units only: a unit with nothing to be ranked by has no row (no "—" padding);
    # collectives are never scored (duban.units).
    rows = [[u.rank, clean(u.unit), u.score, u.on_time_rate if u.on_time_rate is not None else "", len(u.tasks)]
            for u in best_first(scores.units) if u.rank is not None]
    result.scores = (headers, rows)
    return result


def html_page(title: str, body: str, page: str = "A3 landscape", font: str = "10pt",
              meta: dict[str, str] | None = None, page_css: str | None = None) -> str:
    """A self-contained page; `meta` goes into <meta name=… content=…> tags (the commit a
    document was built from: in the page, not in its text); `page_css` the @page rules in
    place of `page` with 1.2 cm margins."""
    tags = "".join(f'<meta name="{html.escape(clean(k))}" content="{html.escape(clean(v))}">'
                   for k, v in (meta or {}).items())
    return (f"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">{tags}<title>{html.escape(clean(title))}"
            "</title>\n<style>body{font-family:\"FangSong\",\"仿宋\",\"Noto Serif CJK SC\",\"Noto Sans CJK SC\","
            "\"Microsoft YaHei\",serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #999;padding:4px 6px;vertical-align:top}th{background:#eee}"
            + (page_css or f"@page{{size:{page};margin:1.2cm}}") + f"@media print{{body{{margin:0;font-size:{font}}}}}"
            + "".join(f".light-{k}{{background:#{v}}}" for k, v in LIGHT_FILLS.items())
            + "</style></head><body>\n" + body + "</body></html>\n")


def html_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], colours: Sequence[str] | None = None,
               light_column: int | None = None, widths: Sequence[float] | None = None,
               centred: set[int] | None = None) -> str:
    """A table; `widths` its columns' shares of the page in percent (a fixed layout: left
    to itself, a browser squeezed a ledger's short columns to one character a line), and
    `centred` the columns set centred."""
    fixed = ' class="fixed"' if widths else ""
    out = [f"<table{fixed}>"]
    if widths:
        out.append("<colgroup>" + "".join(f'<col style="width:{w:.2f}%">' for w in widths) + "</colgroup>")
    out.append("<thead><tr>" + "".join(f"<th>{html.escape(clean(h))}</th>" for h in headers) + "</tr></thead>")
    column = len(headers) - 1 if light_column is None else light_column
    for index, row in enumerate(rows):
        cells = []
        for position, value in enumerate(row):
            classes = ([f"light-{colours[index]}"] if colours and position == column else []) \
                + (["c"] if centred and position in centred else [])
            css = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{css}>{html.escape(clean(value)).replace(chr(10), '<br>')}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out) + "\n"


# The HTML ledger prints A3 landscape in 8 pt, its scores on an A4 portrait page of their own
# (a CSS named page), centred under their title.
LEDGER_PRINT = 8  # pt: the smallest type the xlsx ledger prints in (D13)
LEAST = 8  # cells: four characters a line at the least
PADDING = 1.2  # ems: a cell's padding and borders, with a little room
LEDGER_PAGE_WIDTH = (420 - 2 * 12) / 25.4 * 72  # pt: A3 landscape within 12 mm margins
LEDGER_CSS = ("@page{size:A3 landscape;margin:12mm}@page scores{size:A4 portrait;margin:20mm}"
              "table.fixed{table-layout:fixed;width:100%}td.c{text-align:center}"
              "@media print{td,th{padding:2pt 3pt}}"
              ".scores{page:scores;break-before:page}.scores h2{text-align:center}.scores table{margin:0 auto}")


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
# centred under a 5-character one set left made the unit columns ragged, D20).
CENTRED = {"序号", "名次", "完成进度(%)", "灯", "状态", "目标类型", "完成时限", "得分", "按时报送率(%)", "涉及任务"}


def centred_columns(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> set[int]:
    """The columns set centred: those CENTRED names, and any whose every cell is a number."""
    return {i for i, header in enumerate(headers)
            if header in CENTRED or (rows and all(isinstance(row[i], (int, float)) for row in rows))}


def fitted_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]], caps: dict[int, int]) -> dict[int, int]:
    """Each column's width in Excel's unit (about a Latin character; a Chinese one takes
    two): its longest line, at least 6 and at most the column's cap (default 18)."""
    fitted = {}
    for column, header in enumerate(headers):
        longest = max([cell_width(header), *(max(map(cell_width, plain_cell(r[column]).split("\n")))
                                             for r in rows)], default=4)
        fitted[column] = min(max(longest + 2, 6), caps.get(column, 18))
    return fitted


# Fonts Windows has (its 仿宋 and 黑体; 仿宋_GB2312 and 方正小标宋简体 come only with an office's
# own installation), each marked GB2312 so a machine without it substitutes a Chinese font.
LEDGER_FONTS = {"title": "黑体", "header": "黑体", "body": "仿宋"}
GB2312_CHARSET = 134


def _font(role: str, size: float, bold: bool = False) -> Any:
    from openpyxl.styles import Font

    return Font(name=LEDGER_FONTS[role], size=size, bold=bold, charset=GB2312_CHARSET)


def _write_sheet(sheet: Any, result: Ledger, headers: list[str], rows: list[list[Any]],
                 colours: list[str] | None, widths: dict[int, int]) -> None:
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
            cell.alignment = Alignment(wrap_text=True, vertical="top",
                                       horizontal="center" if column - 1 in centred else "left")
            cell.border = border
        if colours:
            sheet.cell(row=number, column=result.light_column + 1).fill = PatternFill(
                "solid", fgColor=LIGHT_FILLS[colours[index]])
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
        _write_sheet(sheet, titled, result.headers, [result.rows[i] for i in indexes],
                     [result.colours[i] for i in indexes], result.widths)
    if result.scores is not None:
        headers, rows = result.scores
        sheet = book.create_sheet(_sheet_title("考核得分", taken))
        scores = Ledger(result.title.replace("台账", "考核得分"), result.office, result.as_of, headers, rows, [], 0)
        _write_sheet(sheet, scores, headers, rows, None, {1: 30})
    from duban.store.files import write_output

    import io

    buffer = io.BytesIO()
    book.save(buffer)
    write_output(path, buffer.getvalue())


def export(selection: Selection, tasks: list[Task], output_format: str, path: Path | None, per_area: bool = False,
           plan_id: str | None = None, title_rows: bool = False) -> tuple[Ledger, str | None]:
    """Write the ledger of `tasks` to `path`; with no path (a text format only), return its text.
    `title_rows`: a CSV begins with the title and 编制单位/截至 lines, as the ledger prints."""
    result = ledger(selection, tasks)
    if plan_id is not None:
        with_scores(result, selection, plan_id)
    if output_format == "xlsx":
        if path is None:
            raise ValueError("an .xlsx ledger needs a file")  # the CLI refuses it at the door
        write_xlsx(path, result, per_area)
        return result, None
    text = ledger_text(result, output_format, title_rows)
    if path is None:
        return result, text
    from duban.store.files import write_output

    # BOM for CSV: Excel opens UTF-8 right.
    write_output(path, (("\ufeff" if output_format == "csv" else "") + text).encode("utf-8"))
    return result, None


def ledger_text(result: Ledger, output_format: str, title_rows: bool = False) -> str:
    """The ledger as CSV, Markdown or a self-contained HTML page. A CSV is read by programs
    and spreadsheets, which take its first line for the header: it begins with the header
    unless `title_rows` asks for the printed ledger's title and 编制单位/截至 lines first."""
    if output_format == "csv":
        import csv
        import io

        stream = io.StringIO(newline="")
        writer = csv.writer(stream)
        if title_rows:
            writer.writerow([csv_cell(result.title)])
            writer.writerow([csv_cell(result.subtitle)])
        writer.writerow(result.headers)
        writer.writerows([[csv_cell(clean(c)) for c in row] for row in result.rows])
        return stream.getvalue()
    if output_format == "md":
        text = f"# {md_escape(result.title)}\n\n{md_escape(result.subtitle)}\n\n" + markdown_table(result.headers,
                                                                                                 result.rows)
        if result.scores:
            text += "\n## 考核得分\n\n" + markdown_table(*result.scores)
        return text
    body = (f"<h1>{html.escape(result.title)}</h1>\n<p>{html.escape(result.subtitle)}</p>\n"
            + html_table(result.headers, result.rows, result.colours, result.light_column,
                         widths=column_shares(result.headers, result.rows),
                         centred=centred_columns(result.headers, result.rows)))
    if result.scores:
        headers, rows = result.scores
        body += ('<section class="scores"><h2>考核得分</h2>\n'
                 + html_table(headers, rows, centred=centred_columns(headers, rows)) + "</section>\n")
    return html_page(result.title, body, font=f"{LEDGER_PRINT}pt", page_css=LEDGER_CSS)
