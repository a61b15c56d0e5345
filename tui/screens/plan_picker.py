"""PlanPicker: the repository's plans with their task counts; Enter opens one. A plan whose
plan.yaml cannot be read is listed with its problem, and the others stay usable."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from duban.errors import DubanError
from duban.i18n import _
from duban.store.task_files import task_files
from duban.text.textwidth import cell_width, truncate
from duban.tui.access import duban_app
from duban.tui.legacy_console import header_icon


def _cell(text: str, width: int) -> str:
    text = truncate(text, width)
    return text + " " * (width - cell_width(text))


class PlanPicker(Screen[None]):
    CSS_PATH = "plan_picker.tcss"
    BINDINGS = [
        Binding("enter", "open", _("Open"), show=True),
        Binding("q", "app.quit", _("Quit")),
        Binding("escape", "back", _("Back to the plan")),
        Binding("question_mark", "app.help", _("Help"), key_display="?"),
    ]

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current  # the plan it was opened over (Shift+P), if any

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.current is not None if action == "back" else True

    def on_mount(self) -> None:
        if self.current is not None and self.query("#plans"):
            options = self.query_one("#plans", OptionList)
            try:  # the cursor on the plan just left
                options.highlighted = options.get_option_index(self.current)
            except Exception:  # (OptionDoesNotExist: the plan is gone meanwhile)
                pass

    def action_back(self) -> None:
        """Esc: back to the plan it was opened over, as it was."""
        if self.current is not None:
            self.dismiss(None)

    def compose(self) -> ComposeResult:
        repo = duban_app(self).repo
        yield Header(icon=header_icon())
        yield Static(_("Choose a plan"), id="picker-title")
        options = []
        ids = repo.plan_ids()
        id_width = max([cell_width(i) for i in ids] + [8])
        for plan_id in ids:
            try:
                plan = repo.plan(plan_id)
            except DubanError as error:
                label = Text(_cell(plan_id, id_width) + "  ")
                label.append("⚠ " + str(error), style="bold red")
                options.append(Option(label, id=plan_id, disabled=True))
                continue
            count = len(task_files(plan.tasks_folder))
            label = Text(
                f"{_cell(plan_id, id_width)}  {plan.year}  {count:>5} {_('tasks')}  "
                f"{_cell(plan.document_number or '', 20)}  {plan.title}"
            )
            options.append(Option(label, id=plan_id))
        if options:
            yield Static(
                Text(
                    f"{_cell(_('plan'), id_width)}  {_cell(_('year'), 4)}  "
                    f"{_cell(_('tasks'), 11)}  {_cell(_('document'), 20)}  {_('title')}"
                ),
                id="picker-header",
            )
            yield OptionList(*options, id="plans")
        else:
            yield Static(
                _("No plans in this repository yet. Import one with: duban import DOCUMENT --plan PLAN-ID"),
                id="picker-empty",
                markup=False,
            )
        yield Footer()

    def action_open(self) -> None:
        options = self.query("#plans")
        if options:
            self.query_one("#plans", OptionList).action_select()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if not event.option.id:
            return
        if self.current is None:
            duban_app(self).open_plan(event.option.id)
        elif event.option.id == self.current:
            self.dismiss(None)
        else:
            duban_app(self).replace_plan(event.option.id)
