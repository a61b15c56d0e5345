"""The `duban` command group and its error handling: DubanError -> one line, exit 1; bugs -> exit 3.

Commands return an ExitCode; Click's standalone mode is off so that main() decides how
every kind of failure ends (pre-commit's convention: 1 for expected failures, 3 for bugs).
"""

from __future__ import annotations

import errno
import platform
import subprocess
import sys
import tempfile
import traceback
from typing import NoReturn

import click

from duban import __version__, memory
from duban.cli.base import (
    EnvOption,
    TranslatedHelp,
    language_in,
    translate_type_names,
    usage_errors_in_one_line,
    use_catalog_for_click,
)
from duban.cli.commands import (
    blame,
    circular,
    collect,
    diff,
    edit,
    explain,
    export,
    forms,
    guard,
    history,
    import_,
    init,
    log,
    merge_driver,
    migrate,
    plans,
    progress,
    report,
    score,
    seal,
    set,
    show,
    site,
    sync,
    tui,
    undo,
    units,
    validate,
    verify,
    withdraw,
)
from duban.cli.commands import list as list_
from duban.cli.context import Options, ProcessEnd
from duban.cli.exit_codes import ExitCode
from duban.cli.output import escape_output, os_reason
from duban.errors import DubanError
from duban.i18n import _, set_language

use_catalog_for_click()

_ACCESS_ERRORS = (errno.EACCES, errno.EPERM, errno.EROFS)
_FULL_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # a full disk or quota: the user's to fix (N10)
_PATH_ERRORS = (
    errno.ENOENT,
    errno.ENOTDIR,
    errno.EISDIR,
    errno.ENAMETOOLONG,
    errno.ELOOP,
    errno.EEXIST,
    errno.EINVAL,
    errno.ENXIO,
)


class DubanGroup(TranslatedHelp, click.Group):
    """Turns duban's own errors into one line on stderr and exit 1, for every subcommand; help
    and Click's messages come in the chosen language."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        set_language(language_in(args))  # before Click reads --help or finds a mistake
        translate_type_names(self)
        with usage_errors_in_one_line():
            return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        try:
            with usage_errors_in_one_line():
                return super().invoke(ctx)
        except DubanError as error:
            click.echo(_("duban: error: {error}").format(error=error), err=True)
            ctx.exit(ExitCode.PROBLEMS)
        except OSError as error:
            if error.errno in _FULL_ERRORS:
                click.echo(
                    _("duban: error: cannot write {path}: {reason}").format(
                        path=error.filename or _("a file"), reason=os_reason(error)
                    )
                    + " ("
                    + _("the disk is full: free some space, then try again")
                    + ")",
                    err=True,
                )
                ctx.exit(ExitCode.PROBLEMS)
            if error.errno in _ACCESS_ERRORS:
                # A file or folder duban may not read or write: the user's to fix, not a bug.
                hint = _("check the owner and permissions of that file and its folder")
            elif error.errno in _PATH_ERRORS and error.filename:
                # A path that cannot be made (-o nodir/x, a name past 255 bytes, a file
                # where a folder should be, /proc): the user's to change, said in one line.
                hint = _("write to another path, in a folder that exists, with a shorter name")
            else:
                raise
            click.echo(
                _("duban: error: cannot use {path}: {reason}").format(path=error.filename, reason=os_reason(error))
                + " ("
                + hint
                + ")",
                err=True,
            )
            ctx.exit(ExitCode.PROBLEMS)


@click.group(cls=DubanGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="duban", message="%(prog)s %(version)s")
@click.option(
    "--repo",
    cls=EnvOption,
    metavar="DIR",
    envvar="DUBAN_REPO",
    show_envvar=True,
    help="Plan repository to use (default: the nearest folder above with plans/).",
)
@click.option(
    "--lang",
    cls=EnvOption,
    type=click.Choice(["zh", "en"]),
    envvar="DUBAN_LANG",
    show_envvar=True,
    help="Language of messages (default: Chinese where the locale is Chinese, else English).",
)
@click.option(
    "--ascii",
    "ascii_glyphs",
    cls=EnvOption,
    is_flag=True,
    envvar="DUBAN_ASCII",
    show_envvar=True,
    help="Draw rules, ellipses and marks (─ … ▶) in ASCII, for a console that draws them two cells "
    "wide (by itself in the classic Windows console on a Chinese code page).",
)
@click.pass_context
def cli(ctx: click.Context, repo: str | None, lang: str | None, ascii_glyphs: bool) -> None:
    """duban (督办): track a government's annual work plan, task by task, in git.

    Each plan lives in plans/<plan-id>/ as plan.yaml plus one YAML file per task;
    refer to a task as PLAN-ID/ID (2019-changning/18), or by ID alone when one plan has it.

    \b
    Examples:
      duban list lead:fgw light:red
      duban --lang zh progress 2019-changning/3 --percent 50 --by 发改委
      duban COMMAND --help
    """
    # Deferred: loads duban.text.glyphs only when this runs
    from duban.text.glyphs import legacy_console, use_ascii

    escape_output()
    use_ascii(ascii_glyphs or legacy_console())
    ctx.obj = Options(repo=repo, language=set_language(lang))


for command in (
    validate.validate,
    list_.list_tasks,
    show.show,
    plans.plans,
    units.units,
    import_.import_plan,
    progress.progress,
    set.set_command,
    edit.edit,
    undo.undo,
    withdraw.withdraw,
    history.history,
    log.log,
    diff.diff,
    blame.blame,
    init.init,
    sync.sync,
    merge_driver.merge_driver,
    migrate.migrate,
    guard.guard,
    explain.explain,
    report.report_command,
    export.export_command,
    circular.circular,
    score.score_command,
    seal.seal,
    verify.verify,
    site.site,
    forms.forms,
    collect.collect,
    tui.tui,
):
    cli.add_command(command)


def _versions() -> str:
    """What a bug report needs beside the traceback, as pre-commit's error log gives it."""
    try:
        git = subprocess.run(["git", "--version"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        git = "git: not found"
    return (
        f"duban {__version__}\n{git}\npython {sys.version.split()[0]} ({sys.executable})\n"
        f"platform {platform.platform()}\nargs {sys.argv[1:]}\n\n"
    )


def _internal_error() -> int:
    with tempfile.NamedTemporaryFile("w", prefix="duban-crash-", suffix=".log", delete=False) as log:
        log.write(_versions())
        traceback.print_exc(file=log)
    kind = sys.exc_info()[0].__name__  # type: ignore[union-attr]
    click.echo(
        _("duban: internal error ({kind}); this is a bug. Details: {log}").format(kind=kind, log=log.name), err=True
    )
    return ExitCode.INTERNAL


def main(argv: list[str] | None = None) -> NoReturn:
    # Deferred: loads duban.system only when this runs
    from duban.system import utf8_streams

    utf8_streams()  # a Chinese Windows' console or pipe in GBK: duban speaks UTF-8 everywhere
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
    except Exception:
        code = _internal_error()
    sys.exit(int(code or 0))


def run() -> NoReturn:
    """The `duban` console command: main(), then an exit that skips freeing the run's objects
    one by one when nothing else is left to do (duban.memory)."""
    ProcessEnd.near = True
    try:
        main()
    except SystemExit as exiting:
        code = 0 if exiting.code is None else exiting.code
        if not isinstance(code, int) or not memory.nothing_left_to_run_at_exit():
            raise
    memory.end_now(code)
