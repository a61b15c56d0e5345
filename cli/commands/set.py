"""`duban set`: fields of a task changed and committed."""

from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.output import echo_recorded


@click.command("set", cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...", shell_complete=completion.assignments)
@click.pass_context
def set_command(ctx: click.Context, ref: str, assignments: tuple[str, ...]) -> None:
    """Change fields of REF and commit: status=delayed due=2019-06-30 lead=发改委,科委
    milestones.Q2=... (an empty value removes an optional field).

    Field names and statuses may be written in Chinese: 状态=延期, 完成期限=2019-06-30.

    \b
    Examples:
      duban set 2019-changning/20 status=delayed
      duban set 2019-changning/20 状态=延期 lead=发改委,科委
    """
    # Deferred: loads duban.record.setting (44 duban modules in all; ruamel, yaml) only when this runs
    from duban.record.setting import set_fields

    echo_recorded(set_fields(repository(ctx), ref, list(assignments)))
