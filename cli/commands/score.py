"""`duban score`: every unit scored by the plan's scoring rules, worst first."""

from __future__ import annotations

import click

from duban.cli.base import Command
from duban.cli.context import left_out, repository
from duban.cli.options import format_option, plan_option
from duban.i18n import N_, _

RULE_WORDS = {
    "late_report": N_("late report"),
    "red_at_deadline": N_("red at the deadline"),
    "yellow_at_deadline": N_("yellow at the deadline"),
    "done_early": N_("done early"),
}


ROLE_WORDS = {"lead": N_("lead"), "support": N_("support")}


def _point_line(point) -> str:
    when = _("deadline {date}") if point.rule != "done_early" else _("done {date}")
    return (
        f"  {point.points:+g}  {_(RULE_WORDS[point.rule])} ({_(ROLE_WORDS[point.role])})  "
        f"{point.task.ref} {point.task.title}  {when.format(date=point.day.isoformat())}"
    )


@click.command("score", cls=Command)
@plan_option("Default: the only plan of the month's year.")
@click.option(
    "--month",
    metavar="YYYY-MM",
    help="Score as the month's circular does: up to the last deadline that "
    "reports on the month, or the month's end (default: today, or a past plan's last reporting deadline).",
)
@click.option(
    "--what-if",
    "what_if",
    metavar="RULES",
    help="Other weights beside the plan's: RULE[:ROLE]=POINTS,... e.g. red_at_deadline:lead=-3,start=90.",
)
@format_option(["text", "table", "json"], "text: the table and every point; table: the table only.", default="text")
@click.pass_context
def score_command(
    ctx: click.Context, plan_id: str | None, month: str | None, what_if: str | None, output_format: str
) -> None:
    """Score every unit from the plan's scoring rules (plan.yaml `scoring:`), worst first,
    with each point's task and deadline. Collective names (各街镇, 相关部门) are not ranked.

    \b
    Examples:
      duban score --plan 2019-changning --month 2019-06
      duban score --month 2019-06 --what-if red_at_deadline:lead=-3
    """
    # Deferred: loads duban.dates and 3 more (36 duban modules in all) only when this runs
    from duban.dates import parse_month
    from duban.model import natural_key
    from duban.store.repository import chosen_plan
    from duban.supervise import deadlines as reporting_calendar
    from duban.supervise import scoring
    from duban.supervise.circular.building import plan_year

    repo = repository(ctx)
    if month:
        first, _last = parse_month(month, year=plan_year(repo, plan_id))
        plan_id = chosen_plan(repo, plan_id, first.year)
        # Read where the month's circular reads (reports due 5 June tell May's story), so its 附件2
        # and this table give one figure.
        as_of = reporting_calendar.month_as_of(repo.plan(plan_id), first.year, first.month)
    else:
        # Deferred: loads duban.store.repository (11 duban modules in all) only when this runs
        from duban.store.repository import chosen_plan

        plan_id = chosen_plan(repo, plan_id)
        as_of = scoring.default_as_of(repo.plan(plan_id))
    result = scoring.score(repo, plan_id, as_of)
    # Deferred: loads duban.supervise.selection (22 duban modules in all) only when this runs
    from duban.supervise.selection import select

    # A task file that cannot be read is named and ends in exit 1, as in list and report (N8):
    # a unit cannot take a red task out of its score by breaking the file.
    unreadable = select(repo, [plan_id], as_of).problems
    other = None
    if what_if:
        start, rules = scoring.what_if(result.rules, result.start, what_if)
        other = scoring.score(repo, plan_id, as_of, rules=rules, start=start)
    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        def as_dict(unit: scoring.UnitScore) -> dict[str, object]:
            data: dict[str, object] = {
                "unit": unit.unit,
                "score": unit.score,
                "rank": unit.rank,
                "on_time_rate": unit.on_time_rate,
                "points": [
                    {"rule": p.rule, "role": p.role, "points": p.points, "task": p.task.ref, "date": p.day.isoformat()}
                    for p in unit.points
                ],
            }
            if other is not None:
                changed = other.of(unit.unit)
                data["what_if"] = {"score": changed.score, "rank": changed.rank} if changed else None
            return data

        emit_json(
            {
                "plan": plan_id,
                "as_of": as_of.isoformat(),
                "units": [as_dict(u) for u in result.units],
                "escalations": [
                    {
                        "task": e.task.ref,
                        "units": list(e.units),
                        "action": e.action,
                        "dates": [d.isoformat() for d in e.days],
                    }
                    for e in result.escalations
                ],
            }
        )
        left_out(ctx, unreadable)
        return
    # Deferred: loads duban.cli.output only when this runs
    from duban.cli.output import emit_table

    headers = [_("rank"), _("unit"), _("score"), _("on-time %"), _("points")]
    rows = []
    for unit in result.units:
        row = [
            unit.shown_rank,
            unit.unit,
            f"{unit.score:g}",
            "" if unit.on_time_rate is None else f"{unit.on_time_rate:g}",
            str(len(unit.points)),
        ]
        if other is not None:
            changed = other.of(unit.unit)
            row += [f"{changed.score:g}", changed.shown_rank] if changed else ["", ""]
        rows.append(row)
    if other is not None:
        headers += [_("what-if score"), _("what-if rank")]
    emit_table(rows, headers, wide=(1,), keep=tuple(i for i in range(len(headers)) if i != 1))
    if output_format == "text":
        for unit in result.units:
            if unit.points:
                click.echo(f"\n{unit.unit}  {unit.score:g}")
                for point in sorted(unit.points, key=lambda p: (p.day, natural_key(p.task.id), p.rule)):
                    click.echo(_point_line(point))
        if result.escalations:
            click.echo("\n" + _("escalation:"))
            for step in result.escalations:
                click.echo(
                    f"  {step.action}  {'、'.join(step.units)}  {step.task.ref} {step.task.title}  "
                    + ", ".join(d.isoformat() for d in step.days)
                )
    click.echo(
        _("as of {date}; {count} units ranked").format(
            date=as_of.isoformat(), count=sum(u.rank is not None for u in result.units)
        ),
        err=True,
    )
    left_out(ctx, unreadable)
