"""CollectScreen: the office's clerk picks a folder (or a form) of returned report forms, sees
every report they would record and every problem by file and cell, and records them with
Ctrl+S through duban.forms.collect, the path `duban collect` takes: one commit each.

Reading and checking forms, and recording them, run in workers; each posts its result to the
screen as a message (FormsChecked, FormsRecorded), so the screen never waits on a file or on git."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Static

from duban.errors import DubanError
from duban.forms.checked import PREVIEW_HEADINGS, Outcome
from duban.forms.checked import Checked as CheckedForm
from duban.forms.collect import check, form_files, read_forms, record
from duban.i18n import _
from duban.tui.access import duban_app
from duban.tui.widgets.task_table import visible
from duban.tui.widgets.text_input import TextInput


@dataclass
class Preview:
    """What the checked forms say: the lines to show and how many reports would be recorded."""

    lines: Text
    pending: int
    refused: int


def preview(checked: list[CheckedForm]) -> Preview:
    """Per file: refused with each problem at its cell, notes on rows not taken, collected
    before, or nothing filled (the lines `duban collect` prints on stderr)."""
    lines = Text()
    for result in checked:
        form = result.form
        if result.refused:
            lines.append(
                _("✗ {file}: refused; nothing of it is recorded").format(file=form.name) + "\n", style="bold red"
            )
            for problem in form.problems:
                lines.append("    " + visible(problem.format()) + "\n", style="red")
            continue
        if result.collected_in:
            lines.append(
                _("= {file}: this file was collected before ({commit}); nothing is recorded again").format(
                    file=form.name, commit=result.collected_in[:10]
                )
                + "\n",
                style="dim",
            )
        elif not form.filled:
            lines.append(_("= {file}: no row is filled in").format(file=form.name) + "\n", style="dim")
        else:
            lines.append(
                _("✓ {file}: {count} reports to record").format(file=form.name, count=len(result.to_record)) + "\n",
                style="green",
            )
        for note in result.notes:
            lines.append("    " + visible(note.format()) + "\n", style="yellow")
    pending = sum(len(c.to_record) for c in checked)
    return Preview(lines, pending, sum(1 for c in checked if c.refused))


def typed_paths(text: str) -> list[Path]:
    """A folder, or forms separated by ; (a path pasted from a file manager may come quoted)."""
    return [Path(part.strip().strip("'\"")).expanduser() for part in text.split(";") if part.strip()]


class CollectScreen(ModalScreen[int | None]):
    CSS_PATH = "collect.tcss"
    BINDINGS = [
        Binding("ctrl+s", "record", _("Record the reports"), priority=True),
        Binding("ctrl+o", "browse", _("Pick the folder"), priority=True),
        Binding("escape", "close", _("Close")),
    ]

    class FormsChecked(Message):
        """The forms at `paths`, read and checked (or why they could not be)."""

        def __init__(self, paths: list[Path], checked: list[CheckedForm] | None, error: str | None = None) -> None:
            super().__init__()
            self.paths, self.checked, self.error = paths, checked, error

    class FormsRecorded(Message):
        """What recording the checked forms did, report by report."""

        def __init__(self, outcomes: list[Outcome]) -> None:
            super().__init__()
            self.outcomes = outcomes

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path.cwd()
        self.checked: list[CheckedForm] = []
        self.recorded = 0
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="collect-box"):
            yield Static(
                Text(
                    _(
                        "Collect returned report forms: give a folder or forms (separated by ;) and "
                        "press Enter, check the preview, then Ctrl+S records each report as its unit's, one commit each."
                    )
                ),
                id="collect-title",
            )
            with Horizontal(id="collect-path-row"):
                yield Label(_("Forms"))
                yield TextInput(str(self.start), id="collect-path", compact=True)
            yield DataTable(id="collect-preview", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="collect-problems-pane"):
                yield Static("", id="collect-problems")
            yield Static("", id="collect-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#collect-preview", DataTable)
        table.add_columns(*(_(heading) for heading in PREVIEW_HEADINGS))
        self.query_one("#collect-path", Input).focus()

    def say(self, text: str) -> None:
        self.query_one("#collect-status", Static).update(text)

    # -- choosing the forms --
    @on(Input.Submitted, "#collect-path")
    def path_given(self, event: Input.Submitted) -> None:
        paths = typed_paths(event.value)
        if paths:
            self.read(paths)

    def action_browse(self) -> None:
        """Ctrl+O: the folder (or a form) picked from a tree, for a clerk who does not type paths."""
        # Deferred: loads duban.tui.dialogs.folder_picker (2 duban modules in all) only when this runs
        from duban.tui.dialogs.folder_picker import FolderPicker

        box = self.query_one("#collect-path", Input)
        given = typed_paths(box.value)

        def picked(path: Path | None) -> None:
            if path is not None:
                box.value = str(path)
                self.read([path])

        self.app.push_screen(FolderPicker(given[0] if given else self.start), picked)

    def read(self, paths: list[Path]) -> None:
        if self.busy:
            return
        self.busy = True
        self.checked = []
        self.say(_("Reading and checking the forms in {path}…").format(path="; ".join(map(str, paths))))
        self.check_forms(paths)

    @work(thread=True, exclusive=True, group="collect")
    def check_forms(self, paths: list[Path]) -> None:
        repo = duban_app(self).repo
        try:
            if not form_files(paths):
                self.post_message(
                    self.FormsChecked(
                        paths,
                        None,
                        _("no report form (.xlsx, .xls, .et, .ods) in {path}").format(path=", ".join(map(str, paths))),
                    )
                )
                return
            checked = check(repo, read_forms(repo, paths), collection_day())
        except DubanError as error:
            self.post_message(self.FormsChecked(paths, None, str(error)))
            return
        self.post_message(self.FormsChecked(paths, checked))

    @on(FormsChecked)
    def show_checked(self, message: CollectScreen.FormsChecked) -> None:
        self.busy = False
        table = self.query_one("#collect-preview", DataTable)
        table.clear()
        problems = self.query_one("#collect-problems", Static)
        if message.checked is None:
            problems.update("")
            self.say(message.error or "")
            return
        self.checked = message.checked
        for result in self.checked:
            if result.refused or result.collected_in:
                continue
            for action in result.actions:
                table.add_row(*(visible(cell) for cell in action.preview_cells()))
        shown = preview(self.checked)
        problems.update(shown.lines)
        words = _("{forms} forms: {refused} refused; {count} reports to record").format(
            forms=len(self.checked), refused=shown.refused, count=shown.pending
        )
        self.say(words + (_("; Ctrl+S records them") if shown.pending else ""))

    # -- recording --
    def action_record(self) -> None:
        pending = sum(len(c.to_record) for c in self.checked)
        if self.busy or not pending:
            if not self.busy:
                self.say(_("Nothing to record: give a folder or a form and press Enter first."))
            return
        self.busy = True
        self.say(_("Recording {count} reports…").format(count=pending))
        self.record_forms(self.checked)

    @work(thread=True, exclusive=True, group="collect")
    def record_forms(self, checked: list[CheckedForm]) -> None:
        outcomes = record(duban_app(self).repo, checked, collection_day())
        self.post_message(self.FormsRecorded(outcomes))

    @on(FormsRecorded)
    def show_recorded(self, message: CollectScreen.FormsRecorded) -> None:
        self.busy = False
        self.checked = []  # recorded: a second Ctrl+S must not record them again
        done = [o for o in message.outcomes if o.recorded is not None]
        self.recorded += len(done)
        failed = [o for o in message.outcomes if o.error]
        words = _("Recorded {count} reports, one commit each.").format(count=len(done))
        for outcome in failed:
            words += " " + _("{file}: task {ref}: {error}; the rest of this form is not recorded").format(
                file=outcome.action.form.name, ref=outcome.action.ref, error=outcome.error
            )
        self.say(words)
        self.query_one("#collect-preview", DataTable).clear()

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(self.recorded)


def collection_day() -> dt.date:
    """The day of collection, as `duban collect` takes it: the day the commits will carry."""
    # Deferred: loads duban.record.commit_message only when this runs
    from duban.record.commit_message import recording_time

    return recording_time().date()
