"""`duban history`: a task's commits, newest first."""

from __future__ import annotations

import os
import sys

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.options import format_option
from duban.cli.output import echo_commit_line


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.option("--patch", "-p", is_flag=True, help="Show each commit's diff (coloured on a terminal).")
@format_option(["text", "json"], "text: for reading; json: for scripts.", default="text")
@click.pass_context
def history(ctx: click.Context, ref: str, patch: bool, output_format: str) -> None:
    """REF's commits, newest first: date, author, reporting unit, the report's own date
    where it differs from the commit's, message.

    \b
    Examples:
      duban history 2019-changning/3
      duban history 2019-changning/3 --patch
    """
    # Deferred: loads duban.record.history (14 duban modules in all) only when this runs
    from duban.record.history import task_history

    coloured = patch and sys.stdout.isatty() and not os.environ.get("NO_COLOR")  # no-color.org
    commits = task_history(repository(ctx), ref, patch=patch, color=coloured)
    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        emit_json(
            [
                {
                    "sha": c.sha,
                    "date": c.date,
                    "author": c.author,
                    "email": c.email,
                    "subject": c.subject,
                    "body": c.body,
                    "trailers": c.trailers,
                    **({"patch": c.patch} if patch else {}),
                }
                for c in commits
            ]
        )
        return
    for commit in commits:
        echo_commit_line(commit)
        if commit.body:
            click.echo("    " + commit.body.replace("\n", "\n    "))
        if patch and commit.patch:
            # Deferred: loads duban.cli.output only when this runs
            from duban.cli.output import echo_coloured

            echo_coloured(commit.patch)
            click.echo("")
