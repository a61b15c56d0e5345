"""`duban verify`: every seal checked: the office's, and what it holds unchanged."""

from __future__ import annotations

import click

from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.exit_codes import ExitCode
from duban.cli.options import plan_option
from duban.i18n import _, ngettext


@click.command(cls=Command)
@plan_option("Only this plan's seals.")
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
    click.echo(
        ngettext("{count} seal checked", "{count} seals checked", len(result.seals)).format(count=len(result.seals))
        + ", "
        + ngettext("{count} sealed report", "{count} sealed reports", result.reports_checked).format(
            count=result.reports_checked
        )
        + ": "
        + (
            ngettext("{count} problem", "{count} problems", len(result.findings)).format(count=len(result.findings))
            if result.findings
            else _("all unchanged")
        ),
        err=True,
    )
    ctx.exit(ExitCode.PROBLEMS if result.findings else ExitCode.OK)
