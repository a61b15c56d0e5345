"""`duban log`: the plan-wide record of reports and changes, newest first."""

from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.options import format_option, plan_option
from duban.cli.output import echo_commit_line
from duban.i18n import _, ngettext


def _known_unit(repo, name: str) -> str:
    """The unit `name` names in some plan (a name, an alias or pinyin initials), or an error
    with the nearest names: an unknown unit must not give an empty log."""
    # Deferred: loads duban.errors and 1 more (14 duban modules in all) only when this runs
    from duban.errors import DubanError
    from duban.record.typed_values import unit_by_initials

    plans = repo.plans()
    for plan in plans:
        unit = plan.units.resolve(name) or unit_by_initials(plan, name)
        if unit is not None:
            return name if plan.units.resolve(name) else unit.name
    close = list(dict.fromkeys(s for plan in plans for s in plan.units.suggest(name)))[:3]
    raise DubanError(
        _("no plan has a unit {name!r}").format(name=name),
        hint=_("did you mean {names}?").format(names=_(" or ").join(repr(c) for c in close))
        if close
        else _("`duban units` lists them"),
    )


@click.command("log", cls=Command)
@plan_option("Only this plan.")
@click.option(
    "--since", metavar="YYYY-MM-DD", help="From this day (a report by its report date, any other change by its date)."
)
@click.option("--until", metavar="YYYY-MM-DD", help="Up to and including this day.")
@click.option(
    "--unit", metavar="UNIT", shell_complete=completion.units, help="Only reports by this unit (name or alias)."
)
@format_option(["text", "json"], "text: for reading; json: for scripts.", default="text")
@click.pass_context
def log(
    ctx: click.Context, plan_id: str | None, since: str | None, until: str | None, unit: str | None, output_format: str
) -> None:
    """The plan-wide record of reports and changes, newest first.

    \b
    Examples:
      duban log --plan 2019-changning --since 2019-06-01
      duban log --unit 发改委 --format json
    """
    # Deferred: loads duban.record.history (14 duban modules in all) only when this runs
    from duban.record.history import plan_log

    repo = repository(ctx)
    # Deferred: loads duban.dates (2 duban modules in all) only when this runs
    from duban.dates import period_end

    # A month stands for its days: --since 2019-06 is from 1 June, --until 2019-06 to 30 June.
    since = period_end(since, "--since", last=False).isoformat() if since else None
    until = period_end(until, "--until", last=True).isoformat() if until else None
    commits = plan_log(repo, plan_id, since, until, _known_unit(repo, unit) if unit else None)
    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        emit_json(
            [
                {
                    "sha": c.sha,
                    "date": c.date,
                    "author": c.author,
                    "subject": c.subject,
                    "trailers": c.trailers,
                    "paths": c.paths,
                }
                for c in commits
            ]
        )
        return
    for commit in commits:
        echo_commit_line(commit)
    click.echo(ngettext("{count} commit", "{count} commits", len(commits)).format(count=len(commits)), err=True)
