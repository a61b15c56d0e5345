"""`duban explain`, `duban report`, `duban export` and `duban circular`."""
from __future__ import annotations

from pathlib import Path

import click

from duban.cli.context import left_out, repository, selection as select_tasks
from duban.i18n import N_, _, pgettext

# Table headers of `duban report` (JSON and CSV keep the field names).
_BY_WORDS = {"unit": N_("unit"), "area": N_("area"), "type": N_("type"), "plan": N_("plan")}
_REPORT_COLUMNS = {"role": N_("role"), "done": N_("done"), "green": N_("green"),
                   "yellow": N_("yellow"), "red": N_("red"), "grey": N_("grey"), "late": N_("late"),
                   "on_time_rate": N_("on-time %")}


@click.command()
@click.argument("ref")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Date of the light (default today; a past date reads git).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def explain(ctx: click.Context, ref: str, as_of: str | None, output_format: str) -> None:
    """Why REF has its warning light (and whether its report is late)."""
    from duban import lights

    current = repository(ctx).resolve(ref)
    selection = select_tasks(ctx, [current.plan_id], as_of)
    task = next((t for t in selection.tasks if t.id == current.id), None)
    if task is None:
        from duban.errors import DubanError

        raise DubanError(_("{ref} did not exist on {date}").format(ref=ref, date=as_of))
    data = lights.explain(task, selection.plan(task), selection.as_of, selection.sealed(task))
    if output_format == "json":
        from duban.cli.output import emit_json

        emit_json(data)
        return
    click.echo(_("{ref}: {light} as of {date} (reported {percent:g}%, expected {expected:g}%)").format(
        ref=task.ref, light=_(data["light"]), date=data["as_of"], percent=data["percent"], expected=data["expected"]))
    for reason in data["reasons"]:
        click.echo(f"  - {reason}")
    if data["late"]:
        click.echo(f"  - {_('late report')}: {data['late_reason']}")


@click.command("report")
@click.argument("query", nargs=-1)
@click.option("--plan", "plan_ids", multiple=True, metavar="PLAN-ID")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD")
@click.option("--by", "by", type=click.Choice(["unit", "area", "type", "plan"]), default="unit", show_default=True)
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv", "md"]), default="table",
              show_default=True)
@click.pass_context
def report_command(ctx: click.Context, query: tuple[str, ...], plan_ids: tuple[str, ...], as_of: str | None,
                   by: str, output_format: str) -> None:
    """Tasks, done, lights, late reports and on-time reporting rate per unit (as lead and
    as support), area, type or plan, worst first. QUERY narrows the tasks (see duban list)."""
    from duban.reports import COLUMNS, report

    selection = select_tasks(ctx, plan_ids, as_of)
    tallies = report(selection, selection.where(" ".join(query)), by)
    rows = [t.as_dict() for t in tallies]
    columns = COLUMNS if by == "unit" else tuple(c for c in COLUMNS if c != "role")
    if output_format == "json":
        from duban.cli.output import emit_json

        emit_json(rows)
    elif output_format == "csv":
        from duban.cli.output import emit_csv

        emit_csv(rows, columns)
    else:
        from duban.rows import plain_cell

        cells = [[plain_cell(row[c]) for c in columns] for row in rows]
        headers = [_(_BY_WORDS[by]) if c == "group" else pgettext("count", "tasks") if c == "tasks"
                   else _(_REPORT_COLUMNS.get(c, c)) for c in columns]
        if output_format == "md":
            from duban.export import markdown_table

            click.echo(markdown_table(headers, cells), nl=False)
        else:
            from duban.cli.output import emit_table

            emit_table(cells, headers, wide=(0,), keep=tuple(range(1, len(columns))))
    click.echo(_("as of {date}; {count} groups").format(date=selection.as_of.isoformat(), count=len(rows)), err=True)
    left_out(ctx, selection.problems)


@click.command("export")
@click.argument("query", nargs=-1)
@click.option("--plan", "plan_id", required=True, metavar="PLAN-ID")
@click.option("--format", "output_format", type=click.Choice(["xlsx", "csv", "md", "html"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD")
@click.option("--sheets", type=click.Choice(["single", "area"]), default="single", show_default=True,
              help="xlsx: one filterable sheet, or one sheet per area.")
@click.pass_context
def export_command(ctx: click.Context, query: tuple[str, ...], plan_id: str, output_format: str, output: Path,
                   as_of: str | None, sheets: str) -> None:
    """Export the plan's ledger (台账) in the source table's layout plus status, latest report
    and light. QUERY narrows the tasks (see duban list)."""
    from duban.export import export

    selection = select_tasks(ctx, [plan_id], as_of)
    tasks = selection.where(" ".join(query))
    export(selection, tasks, output_format, output, per_area=sheets == "area")
    click.echo(_("wrote {count} tasks to {path}").format(count=len(tasks), path=output), err=True)
    left_out(ctx, selection.problems)


@click.command()
@click.option("--month", required=True, metavar="YYYY-MM", help="The month the circular covers.")
@click.option("--plan", "plan_id", metavar="PLAN-ID", help="Default: the only plan of the month's year.")
@click.option("--format", "output_format", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout).")
@click.pass_context
def circular(ctx: click.Context, month: str, plan_id: str | None, output_format: str, output: Path | None) -> None:
    """The monthly supervision circular (督查通报) as Markdown or self-contained HTML."""
    from duban.circular import build, to_html, to_markdown

    data = build(repository(ctx), month, plan_id)
    text = to_html(data) if output_format == "html" else to_markdown(data)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(_("wrote {path}").format(path=output), err=True)
    left_out(ctx, data.problems)
