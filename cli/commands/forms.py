"""`duban forms` (one .xlsx per unit for a reporting period, and who has not returned it) and
`duban collect` (returned forms checked, previewed and recorded, one commit per report)."""
from __future__ import annotations

from pathlib import Path

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.exit_codes import ExitCode
from duban.i18n import N_, _
from duban.vocabulary import chinese

_KINDS = {"new": N_("new"), "correct": N_("correction"), "same": N_("already recorded")}


def _plan_ids(repo, given: tuple[str, ...]) -> list[str]:
    # Deferred: loads duban.store.repository (11 duban modules in all) only when this runs
    from duban.store.repository import chosen_plan

    if given:
        for plan_id in given:
            repo.plan(plan_id)
        return list(dict.fromkeys(given))
    return [chosen_plan(repo, None)]


def _today():
    # Deferred: loads duban.record.commit_message (5 duban modules in all) only when this runs
    from duban.record.commit_message import recording_time

    return recording_time().date()


@click.command(cls=Command)
@click.option("--plan", "plan_ids", multiple=True, metavar="PLAN-ID", shell_complete=completion.plan_ids,
              help="The plan (repeatable; each gets its own folder). Default: the only plan.")
@click.option("--period", metavar="YYYY-MM", help="A month of the period, or the deadline's day. Default: the "
              "period now due (the first deadline on or after today; a past plan's last).")
@click.option("--unit", "units", multiple=True, metavar="UNIT", shell_complete=completion.units,
              help="Only this unit's form (repeatable). Default: every unit with a task open in the period.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write to (made when missing). Default: ./forms-PLAN-DEADLINE/.")
@click.option("--missing", is_flag=True, help="Write nothing: list the units with tasks on their form that "
              "have no report of their own in the period's window, those that returned nothing first.")
@click.pass_context
def forms(ctx: click.Context, plan_ids: tuple[str, ...], period: str | None, units: tuple[str, ...],
          output: Path | None, missing: bool) -> None:
    """Write one .xlsx report form per unit for a reporting period: the unit's tasks as lead
    and as support, each with its target, the period's milestone and the unit's own last
    report, and yellow input cells (percent, value, status, progress, problems, next steps,
    the report date). The unit fills it in Excel, WPS or LibreOffice and sends it back for
    `duban collect`.

    \b
    Examples:
      duban forms --plan 2019-changning --period 2019-06 -o 六月报送表
      duban forms --missing --period 2019-06
    """
    # Deferred: loads duban.cli.output and 2 more (23 duban modules in all) only when this runs
    from duban.cli.output import emit_table
    from duban.forms.contents import choose_deadline, period_words, unit_forms
    from duban.forms.writer import write_forms

    repo = repository(ctx)
    today = _today()
    chosen = _plan_ids(repo, plan_ids)
    for plan_id in chosen:
        plan = repo.plan(plan_id)
        deadline = choose_deadline(plan, today, period)
        if missing:
            # Deferred: loads duban.forms.contents (19 duban modules in all) only when this runs
            from duban.forms.contents import missing as missing_units

            found = missing_units(repo, plan_id, deadline)
            rows = [[m.unit, str(m.rows), str(len(m.unreported)), str(m.lead_unreported), "、".join(m.unreported)]
                    for m in found]
            emit_table(rows, [_("unit"), _("tasks on the form"), _("not reported"), _("as lead"), _("tasks")],
                       wide=(4,), keep=(0, 1, 2, 3))
            click.echo(_("{plan} {period} (due {day}): {count} units have tasks without a report of their own, "
                         "{none} returned nothing").format(
                plan=plan_id, period=period_words(deadline), day=deadline.day.isoformat(), count=len(found),
                none=sum(1 for m in found if len(m.unreported) == m.rows)), err=True)
            continue
        found_forms = unit_forms(repo, plan_id, deadline, units)
        folder = output or Path(f"forms-{plan_id}-{deadline.day.isoformat()}")
        if output is not None and len(chosen) > 1:
            folder = output / plan_id
        written = write_forms(repo, found_forms, folder, today)
        emit_table([[w.unit, str(w.rows), str(w.path)] for w in written], [_("unit"), _("tasks"), _("file")],
                   wide=(2,), keep=(0, 1))
        click.echo(_("wrote {count} forms of {plan} for {period} (due {day}) to {folder}").format(
            count=len(written), plan=plan_id, period=period_words(deadline), day=deadline.day.isoformat(),
            folder=folder), err=True)


@click.command(cls=Command)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE...|FOLDER")
@click.option("--plan", "plan_id", metavar="PLAN-ID", shell_complete=completion.plan_ids,
              help="Refuse forms of any other plan.")
@click.option("--period", metavar="YYYY-MM", help="Refuse forms of any other period (a month of it, or its deadline).")
@click.option("--unit", metavar="UNIT", shell_complete=completion.units, help="Refuse forms of any other unit.")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="The report date of forms whose date cell is empty.")
@click.option("--yes", "-y", is_flag=True, help="Record without asking (for scripts).")
@click.option("--dry-run", is_flag=True, help="Check and preview only; record nothing.")
@click.pass_context
def collect(ctx: click.Context, paths: tuple[Path, ...], plan_id: str | None, period: str | None, unit: str | None,
            date: str | None, yes: bool, dry_run: bool) -> None:
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
    from duban.forms.collect import check, read_forms, record

    repo = repository(ctx)
    today = _today()
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
            click.echo(_("duban: {file}: this file was collected before ({commit}); nothing is recorded again").format(
                file=result.form.name, commit=result.collected_in[:10]), err=True)
        elif not result.form.filled:
            click.echo(_("duban: {file}: no row is filled in").format(file=result.form.name), err=True)
    shown = [(c, a) for c in checked if not c.refused and not c.collected_in for a in c.actions]
    if shown:
        rows = [[a.form.name, a.unit, a.ref.rsplit("/", 1)[1], f"{a.percent:g}%",
                 "" if a.value is None else f"{a.value:g}", chinese("status", a.status) if a.status else "",
                 a.day.isoformat(), _(_KINDS[a.kind]), (a.note or "").replace("\n", " ")] for _c, a in shown]
        emit_table(rows, [_("file"), _("unit"), _("task"), _("percent"), _("value"), _("status"), _("date"),
                          _("action"), _("note")], wide=(8, 0), keep=(1, 2, 3, 7))
    pending = [a for c in checked for a in c.to_record]
    click.echo(_("{forms} forms: {refused} refused; {count} reports to record").format(
        forms=len(checked), refused=len(refused), count=len(pending)), err=True)
    if not pending or dry_run:
        ctx.exit(ExitCode.PROBLEMS if refused else ExitCode.OK)
    if not yes:
        try:
            confirmed = click.confirm(_("Record these {count} reports?").format(count=len(pending)), default=False,
                                      err=True)
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
            click.echo(_("duban: error: {file}: task {ref}: {error}; the rest of this form is not recorded").format(
                file=outcome.action.form.name, ref=outcome.action.ref, error=outcome.error), err=True)
    ctx.exit(ExitCode.PROBLEMS if refused or failed else ExitCode.OK)
