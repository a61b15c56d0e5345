"""`duban init`: a plan repository made, or duban's setup added to a clone."""

from __future__ import annotations

from pathlib import Path

import click

from duban.cli.base import Command
from duban.i18n import _


@click.command(cls=Command)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option(
    "--server",
    "server",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Set up DIR as the shared bare repository instead, guarded by `duban guard`.",
)
@click.option(
    "--office",
    "offices",
    multiple=True,
    metavar="ACCOUNT",
    help="With --server: the office's account, which may push before access.yaml exists.",
)
def init(folder: Path, server: Path | None, offices: tuple[str, ...]) -> None:
    """Create a plan repository in FOLDER (default: here), or add duban's setup to a clone:
    git, plans/, schema/, .gitattributes with the merge driver, a pre-commit config.

    \b
    Examples:
      duban init office
      duban init --server /srv/git/plan.git --office duchake
    """
    if server is not None:
        # Deferred: loads duban.guard.server (5 duban modules in all) only when this runs
        from duban.guard.server import init_server

        for item in init_server(server.resolve(), offices):
            click.echo(_("created {item}").format(item=item))
        return
    # Deferred: loads duban.record.scaffold (5 duban modules in all) only when this runs
    from duban.record.scaffold import init_repository

    for item in init_repository(folder.resolve()):
        click.echo(_("created {item}").format(item=_(item)))
