"""`duban list`: one row per task, as a table, JSON or CSV."""
from __future__ import annotations

import click

from duban.cli.context import repository
from duban.cli.exit_codes import ExitCode

TABLE_COLUMNS = ("ref", "title", "area", "lead", "support", "type", "status", "%")


@click.command("list")
@click.option("--plan", "plan_ids", multiple=True, metavar="PLAN-ID",
              help="Only this plan (repeatable). Default: every plan.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]),
              default="table", show_default=True)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The plan as it stood on that day (from git).")
@click.pass_context
def list_tasks(ctx: click.Context, plan_ids: tuple[str, ...], output_format: str, as_of: str | None) -> None:
    """List tasks: ref, title, area, lead, support, type, status and latest percent.

    A file that does not load is reported on stderr (run `duban validate` for
    details) and left out; the exit code is then 1.
    """
    from duban.rows import LIST_FIELDS, task_row

    repo = repository(ctx)
    rows = []
    problems = []
    for plan_id in plan_ids or repo.plan_ids():
        if as_of:
            from duban.history import tasks_as_of

            tasks = tasks_as_of(repo, plan_id, as_of)
        else:
            loaded = repo.load_tasks(plan_id)
            problems += loaded.problems
            tasks = loaded.tasks
        by_id = {task.id: task for task in tasks}
        rows += [task_row(task, by_id, repo.display(task.path)) for task in tasks]
    if output_format == "json":
        from duban.cli.output import emit_json

        emit_json(rows)
    elif output_format == "csv":
        from duban.cli.output import emit_csv

        emit_csv(rows, LIST_FIELDS)
    else:
        from duban.cli.output import emit_table

        def cell(value: object) -> str:
            if value is None:
                return ""
            if isinstance(value, list):
                return "、".join(value)
            return f"{value:g}" if isinstance(value, float) else str(value)

        emit_table([[cell(row[name]) for name in ("ref", "title", "area", "lead", "support",
                                                   "type", "status", "percent")] for row in rows],
                   TABLE_COLUMNS, wide=(1, 4), keep=(0, 5, 6, 7))
    for problem in problems:
        click.echo(f"{problem.format()} (left out; run `duban validate`)", err=True)
    ctx.exit(ExitCode.PROBLEMS if problems else ExitCode.OK)
