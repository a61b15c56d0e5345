"""TaskForm: what the forms that change a task share: Enter moves to the next field and saves
on the last, Ctrl+S saves, the first Esc after typing asks before anything is discarded, and
the save runs in a worker whose refusal (a DubanError) is shown in the form, not raised.
Enter, Tab and Ctrl+S are priority bindings, so keys typed ahead of the app land in the field
they were typed for (duban.tui.typeahead); a save by Ctrl+S or Enter holds the keys typed while
the commit is made until the form has closed, so they go to the screen under it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static
from textual.worker import Worker, WorkerError, WorkerState

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Task
from duban.record.writer import InvalidEdit
from duban.supervise.selection import Selection
from duban.tui.typeahead import handled


class TaskForm(ModalScreen[str | None]):
    """A form for one task; it is dismissed with the sha of the commit it made, or None."""

    BINDINGS = [
        Binding("ctrl+s", "save_typed", _("Save"), priority=True),
        Binding("escape", "cancel", _("Cancel")),
        # Priority: the app moves the focus before it takes the next key (duban.tui.typeahead).
        Binding("enter", "next_field", show=False, priority=True),
        Binding("tab", "tab(1)", show=False, priority=True),
        Binding("shift+tab", "tab(-1)", show=False, priority=True),
    ]

    def __init__(self, task: Task, selection: Selection | None = None) -> None:
        super().__init__()
        self.task_ = task
        self.selection = selection
        self.discarding = False
        self.initial: object = None
        self.holding_keys = False  # a save by a key is being waited for: the app takes no key meanwhile

    def typed(self) -> object:
        """What the fields hold now; Esc asks first when it differs from what they held at first."""
        raise NotImplementedError

    def action_save(self) -> None:
        raise NotImplementedError

    def compose_buttons(self) -> ComposeResult:
        """The line for errors and warnings, then Save and Cancel."""
        yield Static("", id="error", markup=False)
        with Horizontal(id="buttons"):
            yield Button(_("Save and commit"), variant="primary", id="save", compact=True)
            yield Button(_("Cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        # Textual calls this after the subclass's own on_mount, once its fields are filled.
        self.initial = self.typed()

    def say(self, message: str, style: str = "bold yellow") -> None:
        self.query_one("#error", Static).update(Text(message, style=style))
        self._last_said_for = self.typed()

    async def action_next_field(self) -> None:
        """Enter: the next field, and on the last one, save. (Enter on a list or a button is theirs.)"""
        inputs = [field for field in self.query(Input) if field.display]  # a hidden field is passed over
        focused = self.focused
        if focused not in inputs:
            raise SkipAction()
        index = inputs.index(focused)
        if index + 1 < len(inputs):
            self.set_focus(inputs[index + 1])
        else:
            await self.action_save_typed()

    async def action_tab(self, step: int) -> None:
        chain = self.focus_chain
        if self.focused not in chain:
            raise SkipAction()
        self.set_focus(chain[(chain.index(self.focused) + step) % len(chain)])

    async def action_save_typed(self) -> None:
        """Ctrl+S (and Enter on the last field): save what the fields hold once they have taken
        every key typed before it, then hold the app's next key until the save has ended: the
        app takes no key while a priority binding's action runs, so a key typed while the
        commit is made (Ctrl+End, a Down, / or p for the next task) goes, in its turn, to the
        screen the form closed back to, not to the form on its way out, which has no binding
        for it (duban.tui.typeahead). A refused save leaves the form up: the keys are its own."""
        await self._save_typed()
        await self.closed()

    async def _save_typed(self) -> None:
        """Pressed again while the commit is being made, Ctrl+S waits for that one (a second
        save would be refused as the same report, and say so over the first one's success)."""
        if self.saving:
            return
        await handled(self.query("Input, Select"))
        if not self.saving:
            self.action_save()

    async def closed(self) -> None:
        """Once this form's save has ended and, when it committed, the form has been dismissed
        (see on_worker_state_changed): returns at once when no save runs. Not from this form's
        own handlers (the Save button), which would wait behind themselves."""
        self.holding_keys = True
        try:
            for worker in [w for w in self.workers if w.name == "save" and w.node is self]:
                with contextlib.suppress(WorkerError):  # (cancelled, or failed: the app says so)
                    await worker.wait()
            await handled([self])  # its Worker.StateChanged, on which it dismisses itself
        finally:
            self.holding_keys = False

    @property
    def saving(self) -> bool:
        return any(w.name == "save" and w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in self.workers)

    @on(Input.Changed)
    @on(Select.Changed)
    def typed_again(self) -> None:
        """A warning or a question answers what the fields held: typing makes it stale, so it
        goes (and the next Ctrl+S or Esc asks again about what is there now)."""
        if self.is_mounted and self.typed() != getattr(self, "_last_said_for", None):
            self.query_one("#error", Static).update("")
            self.discarding = False

    @on(Button.Pressed, "#save")
    async def save_pressed(self) -> None:
        await self._save_typed()  # a click: no key waits behind it in the app

    @on(Button.Pressed, "#cancel")
    async def action_cancel(self) -> None:
        """Esc: close; when something was typed, the first Esc asks, so nothing is lost by a slip."""
        await handled(self.query("Input, Select"))
        if self.typed() != self.initial and not self.discarding:
            self.discarding = True
            self.say(_("Press Esc again to discard what you typed."))
            return
        self.dismiss(None)

    @work(thread=True, exclusive=True)
    def save(self, commit: Callable[[], str]) -> str | None:
        """Run `commit` (it returns the new commit's sha); a refusal is shown in the form."""
        try:
            return commit()
        except DubanError as problem:
            # The problem in the words of the core, [rule] kept; no path into a file the user never saw.
            # Where, as the CLI says it (path:line:col): a task file broken since the form opened.
            # (not for what the form typed: its problems are the form's, not a file's)
            where = problem.where if problem.where and not isinstance(problem, InvalidEdit) else ""
            message = (f"{where}: " if where else "") + problem.message + (f" ({problem.hint})" if problem.hint else "")
            self.app.call_from_thread(self.say, message, "bold red")
            return None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Close once the saving worker has finished: dismissing from inside the worker would
        cancel it while it waits for the dismissal."""
        if event.state == WorkerState.SUCCESS and event.worker.name == "save" and event.worker.result:
            self.dismiss(event.worker.result)
