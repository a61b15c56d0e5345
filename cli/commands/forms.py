"""`duban forms`: one .xlsx report form per unit for a reporting period."""

from __future__ import annotations

from pathlib import Path

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.context import today as recording_day
from duban.cli.options import plan_option
from duban.i18n import _


def _plan_ids(repo, given: tuple[str, ...]) -> list[str]:
    # Deferred: loads duban.store.repository (11 duban modules in all) only when this runs
    from duban.store.repository import chosen_plan

    if given:
        for plan_id in given:
            repo.plan(plan_id)
        return list(dict.fromkeys(given))
    return [chosen_plan(repo, None)]


@click.command(cls=Command)
@plan_option("The plan (repeatable; each gets its own folder). Default: the only plan.", several=True)
@click.option(
    "--period",
    metavar="YYYY-MM",
    help="A month of the period, or the deadline's day. Default: the "
    "period now due (the first deadline on or after today; a past plan's last).",
)
@click.option(
    "--unit",
    "units",
    multiple=True,
    metavar="UNIT",
    shell_complete=completion.units,
    help="Only this unit's form (repeatable). Default: every unit with a task open in the period.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write to (made when missing). Default: ./forms-PLAN-DEADLINE/.",
)
@click.option(
    "--missing",
    is_flag=True,
    help="Write nothing: list the units with tasks on their form that "
    "have no report of their own in the period's window, those that returned nothing first.",
)
@click.pass_context
def forms(
    ctx: click.Context,
    plan_ids: tuple[str, ...],
    period: str | None,
    units: tuple[str, ...],
    output: Path | None,
    missing: bool,
) -> None:
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
    today = recording_day()
    chosen = _plan_ids(repo, plan_ids)
    for plan_id in chosen:
        plan = repo.plan(plan_id)
        deadline = choose_deadline(plan, today, period)
        if missing:
            # Deferred: loads duban.forms.contents (19 duban modules in all) only when this runs
            from duban.forms.contents import missing as missing_units

            found = missing_units(repo, plan_id, deadline)
            rows = [
                [m.unit, str(m.rows), str(len(m.unreported)), str(m.lead_unreported), "、".join(m.unreported)]
                for m in found
            ]
            emit_table(
                rows,
                [_("unit"), _("tasks on the form"), _("not reported"), _("as lead"), _("tasks")],
                wide=(4,),
                keep=(0, 1, 2, 3),
            )
            click.echo(
                _(
                    "{plan} {period} (due {day}): {count} units have tasks without a report of their own, "
                    "{none} returned nothing"
                ).format(
                    plan=plan_id,
                    period=period_words(deadline),
                    day=deadline.day.isoformat(),
                    count=len(found),
                    none=sum(1 for m in found if len(m.unreported) == m.rows),
                ),
                err=True,
            )
            continue
        found_forms = unit_forms(repo, plan_id, deadline, units)
        folder = output or Path(f"forms-{plan_id}-{deadline.day.isoformat()}")
        if output is not None and len(chosen) > 1:
            folder = output / plan_id
        written = write_forms(repo, found_forms, folder, today)
        emit_table(
            [[w.unit, str(w.rows), str(w.path)] for w in written],
            [_("unit"), _("tasks"), _("file")],
            wide=(2,),
            keep=(0, 1),
        )
        click.echo(
            _("wrote {count} forms of {plan} for {period} (due {day}) to {folder}").format(
                count=len(written),
                plan=plan_id,
                period=period_words(deadline),
                day=deadline.day.isoformat(),
                folder=folder,
            ),
            err=True,
        )
