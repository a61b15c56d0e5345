"""The ledger exported (`duban export`): as .xlsx, CSV (safe from formula injection),
Markdown or a self-contained HTML page, each carrying the same columns."""

from __future__ import annotations

import html
import io
from pathlib import Path

from duban.model import Task
from duban.store.files import write_output
from duban.supervise.export.columns import LEDGER_CSS, LEDGER_PRINT, centred_columns, column_shares
from duban.supervise.export.html_document import html_page, html_table
from duban.supervise.export.ledger import Ledger, ledger, with_scores
from duban.supervise.export.text import clean, markdown_table, md_escape
from duban.supervise.export.xlsx import write_xlsx
from duban.supervise.rows import csv_cell
from duban.supervise.selection import Selection


def export(
    selection: Selection,
    tasks: list[Task],
    output_format: str,
    path: Path | None,
    per_area: bool = False,
    plan_id: str | None = None,
    title_rows: bool = False,
) -> tuple[Ledger, str | None]:
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

    # BOM for CSV: Excel opens UTF-8 right.
    write_output(path, (("\ufeff" if output_format == "csv" else "") + text).encode("utf-8"))
    return result, None


def ledger_text(result: Ledger, output_format: str, title_rows: bool = False) -> str:
    """The ledger as CSV, Markdown or a self-contained HTML page. A CSV is read by programs
    and spreadsheets, which take its first line for the header: it begins with the header
    unless `title_rows` asks for the printed ledger's title and 编制单位/截至 lines first."""
    if output_format == "csv":
        # Deferred: loads csv only when this runs
        import csv

        stream = io.StringIO(newline="")
        writer = csv.writer(stream)
        if title_rows:
            writer.writerow([csv_cell(result.title)])
            writer.writerow([csv_cell(result.subtitle)])
        writer.writerow(result.headers)
        writer.writerows([[csv_cell(clean(c)) for c in row] for row in result.rows])
        return stream.getvalue()
    if output_format == "md":
        text = f"# {md_escape(result.title)}\n\n{md_escape(result.subtitle)}\n\n" + markdown_table(
            result.headers, result.rows
        )
        if result.scores:
            text += "\n## 考核得分\n\n" + markdown_table(*result.scores)
        return text
    body = f"<h1>{html.escape(result.title)}</h1>\n<p>{html.escape(result.subtitle)}</p>\n" + html_table(
        result.headers,
        result.rows,
        result.colours,
        result.light_column,
        widths=column_shares(result.headers, result.rows),
        centred=centred_columns(result.headers, result.rows),
    )
    if result.scores:
        headers, rows = result.scores
        body += (
            '<section class="scores"><h2>考核得分</h2>\n'
            + html_table(headers, rows, centred=centred_columns(headers, rows))
            + "</section>\n"
        )
    return html_page(result.title, body, font=f"{LEDGER_PRINT}pt", page_css=LEDGER_CSS)
