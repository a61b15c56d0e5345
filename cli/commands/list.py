"""`duban list`: the tasks a query matches, as a table, JSON or CSV."""

from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import ProcessEnd, matching, start_reading
from duban.cli.exit_codes import ExitCode
from duban.cli.options import as_of_option, format_option, plan_option
from duban.i18n import N_, _, ngettext

TABLE_COLUMNS = (
    N_("ref"),
    N_("title"),
    N_("area"),
    N_("lead"),
    N_("support"),
    N_("type"),
    N_("status"),
    "%",
    N_("light"),
)


# The row's columns under the headers before the light, which shows `late` beside it.
TABLE_FIELDS = ("ref", "title", "area", "lead", "support", "type", "status", "percent")


def _list_rows(
    query: tuple[str, ...], plan_ids: tuple[str, ...], output_format: str, as_of: str | None, ctx: click.Context
) -> list:
    """Print the matching rows; the problems of files left out."""
    # Deferred: loads duban.supervise.rows (23 duban modules in all) only when this runs
    from duban.supervise.rows import ROW_FIELDS, task_row

    selection, matched = matching(ctx, plan_ids, as_of, " ".join(query))
    rows = [task_row(selection, task) for task in matched]
    dicts = [row.as_dict() for row in rows] if output_format in ("json", "csv") else []
    ProcessEnd.keep(selection, rows, dicts)
    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        emit_json(dicts)
    elif output_format == "csv":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_csv

        emit_csv(dicts, ROW_FIELDS)
    else:
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_table

        emit_table(
            [
                [row.shown(name) for name in TABLE_FIELDS]
                + [row.shown("light") + (" " + _("late") if row.light.late else "")]
                for row in rows
            ],
            [_(name) for name in TABLE_COLUMNS],
            wide=(1, 4),
            keep=(0, 5, 6, 7, 8),
        )
        click.echo(ngettext("{count} task", "{count} tasks", len(rows)).format(count=len(rows)), err=True)
    if not rows:
        # Deferred: loads duban.supervise.query (10 duban modules in all) only when this runs
        from duban.supervise.query import text_search_notes

        for note in text_search_notes(" ".join(query)):
            click.echo(note, err=True)
    return selection.problems


@click.command("list", cls=Command)
@click.argument("query", nargs=-1, shell_complete=completion.query_terms)
@plan_option("Only this plan (repeatable). Default: every plan.", several=True)
@format_option(["table", "json", "csv"], "table: for reading; json and csv: every field, for scripts.", default="table")
@as_of_option("The plan as it stood on that day (from git).")
@click.pass_context
def list_tasks(
    ctx: click.Context, query: tuple[str, ...], plan_ids: tuple[str, ...], output_format: str, as_of: str | None
) -> None:
    """List tasks matching QUERY: ref, title, area, lead, support, type, status, percent, light.

    \b
    QUERY terms (all must match; OR, -negation, parentheses and "quotes" work):
      lead:发改委 support:… unit:… area:经济发展 type:A status:delayed light:red
      plan:2019-changning due<2019-06-30 percent<50 has:milestones parent:4 late:yes
      free text; letters alone match pinyin initials (lead:fgw, area:jjfz)
    Field names and values may be Chinese (状态:进行中 灯:红 牵头:发改委), and
    full-width punctuation (：（）＜＞＝) works. -term negates a term; it needs no
    `--` before it. A unit, plan or area no plan has is an error that names the
    nearest one.

    \b
    Examples:
      duban list lead:fgw light:red --as-of 2019-06-30
      duban list 状态:进行中 -灯:绿
      duban list "(lead:发改委 OR lead:商务委)" -type:C --format csv

    A file that does not load is reported on stderr (run `duban validate` for
    details) and left out; the exit code is then 1.
    """
    start_reading(ctx)
    # What a list loads, imports and prints makes no cycles: the collector's passes over it
    # were 80 ms of a 0.56 s list at 100,000 tasks, and 5 ms of 0.12 s at 10,000. When the
    # process ends with the command, the collector stays paused and nothing is freed.
    with ProcessEnd.collector_paused():
        problems = _list_rows(query, plan_ids, output_format, as_of, ctx)
    for problem in problems:
        click.echo(_("{problem} (left out; run `duban validate`)").format(problem=problem.format()), err=True)
    ctx.exit(ExitCode.PROBLEMS if problems else ExitCode.OK)
