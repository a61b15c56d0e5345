"""`duban guard`: a push checked against access.yaml, as the shared repository's pre-receive hook."""

from __future__ import annotations

import os
import sys

import click

from duban.cli.base import Command
from duban.i18n import set_language


@click.command(cls=Command)
@click.option(
    "--signatures",
    is_flag=True,
    help="Instead: per unit, how many of its reports are signed by its own key, unsigned, "
    "signed by the office or by another key.",
)
@click.pass_context
def guard(ctx: click.Context, signatures: bool) -> None:
    """Check a push against access.yaml: run by the shared repository as its pre-receive hook.

    Reads `OLD NEW REF` lines on stdin; the pushing account comes from DUBAN_ACCOUNT (a forced
    command per SSH key), GL_USER (gitolite), GL_USERNAME (GitLab) or GITEA_PUSHER_NAME (Gitea).
    Prints one line per refused commit and exits 1 to refuse the whole push; exits 0 otherwise.

    \b
    Examples (the first is the hook `duban init --server` installs):
      exec python -m duban guard
      duban guard --signatures
    """
    if signatures:
        # Deferred: loads duban.cli.context and 1 more (10 duban modules in all) only when this runs
        from duban.cli.context import repository
        from duban.guard.signatures import described
        from duban.guard.signatures import signatures as count

        for line in described(count(repository(ctx).root)):
            click.echo(line)
        return
    # Deferred: loads duban.guard.pre_receive (13 duban modules in all) only when this runs
    from duban.guard.pre_receive import guard as run_guard
    from duban.guard.pre_receive import parse_updates

    # The pusher reads these lines in their own terminal, whatever the server's locale: Chinese
    # unless DUBAN_LANG asks otherwise.
    set_language(os.environ.get("DUBAN_LANG") or "zh")
    refusals = run_guard(parse_updates(sys.stdin.read()))
    for refusal in refusals:
        click.echo(refusal.line(), err=True)
    if refusals:
        ctx.exit(1)
