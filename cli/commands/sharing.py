"""`duban init`, `duban sync` and `duban merge-driver`: several units, one plan, one remote."""
from __future__ import annotations

from pathlib import Path

import click

from duban.cli.base import Command

from duban.i18n import _, ngettext

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
        # Deferred: loads duban.guard.server (5 duban modules in all) only when this runs
        from duban.guard.server import init_server

        for item in init_server(server.resolve(), offices):
            click.echo(_("created {item}").format(item=item))
        return
    # Deferred: loads duban.record.scaffold (5 duban modules in all) only when this runs
    from duban.record.scaffold import init_repository

    for item in init_repository(folder.resolve()):
        click.echo(_("created {item}").format(item=_(item)))


@click.command(cls=Command)
@click.option("--remote", metavar="NAME", help="Remote to sync with (default: the branch's upstream or origin).")
@click.option("--to", "to_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write what the peer lacks as a bundle FILE (and FILE.manifest.txt) to carry across networks.")
@click.option("--from", "from_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Check a bundle FILE another clone wrote and merge it, as a sync from a remote would.")
@click.option("--peer", metavar="NAME", help="With --to: the clone the bundle is for (default: the only one known).")
@click.option("--full", is_flag=True, help="With --to: carry the whole history, assuming nothing.")
@click.pass_context
def sync(ctx: click.Context, remote: str | None, to_file: Path | None, from_file: Path | None,
         peer: str | None, full: bool) -> None:
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
        click.echo(ngettext("wrote {path} for {peer}: {count} commit", "wrote {path} for {peer}: {count} commits",
                            sent.commits).format(path=sent.path, peer=sent.peer, count=sent.commits))
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
    # Deferred: loads duban.record.migrating (42 duban modules in all; ruamel, yaml) only when this runs
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
