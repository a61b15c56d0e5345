"""`duban seal` and `duban verify`: the supervision office's seal of each reporting deadline."""
from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.exit_codes import ExitCode
from duban.i18n import _, ngettext


def _only_plan(repo, plan_id: str | None) -> str:
    # Deferred: loads duban.errors only when this runs
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
@click.option("--late", is_flag=True,
              help="Seal a deadline that passed on an earlier day: the seal holds only the reports recorded by it.")
@click.option("--no-fetch", is_flag=True,
              help="Do not fetch first: seal against the shared branch as this clone last fetched it.")
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
    made = make_seal(repo, _only_plan(repo, plan_id), parse_day(deadline, "--deadline") if deadline else None,
                     late=late, fetch=not no_fetch)
    signed = _("signed") if made.signed else _("not signed: no user.signingkey")
    held = sum(map(len, (made.held or {}).values()))
    late_words = _("late: holds the {count} reports recorded by the deadline").format(count=held) if made.late \
        else ngettext("holds {count} report", "holds {count} reports", held).format(count=held)
    click.echo(f"{made.tag} {made.commit[:10]} ({signed}; {late_words})")


@click.command(cls=Command)
@click.option("--plan", "plan_id", metavar="PLAN-ID", shell_complete=completion.plan_ids,
              help="Only this plan's seals.")
@click.pass_context
def verify(ctx: click.Context, plan_id: str | None) -> None:
    """Check every seal: that it is the office's (signed by a key of .duban/seal-signers where
    the repository names one) and the one this clone saw first, that the remote holds the same
    (as of the last sync), that no report it holds was changed or removed afterwards, that every
    sealed commit is still in HEAD's history, and that no deadline since sealing began lacks a
    seal. Exit 1 naming the seal, the task and the report. Where the repository has an access
    file, also how many of each unit's reports are signed by its own key, unsigned, signed by
    the office or by another key (the figures of `duban guard --signatures`).

    \b
    Example:
      duban verify --plan 2019-changning
    """
    # Deferred: loads duban.supervise.seals.verifying (19 duban modules in all) only when this runs
    from duban.supervise.seals.verifying import verify as check

    repo = repository(ctx)
    if plan_id:
        repo.plan(plan_id)
    result = check(repo, plan_id)
    for finding in result.findings:
        click.echo(finding.format())
    # Deferred: loads duban.guard.signatures (9 duban modules in all) only when this runs
    from duban.guard.signatures import described, has_access_file, signatures

    if has_access_file(repo.root):  # who signed each unit's reports, as `duban guard --signatures` counts
        click.echo(_("reports per unit, by who signed them (access.yaml's keys):"))
        for line in described(signatures(repo.root, plan_id=plan_id)):
            click.echo("  " + line)
    click.echo(ngettext("{count} seal checked", "{count} seals checked", len(result.seals)).format(
        count=len(result.seals)) + ", " + ngettext("{count} sealed report", "{count} sealed reports",
                                                  result.reports_checked).format(count=result.reports_checked)
        + ": " + (ngettext("{count} problem", "{count} problems", len(result.findings)).format(
            count=len(result.findings)) if result.findings else _("all unchanged")), err=True)
    ctx.exit(ExitCode.PROBLEMS if result.findings else ExitCode.OK)
