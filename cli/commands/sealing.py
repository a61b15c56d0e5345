"""`duban seal` and `duban verify`: the supervision office's seal of each reporting deadline."""
from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.exit_codes import ExitCode
from duban.i18n import _, ngettext


def _only_plan(repo, plan_id: str | None) -> str:
    from duban.errors import DubanError

    if plan_id:
        repo.plan(plan_id)
        return plan_id
    ids = repo.plan_ids()
    if len(ids) != 1:
        raise DubanError(_("{count} plans in this repository").format(count=len(ids)),
                         hint=_("choose one with --plan: {plans}").format(plans=", ".join(ids)))
    return ids[0]


@click.command(cls=Command)
@click.option("--plan", "plan_id", metavar="PLAN-ID", shell_complete=completion.plan_ids,
              help="Default: the repository's only plan.")
@click.option("--deadline", metavar="YYYY-MM-DD", help="The reporting deadline to seal. Default: the latest passed.")
@click.pass_context
def seal(ctx: click.Context, plan_id: str | None, deadline: str | None) -> None:
    """Seal a reporting deadline: tag HEAD (annotated; signed where git has a signing key) as
    the record at that deadline. Lateness and on-time scores are then judged by what the seal
    holds. Run it after `duban sync`, then push the tag (git push origin --tags).

    \b
    Example:
      duban seal --plan 2019-changning --deadline 2019-06-25
    """
    from duban.dates import parse_day
    from duban.supervise.seals import seal as make_seal

    repo = repository(ctx)
    made = make_seal(repo, _only_plan(repo, plan_id), parse_day(deadline, "--deadline") if deadline else None)
    signed = _("signed") if made.signed else _("not signed: no user.signingkey")
    click.echo(f"{made.tag} {made.commit[:10]} ({signed})")


@click.command(cls=Command)
@click.option("--plan", "plan_id", metavar="PLAN-ID", shell_complete=completion.plan_ids,
              help="Only this plan's seals.")
@click.pass_context
def verify(ctx: click.Context, plan_id: str | None) -> None:
    """Check that no report a seal holds was changed or removed afterwards, and that every
    sealed commit is still in HEAD's history. Exit 1 naming the task and the report.

    \b
    Example:
      duban verify --plan 2019-changning
    """
    from duban.supervise.seals import verify as check

    repo = repository(ctx)
    if plan_id:
        repo.plan(plan_id)
    result = check(repo, plan_id)
    for finding in result.findings:
        click.echo(finding.format())
    click.echo(ngettext("{count} seal checked", "{count} seals checked", len(result.seals)).format(
        count=len(result.seals)) + ", " + ngettext("{count} sealed report", "{count} sealed reports",
                                                  result.reports_checked).format(count=result.reports_checked)
        + ": " + (ngettext("{count} problem", "{count} problems", len(result.findings)).format(
            count=len(result.findings)) if result.findings else _("all unchanged")), err=True)
    ctx.exit(ExitCode.PROBLEMS if result.findings else ExitCode.OK)
