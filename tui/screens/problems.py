"""ProblemsScreen: `duban validate` results for the plan; Enter jumps to the task."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from duban.errors import DubanError
from duban.i18n import N_, _
from duban.model import natural_key
from duban.problems import Problem
from duban.tui.access import duban_app

# Shown in the table; the parsable output of `duban validate` keeps the English words.
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning")}


class ProblemsScreen(ModalScreen[str | None]):
    CSS_PATH = "problems.tcss"
    BINDINGS = [
        Binding("enter", "choose", _("Go to the task")),
        Binding("escape,q", "cancel", _("Close"), key_display="esc"),
    ]

    def __init__(self, plan_id: str) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.problems: list[Problem] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="problems-box"):
            yield Static(_("Checking…"), id="problems-title")
            yield DataTable(id="problems", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#problems", DataTable)
        for label in (_("file"), _("line"), _("severity"), _("problem"), _("rule")):
            table.add_column(label)
        table.loading = True
        self.check()

    @work(thread=True, exclusive=True)
    def check(self) -> None:
        # Deferred: loads duban.validate.validation (23 duban modules in all) only when this runs
        from duban.validate.validation import validate

        folder = duban_app(self).repo.plans_folder / self.plan_id
        try:
            report = validate([folder])
        except DubanError as error:
            self.app.call_from_thread(self.query_one("#problems-title", Static).update, Text(str(error)))
            self.app.call_from_thread(setattr, self.query_one("#problems", DataTable), "loading", False)
            return
        problems = sorted(report.problems, key=lambda p: (natural_key(Path(p.path).stem), p.line or 0, p.col or 0))
        self.app.call_from_thread(self.show, problems, report.files_checked)

    def show(self, problems: list[Problem], checked: int) -> None:
        self.problems = problems
        table = self.query_one("#problems", DataTable)
        table.loading = False
        for index, problem in enumerate(problems):
            where = f"{problem.line}:{problem.col}" if problem.line else ""
            table.add_row(
                Text(Path(problem.path).name),
                Text(where),
                Text(_(SEVERITY_WORDS[problem.severity.value])),
                Text(problem.message),
                Text(problem.rule),
                key=str(index),
            )
        title = self.query_one("#problems-title", Static)
        title.update(
            _("{count} problems in {files} files; Enter jumps to the task").format(count=len(problems), files=checked)
            if problems
            else _("No problems in {files} files.").format(files=checked)
        )
        table.focus()

    def action_choose(self) -> None:
        table = self.query_one("#problems", DataTable)
        if table.row_count:
            table.action_select_cursor()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        problem = self.problems[int(str(event.row_key.value))]
        path = Path(problem.path)
        self.dismiss(f"{self.plan_id}/{path.stem}" if path.parent.name == "tasks" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
