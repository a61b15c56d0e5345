"""`duban init`, `duban sync` and `duban merge-driver`: several units, one plan, one remote."""
from __future__ import annotations

from pathlib import Path

import click

from duban.cli.base import Command

from duban.i18n import _

from duban.cli.context import repository


@click.command(cls=Command)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
def init(folder: Path) -> None:
    """Create a plan repository in FOLDER (default: here), or add duban's setup to a clone:
    git, plans/, schema/, .gitattributes with the merge driver, a pre-commit config.

    \b
    Example:
      duban init office
    """
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

    click.echo(run_sync(repository(ctx), remote).describe())


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
