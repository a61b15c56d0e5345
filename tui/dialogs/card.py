"""CardDialog: the task's card (the same as `duban show`) when the detail pane is hidden."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from duban.i18n import _
from duban.model import Task
from duban.repository import Repository
from duban.selection import Selection
from duban.tui.widgets.task_card import card_text


class CardDialog(ModalScreen[None]):
    CSS_PATH = "card.tcss"
    BINDINGS = [Binding("escape,q,enter", "close", _("Close"), key_display="esc")]

    def __init__(self, task: Task, selection: Selection, repo: Repository) -> None:
        super().__init__()
        self.task_, self.selection, self.repo = task, selection, repo

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card-box"):
            yield Static(id="card", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        width = max(min(self.app.size.width - 8, 100), 20)
        self.query_one("#card", Static).update(card_text(self.task_, self.selection, self.repo, width))
        self.query_one("#card-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)
