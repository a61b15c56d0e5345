"""`duban edit`: a task file edited in $EDITOR, validated on save and committed."""

from __future__ import annotations

import os

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.output import echo_recorded, os_reason
from duban.errors import DubanError
from duban.i18n import _, ngettext

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
        click.echo(
            _("duban: edit: going on with the edit kept in {path} (save an empty file to drop it)").format(
                path=kept.path
            ),
            err=True,
        )
    reopened, seen_problems = 0, ""
    while True:
        try:
            edited = click.edit(header + text, extension=".yaml", require_save=False)
        except click.ClickException as error:
            if header or kept is not None:
                drafts.keep(repo, task.ref, text, original)

            editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
            # the system's reason in the user's language, not Click's "Editing failed: [Errno 2] …"
            cause = error.__cause__
            reason = os_reason(cause) if isinstance(cause, OSError) else _("it ended with an error")
            raise DubanError(
                _("the editor {editor!r} did not run or failed; nothing changed").format(editor=editor),
                hint=_("set EDITOR to an editor that is installed, e.g. EDITOR=nano ({detail})").format(
                    detail=f"{editor}: {reason}"
                ),
            ) from None
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
            header += (
                "# duban: "
                + _("fix the problems above and save; these lines are removed. Save an empty file to give up.")
                + "\n"
            )
            if unchanged or reopened > MAX_REOPENINGS:
                where = drafts.keep(repo, task.ref, text, original)
                for problem in problems.problems:
                    click.echo(problem.format(), err=True)
                raise DubanError(
                    _("edit saved unchanged with its problems; nothing was committed"),
                    hint=(
                        _("the edit is kept in {path}: `duban edit {ref}` goes on with it").format(
                            path=where, ref=task.ref
                        )
                        if where
                        else None
                    ),
                ) from None
            click.echo(
                ngettext(
                    "duban: {count} problem; reopening the editor",
                    "duban: {count} problems; reopening the editor",
                    len(problems.problems),
                ).format(count=len(problems.problems)),
                err=True,
            )
            continue
        except DubanError as error:
            # The task went away while the editor was open (N17), or the record refused the
            # edit: the text is kept, as for a conflict, never dropped.
            where = drafts.keep(repo, task.ref, new_text, original)
            if where:
                error.hint = ((error.hint + "; ") if error.hint else "") + _(
                    "the edited text is kept in {path}"
                ).format(path=where)
            raise
        drafts.drop(repo, task.ref)
        if recorded is None:
            click.echo(_("duban: edit: no changes"), err=True)
        else:
            echo_recorded(recorded)
        return
