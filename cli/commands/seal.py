"""`duban seal`: a reporting deadline sealed with a tag."""

from __future__ import annotations

import click

from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.options import plan_option
from duban.i18n import _, ngettext


def _only_plan(repo, plan_id: str | None) -> str:
    # Deferred: loads duban.errors only when this runs
    from duban.errors import DubanError

    if plan_id:
        repo.plan(plan_id)
        return plan_id
    ids = repo.plan_ids()
    if len(ids) != 1:
        raise DubanError(
            _("{count} plans in this repository").format(count=len(ids)),
            hint=_("choose one with --plan: {plans}").format(plans=", ".join(ids)),
        )
    return ids[0]


@click.command(cls=Command)
@plan_option("Default: the repository's only plan.")
@click.option("--deadline", metavar="YYYY-MM-DD", help="The reporting deadline to seal. Default: the latest passed.")
@click.option(
    "--late",
    is_flag=True,
    help="Seal a deadline that passed on an earlier day: the seal holds only the reports recorded by it.",
)
@click.option(
    "--no-fetch", is_flag=True, help="Do not fetch first: seal against the shared branch as this clone last fetched it."
)
@click.pass_context
def seal(ctx: click.Context, plan_id: str | None, deadline: str | None, late: bool, no_fetch: bool) -> None:
    """Seal a reporting deadline: tag HEAD (annotated; signed where git has a signing key) as
    the record at that deadline, listing each report it holds by content. Lateness and on-time
    scores are then judged by what the seal holds. It fetches first and refuses a HEAD behind
    or ahead of the shared branch; after the deadline's day it needs --late. Push the tag
    afterwards (git push origin --tags).

    \b
    Example:
      duban sync && duban seal --plan 2019-changning --deadline 2019-06-25
    """
    # Deferred: loads duban.dates and 1 more (20 duban modules in all) only when this runs
    from duban.dates import parse_day
    from duban.supervise.seals.making import seal as make_seal

    repo = repository(ctx)
    made = make_seal(
        repo,
        _only_plan(repo, plan_id),
        parse_day(deadline, "--deadline") if deadline else None,
        late=late,
        fetch=not no_fetch,
    )
    signed = _("signed") if made.signed else _("not signed: no user.signingkey")
    held = sum(map(len, (made.held or {}).values()))
    late_words = (
        _("late: holds the {count} reports recorded by the deadline").format(count=held)
        if made.late
        else ngettext("holds {count} report", "holds {count} reports", held).format(count=held)
    )
    click.echo(f"{made.tag} {made.commit[:10]} ({signed}; {late_words})")
