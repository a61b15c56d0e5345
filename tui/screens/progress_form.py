"""ProgressForm: record a progress report from a form; saved through the same core code as
`duban progress` (validated, written, committed), errors shown in the form."""
from __future__ import annotations

import datetime as dt

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from duban.errors import DubanError
from duban.i18n import _
from duban.model import STATUSES, Task


class ProgressForm(ModalScreen[str | None]):
    CSS_PATH = "progress_form.tcss"
    BINDINGS = [Binding("escape", "cancel", _("Cancel")), Binding("ctrl+s", "save", _("Save"))]

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task_ = task

    def compose(self) -> ComposeResult:
        last = self.task_.latest
        remembered = self.app.last_unit or (last.by if last else None) or ""  # type: ignore[attr-defined]
        with Vertical(id="dialog"):
            yield Static(f"{_('Record progress')}: {self.task_.ref}  {self.task_.title}", id="form-title")
            with Grid(id="fields"):
                yield Label(_("Percent (0-100)"))
                yield Input(str(int(last.percent)) if last else "", id="percent", type="number")
                yield Label(_("Status"))
                yield Select([(_(s), s) for s in STATUSES], prompt=_("(follow the percent)"), allow_blank=True,
                             id="status")
                yield Label(_("Date"))
                yield Input(dt.date.today().isoformat(), id="date")
                yield Label(_("Reporting unit"))
                yield Input(remembered, id="unit")
                yield Label(_("Note"))
                yield Input("", id="note")
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button(_("Save and commit"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#percent", Input).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        error = self.query_one("#error", Static)
        try:
            percent = float(self.query_one("#percent", Input).value)
        except ValueError:
            error.update(_("Percent must be a number from 0 to 100."))
            return
        status = self.query_one("#status", Select).value
        self.save(percent, str(status) if isinstance(status, str) else None,
                  self.query_one("#date", Input).value.strip() or None,
                  self.query_one("#unit", Input).value.strip() or None,
                  self.query_one("#note", Input).value.strip() or None)

    @work(thread=True, exclusive=True)
    def save(self, percent: float, status: str | None, date: str | None, unit: str | None, note: str | None) -> None:
        from duban.recording import record_progress

        try:
            recorded = record_progress(self.app.repo, self.task_.ref, percent, note=note,  # type: ignore[attr-defined]
                                       status=status, date=date, by=unit)
        except DubanError as problem:
            self.app.call_from_thread(self.query_one("#error", Static).update, str(problem))
            return
        self.app.last_unit = unit  # type: ignore[attr-defined]
        self.app.call_from_thread(self.dismiss, recorded.sha)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
