"""`duban withdraw`: a wrong report withdrawn, with the reason in the commit."""

from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.output import echo_recorded


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.argument("date", metavar="YYYY-MM-DD")
@click.option("--reason", metavar="TEXT", required=True, help="Why the report is withdrawn; recorded in the commit.")
@click.option(
    "--by", "unit", metavar="UNIT", shell_complete=completion.units, help="Whose report, when several share the date."
)
@click.option("--note", metavar="TEXT", help="A part of the report's note, when one unit reported twice that day.")
@click.pass_context
def withdraw(ctx: click.Context, ref: str, date: str, reason: str, unit: str | None, note: str | None) -> None:
    """Withdraw the wrong report of DATE from REF, with the reason recorded in the commit.

    \b
    Example:
      duban withdraw 2019-changning/3 2019-06-24 --reason 单位报错数据
    """
    # Deferred: loads duban.record.undo (42 duban modules in all; ruamel, yaml) only when this runs
    from duban.record.undo import withdraw_report

    echo_recorded(withdraw_report(repository(ctx), ref, date, reason, by=unit, note=note))
