"""`duban progress`: a progress report recorded on a task and committed."""

from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command, Figure, Percent, Word
from duban.cli.context import repository
from duban.cli.output import echo_recorded
from duban.errors import DubanError
from duban.i18n import _


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.option("--percent", type=Percent(), required=True, help="Share of the task done, 0-100 (50 or 50%).")
@click.option("--note", help="What was done this period (进展情况).")
@click.option(
    "--status",
    type=Word("status"),
    help="New status (the English or Chinese word). Default: done at 100%, in_progress once started, else unchanged.",
)
@click.option("--date", "date", metavar="YYYY-MM-DD", help="Date of the report. Default: today.")
@click.option(
    "--by",
    "unit",
    metavar="UNIT",
    shell_complete=completion.units,
    help="The reporting unit (from the plan's registry).",
)
@click.option("--value", type=Figure(), help="The reported figure, for a task with a numeric target.")
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why the office records this report on the unit's behalf: the paper or form it came from.",
)
@click.pass_context
def progress(
    ctx: click.Context,
    ref: str,
    percent: float,
    note: str | None,
    status: str | None,
    date: str | None,
    unit: str | None,
    value: float | None,
    reason: str | None,
) -> None:
    """Record a progress report on REF and commit it.

    The author of the commit is your git identity; --by names the unit reporting.

    \b
    Examples:
      duban progress 2019-changning/3 --percent 50 --by 发改委 --note "完成白皮书初稿"
      duban progress 2019-changning/15 --percent 30% --status 受阻 --date 2019-06-25
    """
    # Deferred: loads duban.guard.access and 1 more (48 duban modules in all; ruamel, yaml) only when this runs
    from duban.guard.access import reason_needed
    from duban.record.recording import record_progress

    repo = repository(ctx)
    if not (reason or "").strip() and reason_needed(repo.root, unit):
        # Refused here, before the commit, rather than by the shared repository's guard at the push.
        raise DubanError(
            _(
                "this clone records as the office: a report on {unit}'s behalf needs the paper or form it came from"
            ).format(unit=unit),
            hint=_('add --reason, e.g. --reason "{unit}3月纸质报表"').format(unit=unit),
        )
    echo_recorded(
        record_progress(
            repo,
            ref,
            percent,
            note=note,
            status=status,
            date=date,
            by=unit,
            value=value,
            trailers=(("Reason", reason),) if reason else (),
        )
    )
