"""`duban init`, `duban sync` and `duban merge-driver`: several units, one plan, one remote."""
from __future__ import annotations

from pathlib import Path

import click

from duban.cli.base import Command

from duban.i18n import _

from duban.cli.context import repository


@click.command(cls=Command)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--server", "server", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Set up DIR as the shared bare repository instead, guarded by `duban guard`.")
@click.option("--office", "offices", multiple=True, metavar="ACCOUNT",
              help="With --server: the office's account, which may push before access.yaml exists.")
def init(folder: Path, server: Path | None, offices: tuple[str, ...]) -> None:
    """Create a plan repository in FOLDER (default: here), or add duban's setup to a clone:
    git, plans/, schema/, .gitattributes with the merge driver, a pre-commit config.

    \b
    Examples:
      duban init office
      duban init --server /srv/git/plan.git --office duchake
    """
    if server is not None:
        from duban.guard.server import init_server

        for item in init_server(server.resolve(), offices):
            click.echo(_("created {item}").format(item=item))
        return
    from duban.record.scaffold import init_repository

    for item in init_repository(folder.resolve()):
        click.echo(_("created {item}").format(item=_(item)))


@click.command(cls=Command)
@click.option("--remote", metavar="NAME", help="Remote to sync with (default: the branch's upstream or origin).")
@click.pass_context
def sync(ctx: click.Context, remote: str | None) -> None:
    """Pull other units' commits (task files merge field by field), then push yours.

    \b
    Examples:
      duban sync
      duban sync --remote origin
    """
    from duban.record.sync import sync as run_sync

    result = run_sync(repository(ctx), remote)
    click.echo(result.describe())
    for line in result.seal_warnings:
        click.echo(_("duban: warning: {line}").format(line=line), err=True)
    if result.seal_warnings:
        click.echo(_("duban: run duban verify for the seals this clone judges by"), err=True)


@click.command("merge-driver", cls=Command, hidden=True)
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("ours", type=click.Path(path_type=Path))
@click.argument("theirs", type=click.Path(path_type=Path))
@click.argument("path", required=False)
@click.pass_context
def merge_driver(ctx: click.Context, base: Path, ours: Path, theirs: Path, path: str | None) -> None:
    """git merge driver for task files (set up by `duban init`): BASE OURS THEIRS [PATH]."""
    from duban.record.merging import run_driver, whole_file_conflict

    original = ours.read_bytes() if ours.exists() else b""
    try:
        result = run_driver(base, ours, theirs)
    except BaseException:
        # git takes a failed driver's file as the result: it must show the conflict.
        theirs_bytes = theirs.read_bytes() if theirs.exists() else b""
        ours.write_bytes(whole_file_conflict(original.decode("latin-1"), theirs_bytes.decode("latin-1"))
                         .encode("latin-1"))
        raise
    if not result.clean:
        click.echo(_("duban: {path}: both sides changed {fields}; left as a conflict").format(
            path=path or ours, fields=", ".join(result.conflicts)), err=True)
        ctx.exit(1)


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
    from duban.record.migrating import migrate as run_migrate

    repo = repository(ctx)
    migration = run_migrate(repo)
    for path, date in migration.left:
        click.echo(_("{path}: left as a list: its report of {date} names no unit (add by: and migrate again)").format(
            path=repo.display(path), date=date), err=True)
    if migration.sha is None:
        click.echo(_("every task already keeps its reports by unit; nothing was committed"))
    else:
        click.echo(_("{sha} {count} task files now keep their reports by unit; every other clone: duban sync").format(
            sha=migration.sha[:10], count=len(migration.changed)))
