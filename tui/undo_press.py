"""The z key's two presses (duban undo in the terminal UI): the first names the change it
would take back and whose it is, a second within the toast's time takes back that change
and no other. A change another clone made (brought by sync) is refused by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from duban.errors import DubanError
from duban.i18n import _
from duban.tui.access import duban_app

if TYPE_CHECKING:
    from duban.tui.screens.task_screen import TaskScreen

# How long the first press's question stays up, and the second press counts.
ANSWER_SECONDS = 8


class UndoPress:
    """What the first z named; a screen keeps one."""

    def __init__(self) -> None:
        self.asked: str | None = None  # the commit a first z named

    def forget(self) -> None:
        self.asked = None

    def press(self, screen: TaskScreen) -> bool:
        """One press of z on `screen`; True when a change was taken back."""
        # Deferred: loads duban.record.undo (32 duban modules in all; ruamel, yaml) only when this runs
        from duban.record.undo import last_change, undo_last, whose

        repo = duban_app(screen).repo
        try:
            commit, _path = last_change(repo)
            if self.asked != commit.sha:
                self.asked = commit.sha
                screen.set_timer(ANSWER_SECONDS, self.forget)
                screen.say(
                    _("Press z again to take back this clone's change {sha} {subject} ({whose})").format(
                        sha=commit.sha[:10], subject=commit.subject, whose=whose(commit)
                    ),
                    "warning",
                    ANSWER_SECONDS,
                )
                return False
            self.asked = None
            recorded = undo_last(repo, reason=_("taken back in the terminal UI"), expected=commit.sha)
        except DubanError as error:
            self.asked = None
            screen.say(str(error), "error", 10)
            return False
        screen.say(_("Taken back by {sha}.").format(sha=recorded.sha[:10]))
        return True
