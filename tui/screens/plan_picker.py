"""PlanPicker: the repository's plans with their task counts; Enter opens one."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from duban.i18n import _
from duban.repository import task_files


class PlanPicker(Screen[None]):
    CSS_PATH = "plan_picker.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Choose a plan"), id="picker-title")
        options = []
        for plan in self.app.repo.plans():  # type: ignore[attr-defined]
            count = len(task_files(plan.tasks_folder))
            label = f"{plan.id:<20} {plan.year}  {count:>4} {_('tasks')}  {plan.document_number or ''}  {plan.title}"
            options.append(Option(label, id=plan.id))
        yield OptionList(*options, id="plans")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_plan(event.option.id)  # type: ignore[attr-defined]
