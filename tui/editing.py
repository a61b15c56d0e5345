"""`$EDITOR` from the TUI, as `duban edit` does it: the editor reopens with the problems at the
top until the file is valid; an editor that fails or is missing, or an edit given up, is a
message, and a rejected edit is kept so that `e` on the task reopens it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from textual.app import SuspendNotSupported

from duban.errors import DubanError
from duban.i18n import _, ngettext
from duban.model import Task
from duban.record.hand_edits import apply_edit
from duban.record.writer import InvalidEdit, Recorded
from duban.store.files import replace_file
from duban.tui.access import duban_app

if TYPE_CHECKING:
    from duban.tui.screens.main import MainScreen

PROBLEM_PREFIX = "# duban: "


def run_editor(screen: MainScreen, text: str) -> str | None:
    """The text after the user's editor ran on `text` (None: closed without saving); the
    editor's failure (missing, or exiting non-zero) is raised once the app is back."""
    failure: BaseException | None = None
    try:
        with screen.app.suspend():
            # Caught inside: Textual's suspend() resumes the app only when its block ends
            # normally, so an error raised through it left a blank screen that took no keys.
            try:
                return click.edit(text, extension=".yaml", require_save=False)
            except BaseException as error:
                failure = error
    except SuspendNotSupported:  # headless (tests): nothing on the screen to give back
        return click.edit(text, extension=".yaml", require_save=False)
    assert failure is not None
    raise failure


def edit_task(screen: MainScreen, task: Task) -> Recorded | None:
    """Edit `task`'s file until it is valid and committed, or the user gives up."""
    app = duban_app(screen)
    opened = task.path.read_text(encoding="utf-8")
    # `base` is the text the edit started from: a report committed meanwhile is merged in,
    # not overwritten (duban edit's rule).
    text, header, base = app.unsaved_edits.pop(task.ref, (opened, "", opened))
    while True:
        try:
            edited = run_editor(screen, header + text)
        except click.ClickException as error:
            if header:
                app.unsaved_edits[task.ref] = (text, header, base)
            # click says "vi: Editing failed" in English: the editor's name, in the TUI's words
            editor = error.format_message().split(":", 1)[0]
            screen.say(
                _("The editor did not finish ({error}); nothing changed.").format(
                    error=_("{editor} failed").format(editor=editor)
                ),
                "error",
                10,
            )
            return None
        if edited is None:
            screen.say(_("Nothing saved; nothing changed."))
            return None
        new_text = "".join(line for line in edited.splitlines(keepends=True) if not line.startswith(PROBLEM_PREFIX))
        if not new_text.strip():
            screen.say(_("Empty file; nothing changed."))
            return None
        try:
            recorded = apply_edit(app.repo, task.ref, new_text, base_text=base)
        except InvalidEdit as problems:
            again = new_text == text and header  # saved as it was: the user is not fixing it now
            text = new_text
            header = "".join(f"{PROBLEM_PREFIX}{p.format()}\n" for p in problems.problems)
            header += (
                PROBLEM_PREFIX
                + _("fix the problems above and save; these lines are removed. Save an empty file to give up.")
                + "\n"
            )
            if again:
                app.unsaved_edits[task.ref] = (text, header, base)
                screen.say(
                    ngettext(
                        "Not saved: {count} problem ({first}). Press e to go on with the edit.",
                        "Not saved: {count} problems ({first}). Press e to go on with the edit.",
                        len(problems.problems),
                    ).format(count=len(problems.problems), first=problems.problems[0].format()),
                    "error",
                    12,
                )
                return None
            continue
        except DubanError as error:
            screen.say(str(error), "error", 10)
            return None
        if recorded is None:
            screen.say(_("No changes."))
        return recorded


def edit_unreadable_file(screen: MainScreen, path: str) -> bool:
    """Open a task file that cannot be read in `$EDITOR`, so the problem can be fixed from the
    TUI. The file is written back as the user saved it (atomically) and left for them to
    commit, since duban cannot read it to make its one-task commit; True when it changed."""
    file = Path(path)
    if not file.is_absolute():
        file = duban_app(screen).repo.root / file
    text = file.read_text(encoding="utf-8", errors="replace")
    try:
        edited = run_editor(screen, text)
    except click.ClickException as error:
        screen.say(
            _("The editor did not finish ({error}); nothing changed.").format(error=error.format_message()), "error", 10
        )
        return False
    if edited is None or edited == text:
        screen.say(_("Nothing saved; nothing changed."))
        return False
    replace_file(file, edited.encode("utf-8"))
    screen.say(
        _("Saved {path}; check it with v and commit it with git.").format(path=duban_app(screen).repo.display(file)),
        timeout=10,
    )
    return True
