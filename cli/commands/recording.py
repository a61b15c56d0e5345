"""`duban progress`, `duban set` and `duban edit`: each change is one commit of one task file."""
from __future__ import annotations
import os

import click

from duban.cli import completion
from duban.cli.base import Command, Figure, Percent, Word
from duban.cli.context import repository
from duban.errors import DubanError
from duban.i18n import _, ngettext


def _done(recorded) -> None:
    click.echo(f"{recorded.sha[:10]} {recorded.message.splitlines()[0]}")
    for warning in getattr(recorded, "warnings", ()):
        # after the commit, on stderr: the report is recorded, and a script's output stays the sha line
        click.echo(_("duban: warning: {what}").format(what=warning), err=True)


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.option("--percent", type=Percent(), required=True, help="Share of the task done, 0-100 (50 or 50%).")
@click.option("--note", help="What was done this period (进展情况).")
@click.option("--status", type=Word("status"),
              help="New status (the English or Chinese word). Default: done at 100%, in_progress once "
                   "started, else unchanged.")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="Date of the report. Default: today.")
@click.option("--by", "unit", metavar="UNIT", shell_complete=completion.units,
              help="The reporting unit (from the plan's registry).")
@click.option("--value", type=Figure(), help="The reported figure, for a task with a numeric target.")
@click.option("--reason", metavar="TEXT",
              help="Why the office records this report on the unit's behalf: the paper or form it came from.")
@click.pass_context
def progress(ctx: click.Context, ref: str, percent: float, note: str | None, status: str | None,
             date: str | None, unit: str | None, value: float | None, reason: str | None) -> None:
    """Record a progress report on REF and commit it.

    The author of the commit is your git identity; --by names the unit reporting.

    \b
    Examples:
      duban progress 2019-changning/3 --percent 50 --by 发改委 --note "完成白皮书初稿"
      duban progress 2019-changning/15 --percent 30% --status 受阻 --date 2019-06-25
    """
    # Deferred: loads duban.guard.access and 1 more (48 duban modules in all; ruamel, yaml) only when this runs
    from duban.guard.access import reason_needed
    from duban.record.recording import record_progress

    repo = repository(ctx)
    if not (reason or "").strip() and reason_needed(repo.root, unit):
        # Refused here, before the commit, rather than by the shared repository's guard at the push.
        raise DubanError(_("this clone records as the office: a report on {unit}'s behalf needs the paper or form "
                           "it came from").format(unit=unit),
                         hint=_('add --reason, e.g. --reason "{unit}3月纸质报表"').format(unit=unit))
    _done(record_progress(repo, ref, percent, note=note, status=status, date=date,
                          by=unit, value=value, trailers=(("Reason", reason),) if reason else ()))


@click.command("set", cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...",
                shell_complete=completion.assignments)
@click.pass_context
def set_command(ctx: click.Context, ref: str, assignments: tuple[str, ...]) -> None:
    """Change fields of REF and commit: status=delayed due=2019-06-30 lead=发改委,科委
    milestones.Q2=... (an empty value removes an optional field).

    Field names and statuses may be written in Chinese: 状态=延期, 完成期限=2019-06-30.

    \b
    Examples:
      duban set 2019-changning/20 status=delayed
      duban set 2019-changning/20 状态=延期 lead=发改委,科委
    """
    # Deferred: loads duban.record.setting (44 duban modules in all; ruamel, yaml) only when this runs
    from duban.record.setting import set_fields

    _done(set_fields(repository(ctx), ref, list(assignments)))


MAX_REOPENINGS = 5  # `duban edit` opens the editor again at most this often for one edit


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.pass_context
def edit(ctx: click.Context, ref: str) -> None:
    """Edit REF's file in $EDITOR; it is validated on save and committed.

    When the file has problems, the editor opens again with them listed at the top.

    \b
    Example:
      EDITOR=nano duban edit 2019-changning/18
    """
    # Deferred: loads duban.record (42 duban modules in all; ruamel, yaml) only when this runs
    from duban.record import drafts
    from duban.record.hand_edits import apply_edit
    from duban.record.writer import InvalidEdit

    repo = repository(ctx)
    task = repo.resolve(ref)
    text = original = task.path.read_text(encoding="utf-8")
    header = ""
    kept = drafts.find(repo, task.ref)
    if kept is not None:
        text, original = kept.text, kept.base
        click.echo(_("duban: edit: going on with the edit kept in {path} (save an empty file to drop it)").format(
            path=kept.path), err=True)
    reopened, seen_problems = 0, ""
    while True:
        try:
            edited = click.edit(header + text, extension=".yaml", require_save=False)
        except click.ClickException as error:
            if header or kept is not None:
                drafts.keep(repo, task.ref, text, original)

            from duban.cli.main import os_reason

            editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
            # the system's reason in the user's language, not Click's "Editing failed: [Errno 2] …"
            cause = error.__cause__
            reason = os_reason(cause) if isinstance(cause, OSError) else _("it ended with an error")
            raise DubanError(_("the editor {editor!r} did not run or failed; nothing changed").format(editor=editor),
                             hint=_("set EDITOR to an editor that is installed, e.g. EDITOR=nano ({detail})").format(
                                 detail=f"{editor}: {reason}")) from None
        if edited is None:
            click.echo(_("duban: edit: nothing saved; nothing changed"), err=True)
            return
        new_text = "".join(line for line in edited.splitlines(keepends=True) if not line.startswith("# duban: "))
        if not new_text.strip():
            drafts.drop(repo, task.ref)
            click.echo(_("duban: edit: empty file; nothing changed"), err=True)
            return
        try:
            recorded = apply_edit(repo, ref, new_text, base_text=original)
        except InvalidEdit as problems:
            # Saved as it was reopened: the user is not fixing it now (or the editor did not
            # wait). Reopening again would loop for ever; the text is kept for the next edit.
            # So is an editor (a script) that changes the text each time but leaves the same
            # problems, or one that never fixes it: at most MAX_REOPENINGS (N16).
            listed = "".join(f"# duban: {p.format()}\n" for p in problems.problems)
            unchanged = bool(header) and (new_text == text or listed == seen_problems)
            reopened += 1
            seen_problems = listed
            text = new_text
            header = listed
            header += "# duban: " + _("fix the problems above and save; these lines are removed. "
                                      "Save an empty file to give up.") + "\n"
            if unchanged or reopened > MAX_REOPENINGS:
                where = drafts.keep(repo, task.ref, text, original)
                for problem in problems.problems:
                    click.echo(problem.format(), err=True)
                raise DubanError(_("edit saved unchanged with its problems; nothing was committed"),
                                 hint=(_("the edit is kept in {path}: `duban edit {ref}` goes on with it").format(
                                     path=where, ref=task.ref) if where else None)) from None
            click.echo(ngettext("duban: {count} problem; reopening the editor",
                                "duban: {count} problems; reopening the editor",
                                len(problems.problems)).format(count=len(problems.problems)), err=True)
            continue
        except DubanError as error:
            # The task went away while the editor was open (N17), or the record refused the
            # edit: the text is kept, as for a conflict, never dropped.
            where = drafts.keep(repo, task.ref, new_text, original)
            if where:
                error.hint = ((error.hint + "; ") if error.hint else "") + _(
                    "the edited text is kept in {path}").format(path=where)
            raise
        drafts.drop(repo, task.ref)
        if recorded is None:
            click.echo(_("duban: edit: no changes"), err=True)
        else:
            _done(recorded)
        return


@click.command(cls=Command)
@click.argument("ref", required=False, shell_complete=completion.refs)
@click.option("--reason", metavar="TEXT", help="Why the change is taken back; recorded in the commit.")
@click.pass_context
def undo(ctx: click.Context, ref: str | None, reason: str | None) -> None:
    """Take back the last change duban committed in this clone (to REF, if given) with a revert commit.

    Later changes to the task are kept; the change and its undoing both stay in the history.
    Run it again to take back the change before. A change another clone made, brought by
    sync, is not taken back: undo names it, and `duban withdraw` takes a report back.

    \b
    Examples:
      duban undo
      duban undo 2019-changning/3 --reason 误报
    """
    # Deferred: loads duban.record.undo (42 duban modules in all; ruamel, yaml) only when this runs
    from duban.record.undo import undo_last

    _done(undo_last(repository(ctx), ref, reason=reason))


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.argument("date", metavar="YYYY-MM-DD")
@click.option("--reason", metavar="TEXT", required=True, help="Why the report is withdrawn; recorded in the commit.")
@click.option("--by", "unit", metavar="UNIT", shell_complete=completion.units,
              help="Whose report, when several share the date.")
@click.option("--note", metavar="TEXT", help="A part of the report's note, when one unit reported twice that day.")
@click.pass_context
def withdraw(ctx: click.Context, ref: str, date: str, reason: str, unit: str | None, note: str | None) -> None:
    """Withdraw the wrong report of DATE from REF, with the reason recorded in the commit.

    \b
    Example:
      duban withdraw 2019-changning/3 2019-06-24 --reason 单位报错数据
    """
    # Deferred: loads duban.record.undo (42 duban modules in all; ruamel, yaml) only when this runs
    from duban.record.undo import withdraw_report

    _done(withdraw_report(repository(ctx), ref, date, reason, by=unit, note=note))
