"""`duban tui`: the terminal UI (Textual is imported only here)."""

from __future__ import annotations

import datetime as dt
import signal

import click

from duban.cli.base import Command
from duban.cli.context import Options
from duban.cli.exit_codes import ExitCode
from duban.cli.options import as_of_option, plan_option
from duban.i18n import _


@click.command(cls=Command)
@plan_option("Open this plan directly.")
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), help="Interface language (default: duban --lang, else from the locale)."
)
@as_of_option("Show the plans as of this date (default: today).")
@click.pass_context
def tui(ctx: click.Context, plan_id: str | None, lang: str | None, as_of: str | None) -> int:
    """Open the terminal UI: find tasks, record progress, read history, see the lights.

    An unexpected error closes the UI, writes its traceback to a log file, prints one line
    that names the file, and exits 3.

    \b
    Examples:
      duban tui
      duban tui --plan 2019-changning --as-of 2019-06-30
    """
    # Deferred: loads duban.store.layout and 1 more (4 duban modules in all) only when this runs
    from duban.store.layout import find_root
    from duban.tui import make_app

    if as_of:
        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            raise click.BadParameter(
                _("{text!r} is not a date in the form YYYY-MM-DD").format(text=as_of), param_hint="--as-of"
            ) from None
    options = ctx.find_object(Options) or Options()
    root = find_root(explicit=options.repo)
    if plan_id:
        # Deferred: loads duban.store.repository (11 duban modules in all) only when this runs
        from duban.store.repository import Repository

        Repository(root).plan(plan_id)  # an unknown plan is a one-line error, before the screen opens
    app = make_app(root, plan_id, lang or options.language, as_of)
    app.run()
    if app.terminated:  # SIGTERM: the terminal is left clean, the exit code says how it ended
        return 128 + signal.SIGTERM
    if app.crash_log:
        click.echo(
            _("duban: internal error ({kind}); this is a bug. Details: {log}").format(
                kind=app.crash_kind, log=app.crash_log
            ),
            err=True,
        )
        return ExitCode.INTERNAL
    return ExitCode.OK
