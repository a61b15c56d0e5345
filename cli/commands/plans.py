"""`duban plans`: the plans in the repository with their task counts."""

from __future__ import annotations

import click

from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.options import format_option
from duban.i18n import _, pgettext


@click.command(cls=Command)
@format_option(["table", "json"], "table: for reading; json: for scripts.", default="table")
@click.pass_context
def plans(ctx: click.Context, output_format: str) -> None:
    """List the plans: id, year, issuer, document number and number of tasks.

    \b
    Example:
      duban plans --format json
    """
    # Deferred: loads duban.store.repository (11 duban modules in all) only when this runs
    from duban.store.task_files import task_files

    counted = [(plan, len(task_files(plan.tasks_folder))) for plan in repository(ctx).plans()]
    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        emit_json(
            [
                {
                    "plan": plan.id,
                    "year": plan.year,
                    "title": plan.title,
                    "issuer": plan.issuer,
                    "document_number": plan.document_number,
                    "tasks": tasks,
                }
                for plan, tasks in counted
            ]
        )
    else:
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_table

        emit_table(
            [
                [plan.id, str(plan.year), str(tasks), plan.issuer or "", plan.document_number or "", plan.title]
                for plan, tasks in counted
            ],
            [_("plan"), _("year"), pgettext("count", "tasks"), _("issuer"), _("document"), pgettext("plan", "title")],
            wide=(5,),
        )
