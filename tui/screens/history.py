"""HistoryScreen: a task's commits with the coloured diff of each, or the plan-wide log."""
from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ListItem, ListView, Static

from duban.errors import DubanError
from duban.gitstore import Commit
from duban.i18n import _


class HistoryScreen(ModalScreen[None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [Binding("escape", "dismiss_screen", _("Close")), Binding("q", "dismiss_screen", _("Close"))]

    def __init__(self, ref: str | None, plan_id: str | None = None) -> None:
        super().__init__()
        self.ref = ref
        self.plan_id = plan_id
        self.commits: list[Commit] = []
        self.shown_text = ""  # the selected commit as plain text (message, trailers, patch)

    def compose(self) -> ComposeResult:
        title = f"{_('History')}: {self.ref}" if self.ref else f"{_('Recent reports')}: {self.plan_id}"
        yield Static(title, id="history-title")
        with Horizontal():
            yield ListView(id="commits")
            with VerticalScroll(id="patch-pane"):
                yield Static(_("Loading…"), id="patch")

    def on_mount(self) -> None:
        self.query_one("#commits", ListView).loading = True
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        from duban.history import plan_log, task_history

        try:
            if self.ref:
                commits = task_history(self.app.repo, self.ref, patch=True)  # type: ignore[attr-defined]
            else:
                commits = plan_log(self.app.repo, self.plan_id)[:200]  # type: ignore[attr-defined]
        except DubanError as error:
            self.app.call_from_thread(self.query_one("#patch", Static).update, str(error))
            self.app.call_from_thread(setattr, self.query_one("#commits", ListView), "loading", False)
            return
        self.app.call_from_thread(self.show, commits)

    def show(self, commits: list[Commit]) -> None:
        self.commits = commits
        view = self.query_one("#commits", ListView)
        view.loading = False
        for commit in commits:
            by = f" [{commit.trailers['Reported-by']}]" if "Reported-by" in commit.trailers else ""
            view.append(ListItem(Static(f"{commit.date[:10]} {commit.author}{by}\n{commit.subject}")))
        if not commits:
            self.query_one("#patch", Static).update(_("No commits yet."))
        view.index = 0
        view.focus()

    @on(ListView.Highlighted, "#commits")
    def commit_highlighted(self, event: ListView.Highlighted) -> None:
        index = event.list_view.index
        if index is None or index >= len(self.commits):
            return
        commit = self.commits[index]
        header = Text(f"{commit.sha}\n{commit.author} <{commit.email}>  {commit.date}\n\n{commit.subject}\n",
                      style="bold")
        if commit.body:
            header.append(f"{commit.body}\n")
        for key, value in commit.trailers.items():
            header.append(f"{key}: {value}\n", style="dim")
        pane = self.query_one("#patch", Static)
        self.shown_text = header.plain + (commit.patch or "\n".join(commit.paths))
        if commit.patch:
            from rich.console import Group

            pane.update(Group(header, Syntax(commit.patch, "diff", word_wrap=True, theme="ansi_dark")))
        else:
            pane.update(header.append("\n".join(commit.paths)))

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
