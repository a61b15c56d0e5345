"""`duban diff`: what changed in a period, task by task and field by field."""

from __future__ import annotations

import click

from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.options import format_option, plan_option
from duban.cli.output import shown_field
from duban.i18n import N_, _, ngettext
from duban.text.textwidth import truncate
from duban.vocabulary import shown

# The kinds of change `duban diff` names, for the catalog.
_CHANGE_KINDS = {
    "added": N_("added"),
    "removed": N_("removed"),
    "changed": N_("changed"),
    "unreadable": N_("could not be read"),
}


def _short(field: str, value: object) -> str:
    if value is None:
        return _("(none)")
    if field == "status" and isinstance(value, str):
        return shown("status", value)
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    return truncate(str(value), 60)


@click.command(cls=Command)
@click.option("--since", required=True, metavar="YYYY-MM-DD", help="First day of the period, or a month (2019-06).")
@click.option(
    "--until",
    metavar="YYYY-MM-DD",
    help="Last day of the period, or a month. Default: the end of --since's month when it is one.",
)
@plan_option("Only this plan.")
@format_option(["text", "json"], "text: for reading; json: for scripts.", default="text")
@click.pass_context
def diff(ctx: click.Context, since: str, until: str | None, plan_id: str | None, output_format: str) -> None:
    """What changed in a period, task by task and field by field: new reports, status
    changes, changed milestones. The basis of a monthly supervision circular.

    \b
    Example:
      duban diff --since 2019-06-01 --until 2019-06-30 --plan 2019-changning
      duban diff --since 2019-06
    """
    # Deferred: loads duban.dates and 1 more (14 duban modules in all) only when this runs
    from duban.dates import period_end
    from duban.record.changes import diff_between

    first = period_end(since, "--since", last=False)
    if until is None:
        # Deferred: loads duban.errors only when this runs
        from duban.errors import DubanError

        if first == period_end(since, "--since", last=True):
            raise DubanError(
                _("--since {since} is a day: give --until too").format(since=since),
                hint=_("or give a month: --since 2019-06"),
            )
    final = period_end(until if until is not None else since, "--until", last=True)
    changes = diff_between(repository(ctx), first.isoformat(), final.isoformat(), plan_id)
    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        emit_json([c.as_dict() for c in changes])
        return

    for change in changes:
        click.echo(f"{change.ref}  ({_(_CHANGE_KINDS.get(change.kind, change.kind))})")
        if change.problem is not None:
            click.echo(f"  ! {change.problem}")
        for report in change.new_reports:
            by = f" [{report['by']}]" if report.get("by") else ""
            note = f"  {report['note']}" if report.get("note") else ""
            # A status given with the report belongs to it, like its percent (docs/reading.md rule 4).
            status = f" ({shown('status', report['status'])})" if report.get("status") else ""
            click.echo(
                "  + " + _("report {date}").format(date=report["date"]) + f"  {report['percent']:g}%{status}{by}{note}"
            )
        for field_change in change.changes:
            click.echo(
                f"  ~ {shown_field(field_change.field)}: {_short(field_change.field, field_change.before)} -> "
                f"{_short(field_change.field, field_change.after)}"
            )
    click.echo(
        ngettext(
            "{count} task changed from {since} to {until}",
            "{count} tasks changed from {since} to {until}",
            len(changes),
        ).format(count=len(changes), since=first.isoformat(), until=final.isoformat()),
        err=True,
    )
