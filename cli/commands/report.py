"""`duban report`: tasks, lights, late reports and on-time rates per unit, area, type or plan."""

from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command, Word
from duban.cli.context import left_out
from duban.cli.context import selection as select_tasks
from duban.cli.options import as_of_option, format_option, plan_option
from duban.cli.output import emit_csv, emit_json, emit_table
from duban.i18n import N_, _, pgettext
from duban.vocabulary import shown

REPORT_GROUPS = ("unit", "area", "type", "plan")


# Table headers of `duban report` (JSON and CSV keep the field names); the first is reports.GROUP_WORDS.
_REPORT_COLUMNS = {
    "role": N_("role"),
    "done": N_("done"),
    "green": N_("green"),
    "yellow": N_("yellow"),
    "red": N_("red"),
    "grey": N_("grey"),
    "late": N_("late"),
    "on_time_rate": N_("on-time %"),
}


@click.command("report", cls=Command)
@click.argument("query", nargs=-1, shell_complete=completion.query_terms)
@plan_option("Only this plan (repeatable). Default: every plan.", several=True)
@as_of_option("The lights as of that day (default today; a past date reads git).")
@click.option(
    "--by",
    "by",
    type=Word("field", REPORT_GROUPS),
    default="unit",
    show_default=True,
    help="What to group by (the English or Chinese word: unit 单位, area 领域, type 类型, plan 计划).",
)
@format_option(["table", "json", "csv", "md"], "table or md: for reading; json and csv: for scripts.", default="table")
@click.pass_context
def report_command(
    ctx: click.Context,
    query: tuple[str, ...],
    plan_ids: tuple[str, ...],
    as_of: str | None,
    by: str,
    output_format: str,
) -> None:
    """Tasks, done, lights, late reports and on-time reporting rate per unit (as lead and
    as support), area, type or plan, worst first. QUERY narrows the tasks (see duban list).

    \b
    Examples:
      duban report --as-of 2019-06-30 lead:fgw
      duban report --by 领域 --format md
    """
    # Deferred: loads duban.supervise.reports (24 duban modules in all) only when this runs
    from duban.supervise.reports import COLUMNS, GROUP_WORDS, report

    selection = select_tasks(ctx, plan_ids, as_of)
    tallies = report(selection, selection.where(" ".join(query)), by)
    rows = [t.as_dict() for t in tallies]
    columns = COLUMNS if by == "unit" else tuple(c for c in COLUMNS if c != "role")
    if output_format == "json":
        emit_json(rows)
    elif output_format == "csv":
        emit_csv(rows, columns)
    else:
        # Deferred: loads duban.supervise.rows (23 duban modules in all) only when this runs
        from duban.supervise.rows import plain_cell

        cells = [
            [shown("role", tally.role) if c == "role" else plain_cell(row[c]) for c in columns]
            for tally, row in zip(tallies, rows)
        ]
        headers = [
            _(GROUP_WORDS[by])
            if c == "group"
            else pgettext("count", "tasks")
            if c == "tasks"
            else _(_REPORT_COLUMNS.get(c, c))
            for c in columns
        ]
        if output_format == "md":
            # Deferred: loads duban.supervise.export.text (25 duban modules in all) only when this runs
            from duban.supervise.export.text import markdown_table

            click.echo(markdown_table(headers, cells), nl=False)
        else:
            emit_table(cells, headers, wide=(0,), keep=tuple(range(1, len(columns))))
    click.echo(_("as of {date}; {count} groups").format(date=selection.as_of.isoformat(), count=len(rows)), err=True)
    left_out(ctx, selection.problems)
