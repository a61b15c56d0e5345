"""`duban merge-driver`: git's merge driver for task files (set up by `duban init`)."""

from __future__ import annotations

from pathlib import Path

import click

from duban.cli.base import Command
from duban.i18n import _


@click.command("merge-driver", cls=Command, hidden=True)
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("ours", type=click.Path(path_type=Path))
@click.argument("theirs", type=click.Path(path_type=Path))
@click.argument("path", required=False)
@click.pass_context
def merge_driver(ctx: click.Context, base: Path, ours: Path, theirs: Path, path: str | None) -> None:
    """git merge driver for task files (set up by `duban init`): BASE OURS THEIRS [PATH]."""
    # Deferred: loads duban.record.merging (14 duban modules in all; yaml) only when this runs
    from duban.record.merging import run_driver, whole_file_conflict

    original = ours.read_bytes() if ours.exists() else b""
    try:
        result = run_driver(base, ours, theirs)
    except BaseException:
        # git takes a failed driver's file as the result: it must show the conflict.
        theirs_bytes = theirs.read_bytes() if theirs.exists() else b""
        ours.write_bytes(
            whole_file_conflict(original.decode("latin-1"), theirs_bytes.decode("latin-1")).encode("latin-1")
        )
        raise
    if not result.clean:
        click.echo(
            _("duban: {path}: both sides changed {fields}; left as a conflict").format(
                path=path or ours, fields=", ".join(result.conflicts)
            ),
            err=True,
        )
        ctx.exit(1)
