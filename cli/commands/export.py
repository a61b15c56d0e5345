"""`duban export`: the plan's ledger (台账) as an office prints it, in .xlsx, CSV, Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import left_out, repository
from duban.cli.context import selection as select_tasks
from duban.cli.destination import chosen_format, output_file, output_folder
from duban.cli.options import as_of_option, format_option, plan_option
from duban.cli.output import emit_document
from duban.i18n import _


@click.command("export", cls=Command)
@click.argument("query", nargs=-1, shell_complete=completion.query_terms)
@plan_option("The plan to export (default: the only plan here, or of the --as-of year).")
@format_option(
    ["xlsx", "csv", "md", "html"], "xlsx for Excel or WPS; csv, md or html. Default: what the file's name says."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    required=True,
    help="File to write (- for standard output: csv, md or html).",
)
@as_of_option("Date of the ledger (default today; for a past plan, its last reporting deadline).")
@click.option(
    "--sheets",
    type=click.Choice(["single", "area"]),
    default="single",
    show_default=True,
    help="xlsx: one filterable sheet, or one sheet per area.",
)
@click.option(
    "--title-rows",
    is_flag=True,
    help="csv: begin with the ledger's title and 编制单位/截至 lines, as it prints (default: the header "
    "first, as spreadsheets and scripts read a CSV).",
)
@click.pass_context
def export_command(
    ctx: click.Context,
    query: tuple[str, ...],
    plan_id: str | None,
    output_format: str,
    output: Path,
    as_of: str | None,
    sheets: str,
    title_rows: bool,
) -> None:
    """Export the plan's ledger (台账) as an office prints it: title, 截至 date, the source
    table's columns, 完成进度, light, status, one column per reporting month, and the units'
    scores. QUERY narrows the tasks (see duban list).

    \b
    Examples:
      duban export --plan 2019-changning -o 台账.xlsx --as-of 2019-06-30
      duban export --plan 2019-changning -o red.csv light:red
    """
    # Deferred: loads duban.dates and 3 more (34 duban modules in all) only when this runs
    from duban.dates import parse_day
    from duban.store.repository import chosen_plan
    from duban.supervise.export.formats import export
    from duban.supervise.scoring import default_as_of

    plan_id = chosen_plan(repository(ctx), plan_id, parse_day(as_of, "--as-of").year if as_of else None)
    path = output_file(output)
    output_format = chosen_format(output_format, path, ("xlsx", "csv", "md", "html"), None)
    if path is not None:
        output_folder(path)
    if as_of is None:
        as_of = default_as_of(repository(ctx).plan(plan_id)).isoformat()
    selection = select_tasks(ctx, [plan_id], as_of)
    tasks = selection.where(" ".join(query))
    _ledger, text = export(
        selection, tasks, output_format, path, per_area=sheets == "area", plan_id=plan_id, title_rows=title_rows
    )
    if text is not None:
        emit_document(text)
    click.echo(_("wrote {count} tasks to {path}").format(count=len(tasks), path=path or "-"), err=True)
    left_out(ctx, selection.problems)
