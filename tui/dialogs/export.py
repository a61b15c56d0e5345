"""ExportDialog: write the tasks the filter shows as a ledger (xlsx, csv, md or html) through
the core's export, the same as `duban export`; the path written is shown."""

from __future__ import annotations

import errno
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from duban.i18n import _
from duban.model import Task
from duban.supervise.selection import Selection
from duban.tui.access import duban_app
from duban.tui.widgets.text_input import TextInput

FORMATS = ("xlsx", "csv", "md", "html")


def default_folder(root: Path) -> Path:
    """Where a ledger goes by default: the current folder, unless it is inside the repository
    (a file there is untracked, and `git add -A` would commit it: audit T18); then the user's
    Documents folder, or home."""
    here = Path.cwd().resolve()
    if here != root.resolve() and root.resolve() not in here.parents:
        return here
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def reason(error: OSError) -> str:
    """Why a file could not be written, in the TUI's language (strerror is English)."""
    words = {
        errno.ENOENT: _("the folder does not exist"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.ENOSPC: _("the disk is full"),
        errno.EISDIR: _("it is a folder"),
        errno.EROFS: _("the disk is read-only"),
    }
    return words.get(error.errno or 0, error.strerror or str(error))


class ExportDialog(ModalScreen[str | None]):
    CSS_PATH = "export.tcss"
    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, plan_id: str, selection: Selection, tasks: list[Task]) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.selection = selection
        self.tasks_ = list(tasks)

    def compose(self) -> ComposeResult:
        default = default_folder(duban_app(self).repo.root) / f"{self.plan_id}-{self.selection.as_of.isoformat()}.xlsx"
        with Vertical(id="export-box"):
            yield Static(
                Text(
                    _(
                        "Export the {count} tasks shown as a ledger. File (.xlsx, .csv, .md or .html), Enter to write:"
                    ).format(count=len(self.tasks_))
                )
            )
            yield TextInput(str(default), id="export-path")
            yield Static("", id="export-result", markup=False)
        yield Footer()

    @on(Input.Submitted, "#export-path")
    def submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        kind = path.suffix.lstrip(".").lower()
        if kind not in FORMATS:
            self.query_one("#export-result", Static).update(
                Text(_("The file must end in .xlsx, .csv, .md or .html."), style="bold red")
            )
            return
        self.write(path, kind)

    @work(thread=True, exclusive=True)
    def write(self, path: Path, kind: str) -> str | None:
        # Deferred: loads duban.supervise.export.formats (10 duban modules in all) only when this runs
        from duban.supervise.export.formats import export

        try:
            export(self.selection, self.tasks_, kind, path)
        except OSError as error:
            self.app.call_from_thread(
                self.query_one("#export-result", Static).update,
                Text(_("Cannot write {path}: {reason}").format(path=path, reason=reason(error)), style="bold red"),
            )
            return None
        return str(path)

    def done(self, path: str) -> None:
        self.notify(_("Exported {count} tasks to {path}").format(count=len(self.tasks_), path=path), markup=False)
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Close once the saving worker has finished: dismissing from inside the worker would
        cancel it while it waits for the dismissal."""
        if event.state == WorkerState.SUCCESS and event.worker.name == "write" and event.worker.result:
            self.done(event.worker.result)
