"""`duban tui`: the terminal UI (Textual is imported only here)."""
from __future__ import annotations

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import Options


@click.command(cls=Command)
@click.option("--plan", "plan_id", shell_complete=completion.plan_ids,
              metavar="PLAN-ID", help="Open this plan directly.")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Interface language (default: duban --lang, else from the locale).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Show the plans as of this date (default: today).")
@click.pass_context
def tui(ctx: click.Context, plan_id: str | None, lang: str | None, as_of: str | None) -> None:
    """Open the terminal UI: find tasks, record progress, read history, see the lights.

    \b
    Examples:
      duban tui
      duban tui --plan 2019-changning --as-of 2019-06-30
    """
    from duban.repository import find_root
    from duban.tui import make_app

    options = ctx.find_object(Options) or Options()
    root = find_root(explicit=options.repo)
    if plan_id:
        from duban.repository import Repository

        Repository(root).plan(plan_id)  # an unknown plan is a one-line error, before the screen opens
    make_app(root, plan_id, lang or options.language, as_of).run()
