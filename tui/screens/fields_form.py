"""FieldsForm: edit a task's fields (status, due date, type, units, milestones) in a form; saved
through the same core code as `duban set`, one commit, errors shown in the form."""
from __future__ import annotations

from textual import on, work
from textual.worker import Worker, WorkerState
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from rich.text import Text
from textual.widgets import Button, Footer, Input, Label, Select, Static

from duban.errors import DubanError
from duban.i18n import _
from duban.model import STATUSES, Task
from duban.supervise.selection import Selection
from duban.tui.access import duban_app

FIELDS = ("status", "due", "type", "lead", "support", "milestones.Q1", "milestones.Q2", "milestones.Q3",
          "milestones.Q4")


class FieldsForm(ModalScreen[str | None]):
    CSS_PATH = "fields_form.tcss"
    BINDINGS = [Binding("ctrl+s", "save", _("Save")), Binding("escape", "cancel", _("Cancel"))]
    AUTO_FOCUS = "#status"

    def __init__(self, task: Task, selection: Selection | None = None) -> None:
        super().__init__()
        self.task_ = task
        self.original = self.current_values()
        self.discarding = False

    def current_values(self) -> dict[str, str]:
        task = self.task_
        values = {"status": task.status, "due": task.due or "", "type": task.type or "",
                  "lead": "、".join(task.lead), "support": "、".join(task.support)}
        values.update({f"milestones.{q}": task.milestones.get(q, "") for q in ("Q1", "Q2", "Q3", "Q4")})
        return values

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(f"{_('Edit fields')}: {self.task_.ref}  {self.task_.title}"), id="fields-title")
            with VerticalScroll(id="fields-scroll"), Grid(id="fields-grid"):
                yield Label(_("Status"))
                yield Select([(_(s), s) for s in STATUSES], value=self.original["status"], allow_blank=False,
                             id="status", compact=True)
                for name, label in (("due", _("Due date")), ("type", _("Type (A, B, C)")), ("lead", _("Lead units")),
                                    ("support", _("Support units")), ("milestones.Q1", "Q1"), ("milestones.Q2", "Q2"),
                                    ("milestones.Q3", "Q3"), ("milestones.Q4", "Q4")):
                    yield Label(label)
                    yield Input(self.original[name], id=name.replace(".", "-"), compact=True)
            yield Static("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(_("Save and commit"), variant="primary", id="save", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)
        yield Footer()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter: the next field, and on the last one, save."""
        inputs = list(self.query(Input))
        # From the field that has the focus now: a second Enter typed ahead moves on again.
        base = self.focused if self.focused in inputs else event.input
        index = inputs.index(base)
        if index + 1 < len(inputs):
            self.set_focus(inputs[index + 1])  # now, not after this message
        else:
            self.action_save()

    def values(self) -> dict[str, str]:
        found = {"status": str(self.query_one("#status", Select).value)}
        for name in FIELDS[1:]:
            found[name] = self.query_one(f"#{name.replace('.', '-')}", Input).value.strip()
        return found

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        changed = [f"{name}={value}" for name, value in self.values().items() if value != self.original[name]]
        if not changed:
            self.dismiss(None)
            return
        self.save(changed)

    @work(thread=True, exclusive=True)
    def save(self, assignments: list[str]) -> str | None:
        from duban.record.recording import set_fields

        try:
            recorded = set_fields(duban_app(self).repo, self.task_.ref, assignments)
        except DubanError as problem:
            message = problem.message + (f" ({problem.hint})" if problem.hint else "")  # no path into a file
            self.app.call_from_thread(self.query_one("#error", Static).update, Text(message, style="bold red"))
            return
        return recorded.sha

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Esc: close; when a field was changed, the first Esc asks, so nothing is lost by a slip."""
        if self.values() != self.original and not self.discarding:
            self.discarding = True
            self.query_one("#error", Static).update(
                Text(_("Press Esc again to discard what you typed."), style="bold yellow"))
            return
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Close once the saving worker has finished: dismissing from inside the worker would
        cancel it while it waits for the dismissal."""
        if event.state == WorkerState.SUCCESS and event.worker.name == "save" and event.worker.result:
            self.dismiss(event.worker.result)
