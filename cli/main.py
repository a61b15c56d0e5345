"""The `duban` command group and its error handling: DubanError -> one line, exit 1; bugs -> exit 3.

Commands return an ExitCode; Click's standalone mode is off so that main() decides how
every kind of failure ends (pre-commit's convention: 1 for expected failures, 3 for bugs).
"""
from __future__ import annotations

import sys
import tempfile
import traceback
from typing import NoReturn

import click

from duban import __version__
from duban.cli.commands import (importing, listing, plans, record, recording, sharing, show, supervision,
                                 tui, validate)
from duban.cli.context import Options
from duban.cli.exit_codes import ExitCode
from duban.errors import DubanError
from duban.i18n import _


class DubanGroup(click.Group):
    """Turns duban's own errors into one line on stderr and exit 1, for every subcommand."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except DubanError as error:
            click.echo(_("duban: error: {error}").format(error=error), err=True)
            ctx.exit(ExitCode.PROBLEMS)


@click.group(cls=DubanGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="duban")
@click.option("--repo", metavar="DIR", envvar="DUBAN_REPO", show_envvar=True,
              help="Plan repository to use (default: the nearest folder above with plans/).")
@click.option("--lang", type=click.Choice(["zh", "en"]), envvar="DUBAN_LANG", show_envvar=True,
              help="Language of messages (default: Chinese where the locale is Chinese, else English).")
@click.pass_context
def cli(ctx: click.Context, repo: str | None, lang: str | None) -> None:
    """duban (督办): track a government's annual work plan, task by task, in git.

    Each plan lives in plans/<plan-id>/ as plan.yaml plus one YAML file per task;
    refer to a task as PLAN-ID/ID (2019-changning/18), or by ID alone when one plan has it.
    """
    from duban.i18n import set_language

    ctx.obj = Options(repo=repo, language=set_language(lang))


for command in (validate.validate, listing.list_tasks, show.show, plans.plans, importing.import_plan,
                recording.progress, recording.set_command, recording.edit, recording.undo, recording.withdraw,
                record.history, record.log, record.diff, record.blame,
                sharing.init, sharing.sync, sharing.merge_driver,
                supervision.explain, supervision.report_command, supervision.export_command,
                supervision.circular, tui.tui):
    cli.add_command(command)


def _internal_error() -> int:
    with tempfile.NamedTemporaryFile("w", prefix="duban-crash-", suffix=".log", delete=False) as log:
        traceback.print_exc(file=log)
    kind = sys.exc_info()[0].__name__  # type: ignore[union-attr]
    click.echo(_("duban: internal error ({kind}); this is a bug. Details: {log}").format(kind=kind, log=log.name),
               err=True)
    return ExitCode.INTERNAL


def main(argv: list[str] | None = None) -> NoReturn:
    try:
        code = cli.main(args=argv, prog_name="duban", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo(_("duban: interrupted"), err=True)
        code = ExitCode.INTERRUPTED
    except click.ClickException as error:
        error.show()
        code = error.exit_code
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error of ours.
        sys.stderr.close()
        code = ExitCode.OK
    except Exception:  # noqa: BLE001 - the last line of defence: no traceback on the terminal
        code = _internal_error()
    sys.exit(int(code or 0))
