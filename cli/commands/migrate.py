"""`duban migrate`: every task's reports kept by unit, in one commit."""

from __future__ import annotations

import click

from duban.cli.base import Command
from duban.cli.context import repository
from duban.i18n import _


@click.command(cls=Command)
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Keep every task's reports by unit, in one commit, so that two units reporting on one
    task merge cleanly even where git merges without duban's driver (a forge). Run it in one
    clone; every other clone syncs before recording again. Running it again changes nothing.

    \b
    Example:
      duban migrate && duban sync
    """
    # Deferred: loads duban.record.migrating (42 duban modules in all; ruamel, yaml) only when this runs
    from duban.record.migrating import migrate as run_migrate

    repo = repository(ctx)
    migration = run_migrate(repo)
    for path, date in migration.left:
        click.echo(
            _("{path}: left as a list: its report of {date} names no unit (add by: and migrate again)").format(
                path=repo.display(path), date=date
            ),
            err=True,
        )
    if migration.sha is None:
        click.echo(_("every task already keeps its reports by unit; nothing was committed"))
    else:
        click.echo(
            _("{sha} {count} task files now keep their reports by unit; every other clone: duban sync").format(
                sha=migration.sha[:10], count=len(migration.changed)
            )
        )
