"""`duban collect`: returned report forms read, checked, previewed and recorded."""

from __future__ import annotations

from pathlib import Path

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.context import today as recording_day
from duban.cli.exit_codes import ExitCode
from duban.cli.options import plan_option
from duban.i18n import _


@click.command(cls=Command)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE...|FOLDER")
@plan_option("Refuse forms of any other plan.")
@click.option("--period", metavar="YYYY-MM", help="Refuse forms of any other period (a month of it, or its deadline).")
@click.option("--unit", metavar="UNIT", shell_complete=completion.units, help="Refuse forms of any other unit.")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="The report date of forms whose date cell is empty.")
@click.option("--yes", "-y", is_flag=True, help="Record without asking (for scripts).")
@click.option("--dry-run", is_flag=True, help="Check and preview only; record nothing.")
@click.pass_context
def collect(
    ctx: click.Context,
    paths: tuple[Path, ...],
    plan_id: str | None,
    period: str | None,
    unit: str | None,
    date: str | None,
    yes: bool,
    dry_run: bool,
) -> None:
    """Read returned report forms (files, or the forms in a folder), check each, preview the
    reports, and once confirmed record each filled row as the unit's report, one commit each,
    as `duban progress` does. A form with a problem is refused whole, each problem named by
    file and cell; a file collected before, and rows already recorded, are not recorded again.

    \b
    Examples:
      duban collect 回收/
      duban collect 财政局.xlsx 税务局.xlsx --yes
    """
    # Deferred: loads duban.cli.output and 2 more (53 duban modules in all; ruamel, yaml) only when this runs
    from duban.cli.output import emit_table
    from duban.dates import parse_day
    from duban.forms.checked import PREVIEW_HEADINGS
    from duban.forms.collect import check, read_forms, record

    repo = repository(ctx)
    today = recording_day()
    day = parse_day(date, "--date") if date else None
    checked = check(repo, read_forms(repo, paths), today, plan_id=plan_id, period=period, unit=unit, date=day)
    refused = [c for c in checked if c.refused]
    for result in checked:
        for problem in result.form.problems:
            click.echo(_("duban: error: {problem}").format(problem=problem.format()), err=True)
        if result.refused:
            click.echo(_("duban: {file}: refused; nothing of it is recorded").format(file=result.form.name), err=True)
            continue
        for note in result.notes:
            click.echo(_("duban: note: {note}").format(note=note.format()), err=True)
        if result.collected_in:
            click.echo(
                _("duban: {file}: this file was collected before ({commit}); nothing is recorded again").format(
                    file=result.form.name, commit=result.collected_in[:10]
                ),
                err=True,
            )
        elif not result.form.filled:
            click.echo(_("duban: {file}: no row is filled in").format(file=result.form.name), err=True)
    shown = [(c, a) for c in checked if not c.refused and not c.collected_in for a in c.actions]
    if shown:
        emit_table(
            [list(a.preview_cells()) for _c, a in shown],
            [_(heading) for heading in PREVIEW_HEADINGS],
            wide=(8, 0),
            keep=(1, 2, 3, 7),
        )
    pending = [a for c in checked for a in c.to_record]
    click.echo(
        _("{forms} forms: {refused} refused; {count} reports to record").format(
            forms=len(checked), refused=len(refused), count=len(pending)
        ),
        err=True,
    )
    if not pending or dry_run:
        ctx.exit(ExitCode.PROBLEMS if refused else ExitCode.OK)
    if not yes:
        try:
            confirmed = click.confirm(
                _("Record these {count} reports?").format(count=len(pending)), default=False, err=True
            )
        except click.exceptions.Abort:
            confirmed = False
        if not confirmed:
            click.echo(_("duban: nothing recorded"), err=True)
            ctx.exit(ExitCode.PROBLEMS if refused else ExitCode.OK)
    failed = False
    for outcome in record(repo, checked, today):
        if outcome.withdrawn is not None:
            click.echo(f"{outcome.withdrawn.sha[:10]} {outcome.withdrawn.message.splitlines()[0]}")
        if outcome.recorded is not None:
            click.echo(f"{outcome.recorded.sha[:10]} {outcome.recorded.message.splitlines()[0]}")
        if outcome.error:
            failed = True
            click.echo(
                _("duban: error: {file}: task {ref}: {error}; the rest of this form is not recorded").format(
                    file=outcome.action.form.name, ref=outcome.action.ref, error=outcome.error
                ),
                err=True,
            )
    ctx.exit(ExitCode.PROBLEMS if refused or failed else ExitCode.OK)
