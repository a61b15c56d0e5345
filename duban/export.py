"""The ledger (台账): the plan's tasks in the source table's layout, plus status, latest report and
light; as xlsx (frozen header, wrapped text, widths fit for Chinese, light colours), CSV
(safe from formula injection), Markdown or HTML (escaped)."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Sequence

from duban import vocabulary
from duban.model import Task
from duban.rows import csv_cell
from duban.selection import Selection
from duban.textwidth import cell_width

LIGHT_FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE", "grey": "D9D9D9"}
LIGHT_WORDS = {key: vocabulary.chinese("light", key) for key in vocabulary.keys("light")}


def ledger(selection: Selection, tasks: list[Task]) -> tuple[list[str], list[list[str]], list[str]]:
    """Headers, rows and each row's light colour. Header words are the ones `duban import`
    reads back, with the plan's own role words."""
    plan = selection.plan(tasks[0]) if tasks else None
    roles = plan.roles if plan else {}
    has_quarters = any(t.milestones for t in tasks)
    has_category = any(t.category for t in tasks)
    has_type = any(t.type for t in tasks)
    headers = ["序号", "领域"] + (["重要项目"] if has_category else []) + ["任务名称", "指标要求"]
    headers += ["第一季度", "第二季度", "第三季度", "第四季度"] if has_quarters else []
    headers += [roles.get("lead", "牵头单位"), roles.get("support", "配合单位")]
    headers += (["目标类型"] if has_type else []) + ["状态", "最新进展", "灯"]
    rows, colours = [], []
    for task in tasks:
        light = selection.light_of(task)
        latest = task.latest
        report = f"{latest.date} {latest.percent:g}%" + (f" {latest.note}" if latest and latest.note else "") \
            if latest else ""
        row = [task.id, task.area] + ([task.category or ""] if has_category else []) + [task.title, task.text]
        if has_quarters:
            row += [task.milestones.get(q, "——") for q in ("Q1", "Q2", "Q3", "Q4")]
        row += ["、".join(selection.lead(task)), "、".join(task.support)]
        row += ([task.type or ""] if has_type else []) + [vocabulary.chinese("status", task.status), report,
                                                         LIGHT_WORDS[light.colour] + ("(迟报)" if light.late else "")]
        rows.append(row)
        colours.append(light.colour)
    return headers, rows, colours


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def html_page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>\n"
            "<style>body{font-family:\"Microsoft YaHei\",\"PingFang SC\",\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",sans-serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #999;padding:4px 6px;vertical-align:top}th{background:#eee}"
            + "".join(f".light-{k}{{background:#{v}}}" for k, v in LIGHT_FILLS.items())
            + "</style></head><body>\n" + body + "</body></html>\n")


def html_table(headers: Sequence[str], rows: Sequence[Sequence[str]], colours: Sequence[str] | None = None) -> str:
    out = ["<table>", "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr>"]
    for index, row in enumerate(rows):
        cells = []
        for position, value in enumerate(row):
            css = f' class="light-{colours[index]}"' if colours and position == len(row) - 1 else ""
            cells.append(f"<td{css}>{html.escape(str(value))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out) + "\n"


def _sheet_title(name: str, taken: set[str]) -> str:
    title = "".join(c for c in name if c not in "[]:*?/\\")[:31] or "Sheet"
    base, number = title, 2
    while title in taken:
        title = f"{base[:28]}-{number}"
        number += 1
    taken.add(title)
    return title


def write_xlsx(path: Path, headers: list[str], rows: list[list[str]], colours: list[str],
               per_area: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(row[1] if per_area else "台账", []).append(index)
    taken: set[str] = set()
    for name, indexes in groups.items():
        sheet = book.create_sheet(_sheet_title(name, taken))
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDDDDD")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for index in indexes:
            sheet.append(rows[index])
            light_cell = sheet.cell(row=sheet.max_row, column=len(headers))
            light_cell.fill = PatternFill("solid", fgColor=LIGHT_FILLS[colours[index]])
            for cell in sheet[sheet.max_row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column, header in enumerate(headers, start=1):
            longest = max([cell_width(header), *(cell_width(rows[i][column - 1]) for i in indexes)])
            # Excel's width unit is about one Latin character; a Chinese character takes two.
            sheet.column_dimensions[get_column_letter(column)].width = min(max(longest + 2, 6), 60)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{sheet.max_row}"
    book.save(path)


def export(selection: Selection, tasks: list[Task], output_format: str, path: Path, per_area: bool = False) -> None:
    headers, rows, colours = ledger(selection, tasks)
    if output_format == "xlsx":
        write_xlsx(path, headers, rows, colours, per_area)
    elif output_format == "csv":
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as stream:  # BOM: Excel opens UTF-8 right
            writer = csv.writer(stream)
            writer.writerow(headers)
            writer.writerows([[csv_cell(c) for c in row] for row in rows])
    elif output_format == "md":
        path.write_text(markdown_table(headers, rows), encoding="utf-8")
    else:
        title = f"{tasks[0].plan_id} 台账" if tasks else "台账"
        path.write_text(html_page(title, f"<h1>{html.escape(title)}</h1>\n" + html_table(headers, rows, colours)),
                        encoding="utf-8")
