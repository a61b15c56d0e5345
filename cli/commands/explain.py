"""`duban explain`: why a task has its light, and whether its report is late."""

from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.context import selection as select_tasks
from duban.cli.options import as_of_option, format_option
from duban.cli.output import emit_json
from duban.i18n import _


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@as_of_option("Date of the light (default today; a past date reads git).")
@format_option(["text", "json"], "text: for reading; json: for scripts.", default="text")
@click.pass_context
def explain(ctx: click.Context, ref: str, as_of: str | None, output_format: str) -> None:
    """Why REF has its warning light (and whether its report is late).

    \b
    Example:
      duban explain 2019-changning/7 --as-of 2019-06-30
    """
    # Deferred: loads duban.supervise (8 duban modules in all) only when this runs
    from duban.supervise import lights

    current = repository(ctx).resolve(ref)
    selection = select_tasks(ctx, [current.plan_id], as_of)
    task = next((t for t in selection.tasks if t.id == current.id), None)
    if task is None:
        # Deferred: loads duban.record.history (14 duban modules in all) only when this runs
        from duban.record.history import absent_from_view

        raise absent_from_view(current.ref, current.id, str(as_of), selection.problems)
    data = lights.explain(task, selection.plan(task), selection.as_of, selection.sealed(task), selection.lead(task))
    if output_format == "json":
        emit_json(data)
        return
    click.echo(
        _("{ref}: {light} as of {date} (reported {percent:g}%, expected {expected:g}%)").format(
            ref=task.ref, light=_(data["light"]), date=data["as_of"], percent=data["percent"], expected=data["expected"]
        )
    )
    for reason in data["reasons"]:
        click.echo(f"  - {reason}")
    if data["late"]:
        click.echo(f"  - {_('late report')}: {data['late_reason']}")
    for part in data["supporting"]:
        click.echo(
            "  - "
            + _("{unit} (supporting) reported {percent:g}% on {date}: its own part, not the task's percent").format(
                unit=part["unit"], percent=part["percent"], date=part["date"]
            )
        )
