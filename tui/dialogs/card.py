"""CardDialog: the task's card (the same as `duban show`) when the detail pane is hidden."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer

from duban.i18n import _
from duban.model import Task
from duban.store.repository import Repository
from duban.supervise.selection import Selection
from duban.tui.widgets.task_card import TaskCard


class CardDialog(ModalScreen[None]):
    CSS_PATH = "card.tcss"
    BINDINGS = [Binding("escape,q,enter", "close", _("Close"), key_display="esc")]

    def __init__(self, task: Task, selection: Selection, repo: Repository) -> None:
        super().__init__()
        self.task_, self.selection, self.repo = task, selection, repo

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card-box"):
            yield TaskCard(id="card")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#card", TaskCard).show_task(self.task_, self.selection, self.repo)
        self.query_one("#card-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)
