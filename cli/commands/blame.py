"""`duban blame`: who last changed each field of a task, and when."""

from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.options import format_option
from duban.cli.output import shown_field
from duban.i18n import N_, _


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@format_option(["text", "json"], "text: for reading; json: for scripts.", default="text")
@click.pass_context
def blame(ctx: click.Context, ref: str, output_format: str) -> None:
    """For each field of REF, who last changed it and when.

    \b
    Examples:
      duban blame 2019-changning/3
      duban blame 2019-changning/3 --format json
    """
    # Deferred: loads duban.cli.output and 1 more (15 duban modules in all) only when this runs
    from duban.cli.output import emit_json, emit_table
    from duban.record.changes import blame_fields

    found = blame_fields(repository(ctx), ref)
    if output_format == "json":
        # The field's key and the commit's whole id, as the other commands' JSON gives them.
        emit_json(
            [
                {
                    "field": b.field,
                    "date": b.date,
                    "author": b.author,
                    "unit": b.reported_by,
                    "sha": b.sha,
                    "subject": b.summary,
                }
                for b in found
            ]
        )
        return
    rows = [[shown_field(b.field), b.date, b.author, b.reported_by or "", b.sha[:10], b.summary] for b in found]
    headers = (N_("field"), N_("date"), N_("author"), N_("unit"), N_("commit"), N_("message"))
    emit_table(rows, [_(h) for h in headers], wide=(5,), keep=(0, 1, 4))
