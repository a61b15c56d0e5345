"""UnitPicker: the plan's units with the tasks they lead and support and their lights; choosing
one filters the task table to that unit (what a unit's staff open every month)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from duban.i18n import _
from duban.query import text_matches
from duban.selection import Selection


class UnitPicker(ModalScreen[str | None]):
    CSS_PATH = "units.tcss"
    BINDINGS = [Binding("escape", "cancel", _("Close"))]

    def __init__(self, plan_id: str, selection: Selection | None) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.selection = selection
        self.rows: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        plan = self.app.repo.plan(self.plan_id)  # type: ignore[attr-defined]
        for unit in plan.units:
            leads = supports = red = yellow = 0
            if self.selection is not None:
                for task in self.selection.tasks:
                    led = any(plan.units.resolve(n) == unit for n in self.selection.lead(task))
                    supported = any(plan.units.resolve(n) == unit for n in task.support)
                    if led or supported:
                        colour = self.selection.light_of(task).colour
                        red += colour == "red"
                        yellow += colour == "yellow"
                    leads += led
                    supports += supported
            label = (f"{unit.name:<16} {_('leads')} {leads:>3}  {_('supports')} {supports:>3}  "
                     f"● {red} red  ● {yellow} yellow")
            self.rows.append((unit.name, label))
        with Vertical(id="units-box"):
            yield Static(_("Units: choose one to see its tasks (type to narrow; pinyin initials work)"))
            yield Input(id="unit-filter")
            yield OptionList(*(Option(label, id=name) for name, label in self.rows), id="unit-list")

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one("#unit-list", OptionList)
        options.clear_options()
        options.add_options([Option(label, id=name) for name, label in self.rows
                             if not event.value or text_matches(event.value, name)])
        options.highlighted = 0 if options.option_count else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
