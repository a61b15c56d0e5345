"""`duban sync`: other units' reports pulled and merged, yours pushed; or exchanged by bundle file."""

from __future__ import annotations

from pathlib import Path

import click

from duban.cli.base import Command
from duban.cli.context import repository
from duban.i18n import _, ngettext


@click.command(cls=Command)
@click.option("--remote", metavar="NAME", help="Remote to sync with (default: the branch's upstream or origin).")
@click.option(
    "--to",
    "to_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write what the peer lacks as a bundle FILE (and FILE.manifest.txt) to carry across networks.",
)
@click.option(
    "--from",
    "from_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Check a bundle FILE another clone wrote and merge it, as a sync from a remote would.",
)
@click.option("--peer", metavar="NAME", help="With --to: the clone the bundle is for (default: the only one known).")
@click.option("--full", is_flag=True, help="With --to: carry the whole history, assuming nothing.")
@click.pass_context
def sync(
    ctx: click.Context, remote: str | None, to_file: Path | None, from_file: Path | None, peer: str | None, full: bool
) -> None:
    """Pull other units' commits (task files merge field by field), then push yours. Across
    networks that never touch, exchange by file instead: --to FILE writes a git bundle of what
    the peer lacks since the last state it is known to have, with a manifest in Chinese beside
    it; --from FILE checks a bundle and merges it.

    \b
    Examples:
      duban sync
      duban sync --remote origin
      duban sync --to /media/usb/2019-05.bundle --peer 商务委
      duban sync --from /media/usb/2019-05.bundle
    """
    if sum(option is not None for option in (remote, to_file, from_file)) > 1:
        raise click.UsageError(_("use one of --remote, --to and --from"))
    if (peer is not None or full) and to_file is None:
        raise click.UsageError(_("--peer and --full go with --to"))
    if to_file is not None:
        # Deferred: loads duban.record.exchange (22 duban modules in all; yaml) only when this runs
        from duban.record.exchange import write_bundle

        sent = write_bundle(repository(ctx), to_file, peer, full)
        click.echo(
            ngettext(
                "wrote {path} for {peer}: {count} commit", "wrote {path} for {peer}: {count} commits", sent.commits
            ).format(path=sent.path, peer=sent.peer, count=sent.commits)
        )
        click.echo(_("manifest: {path}").format(path=sent.manifest))
        return
    if from_file is not None:
        # Deferred: loads duban.guard.bundles and 1 more (30 duban modules in all; yaml) only when this runs
        from duban.guard.bundles import bundle_refusals
        from duban.record.exchange import read_bundle

        repo = repository(ctx)
        received = read_bundle(repo, from_file, check=bundle_refusals)
        click.echo(received.describe())
        if received.seals:
            # Deferred: loads duban.supervise.exchange_seals (31 duban modules in all; yaml) only when this runs
            from duban.supervise.exchange_seals import receive_seals

            for line in receive_seals(repo, from_file, received.sender):
                click.echo(_("duban: warning: {line}").format(line=line), err=True)
        return
    # Deferred: loads duban.record.sync (21 duban modules in all; yaml) only when this runs
    from duban.record.sync import sync as run_sync

    result = run_sync(repository(ctx), remote)
    click.echo(result.describe())
    for line in result.seal_warnings:
        click.echo(_("duban: warning: {line}").format(line=line), err=True)
    if result.seal_warnings:
        click.echo(_("duban: run duban verify for the seals this clone judges by"), err=True)
