"""FieldsForm: edit a task's fields (status, due date, type, units, milestones) in a form; saved
through the same core code as `duban set`, one commit, errors shown in the form."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Footer, Input, Label, Select, Static

from duban.i18n import _
from duban.model import STATUSES, Task
from duban.supervise.selection import Selection
from duban.tui.access import duban_app
from duban.tui.dialogs.task_form import TaskForm
from duban.tui.widgets.list_field import ListField
from duban.tui.widgets.text_input import TextInput

FIELDS = (
    "status",
    "due",
    "type",
    "lead",
    "support",
    "milestones.Q1",
    "milestones.Q2",
    "milestones.Q3",
    "milestones.Q4",
)


class FieldsForm(TaskForm):
    CSS_PATH = "fields_form.tcss"
    AUTO_FOCUS = "#status"

    def __init__(self, task: Task, selection: Selection | None = None) -> None:
        super().__init__(task, selection)
        self.original = self.current_values()

    def current_values(self) -> dict[str, str]:
        task = self.task_
        values = {
            "status": task.status,
            "due": task.due.isoformat() if task.due else "",
            "type": task.type or "",
            "lead": "、".join(task.lead),
            "support": "、".join(task.support),
        }
        values.update({f"milestones.{q}": task.milestones.get(q, "") for q in ("Q1", "Q2", "Q3", "Q4")})
        return values

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(f"{_('Edit fields')}: {self.task_.ref}  {self.task_.title}"), id="fields-title")
            with VerticalScroll(id="fields-scroll"), Grid(id="fields-grid"):
                yield Label(_("Status"))
                yield ListField(
                    [(_(s), s) for s in STATUSES],
                    value=self.original["status"],
                    allow_blank=False,
                    id="status",
                    compact=True,
                )
                for name, label in (
                    ("due", _("Due date")),
                    ("type", _("Type (A, B, C)")),
                    ("lead", _("Lead units")),
                    ("support", _("Support units")),
                    ("milestones.Q1", "Q1"),
                    ("milestones.Q2", "Q2"),
                    ("milestones.Q3", "Q3"),
                    ("milestones.Q4", "Q4"),
                ):
                    yield Label(label)
                    yield TextInput(self.original[name], id=name.replace(".", "-"), compact=True)
            yield from self.compose_buttons()
        yield Footer()

    def typed(self) -> dict[str, str]:
        return self.values()

    def values(self) -> dict[str, str]:
        found = {"status": str(self.query_one("#status", Select).value)}
        for name in FIELDS[1:]:
            found[name] = self.query_one(f"#{name.replace('.', '-')}", Input).value.strip()
        return found

    def action_save(self) -> None:
        changed = [f"{name}={value}" for name, value in self.values().items() if value != self.original[name]]
        if not changed:
            self.dismiss(None)
            return
        self.save(lambda: self._set(changed))

    def _set(self, assignments: list[str]) -> str:
        # Deferred: loads duban.record.setting (5 duban modules in all) only when this runs
        from duban.record.setting import set_fields

        return set_fields(duban_app(self).repo, self.task_.ref, assignments).sha
