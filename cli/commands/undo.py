"""`duban undo`: the last change duban committed in this clone taken back."""

from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.output import echo_recorded


@click.command(cls=Command)
@click.argument("ref", required=False, shell_complete=completion.refs)
@click.option("--reason", metavar="TEXT", help="Why the change is taken back; recorded in the commit.")
@click.pass_context
def undo(ctx: click.Context, ref: str | None, reason: str | None) -> None:
    """Take back the last change duban committed in this clone (to REF, if given) with a revert commit.

    Later changes to the task are kept; the change and its undoing both stay in the history.
    Run it again to take back the change before. A change another clone made, brought by
    sync, is not taken back: undo names it, and `duban withdraw` takes a report back.

    \b
    Examples:
      duban undo
      duban undo 2019-changning/3 --reason 误报
    """
    # Deferred: loads duban.record.undo (42 duban modules in all; ruamel, yaml) only when this runs
    from duban.record.undo import undo_last

    echo_recorded(undo_last(repository(ctx), ref, reason=reason))
