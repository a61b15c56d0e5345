"""`duban circular`: the monthly supervision circular (督查通报) as .docx, Markdown or self-contained HTML."""

from __future__ import annotations

from pathlib import Path

import click

from duban.cli.base import Command
from duban.cli.context import left_out, repository
from duban.cli.destination import chosen_format, output_file, output_folder
from duban.cli.options import format_option, plan_option
from duban.cli.output import emit_document
from duban.i18n import _


@click.command(cls=Command)
@click.option("--month", required=True, metavar="YYYY-MM", help="The month the circular covers.")
@plan_option("Default: the only plan of the month's year.")
@format_option(
    ["md", "html", "docx"],
    "docx: the document to issue; md: Markdown; html: one self-contained page. "
    "Default: what the file's name says, else md.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="File to write (default or -: standard output; a file for docx).",
)
@click.option(
    "--issue",
    type=click.IntRange(min=1),
    metavar="N",
    help="The issue number 第N期 (default: counted per month from plan.yaml's circular.first_month).",
)
@click.option(
    "--date",
    "issued",
    metavar="YYYY-MM-DD",
    help="The issue date (default: the date of the commit it is built from, or the month's end if later).",
)
@click.pass_context
def circular(
    ctx: click.Context,
    month: str,
    plan_id: str | None,
    output_format: str,
    output: Path | None,
    issue: int | None,
    issued: str | None,
) -> None:
    """The monthly supervision circular (督查通报) as .docx, Markdown or self-contained HTML.

    \b
    Example:
      duban circular --month 2019-06 -o 通报.docx
    """
    # Deferred: loads duban.dates and 2 more (40 duban modules in all) only when this runs
    from duban.dates import parse_day
    from duban.supervise.circular.building import build
    from duban.supervise.circular.rendering import to_html, to_markdown

    output = output_file(output)
    output_format = chosen_format(output_format, output, ("md", "html", "docx"), "md")
    if output is not None:
        output_folder(output)
    day = parse_day(issued, "--date") if issued else None
    data = build(repository(ctx), month, plan_id, issue=issue, issued=day)
    for note in data.notes:
        click.echo(_("note: {note}").format(note=note), err=True)
    if output_format == "docx":
        # Deferred: loads duban.supervise.circular.docx (33 duban modules in all) only when this runs
        from duban.supervise.circular.docx import write_docx

        assert output is not None, "chosen_format sends no .docx to standard output"
        write_docx(data, output)
        click.echo(_("wrote {path}").format(path=output), err=True)
        left_out(ctx, data.problems)
        return
    text = to_html(data) if output_format == "html" else to_markdown(data)
    if output is None:
        emit_document(text)
    else:
        # Deferred: loads duban.store.files (3 duban modules in all) only when this runs
        from duban.store.files import write_output

        write_output(output, text.encode("utf-8"))
        click.echo(_("wrote {path}").format(path=output), err=True)
    left_out(ctx, data.problems)
