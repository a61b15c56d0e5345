"""ProgressForm: record a progress report from a form; saved through the same core code as
`duban progress` (validated, written, committed), errors shown in the form.

Defaults a clerk can keep: the date inside the plan's year (the as-of date, or today, or the
plan's 31 December when the plan is past), the task's own lead as the reporting unit. Enter
moves to the next field and saves on the last; a falling percent or an empty note is warned
about once before saving.
"""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.worker import Worker, WorkerState
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from duban.errors import DubanError
from duban.record.report_checks import NewReport, has_numeric_target, report_warnings
from duban.i18n import _
from duban.model import STATUSES, Task
from duban.supervise.selection import Selection
from duban.tui.access import duban_app
from duban.tui.widgets.unit_input import UnitInput, matching_units, resolve_typed_unit


class ProgressForm(ModalScreen[str | None]):
    CSS_PATH = "progress_form.tcss"
    BINDINGS = [Binding("ctrl+s", "save", _("Save")), Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, task: Task, selection: Selection | None = None) -> None:
        super().__init__()
        self.task_ = task
        self.selection = selection
        self.warned: tuple[object, ...] | None = None  # the values a warning was shown for

    def compose(self) -> ComposeResult:
        from duban.tui.screens.main import default_report_date

        app = duban_app(self)
        plan = app.repo.plan(self.task_.plan_id)
        last = self.task_.latest
        lead = (self.selection.lead(self.task_) if self.selection is not None else self.task_.lead) or ()
        mine = app.my_unit()
        reporter = mine if mine and mine in lead else (lead[0] if lead else (mine or ""))
        day = default_report_date(plan.year, app.as_of, last.date if last else None)
        with Vertical(id="dialog"):
            yield Static(Text(f"{_('Record progress')}: {self.task_.ref}  {self.task_.title}"), id="form-title")
            with Grid(id="fields"):
                yield Label(_("Percent (0-100)"))
                yield Input(f"{last.percent:g}" if last else "", id="percent", type="number", compact=True)
                if has_numeric_target(self.task_):
                    target = next(i for i in self.task_.indicators if isinstance(i.get("value"), (int, float)))
                    yield Label(_("Value (target {value:g} {unit})").format(value=target["value"],
                                                                           unit=target.get("unit", "")))
                    yield Input(f"{last.value:g}" if last and last.value is not None else "", id="value",
                                type="number", compact=True)
                yield Label(_("Status"))
                yield Select([(_(s), s) for s in STATUSES], prompt=_("(follow the percent)"), allow_blank=True,
                             id="status", compact=True)
                yield Label(_("Date"))
                yield Input(day, id="date", compact=True)
                yield Label(_("Reporting unit"))
                yield UnitInput(plan, reporter, id="unit", compact=True)
                yield Label("")
                yield Static("", id="unit-hint", markup=False)
                yield Label(_("Note"))
                yield Input("", id="note", compact=True)
            yield Static("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(_("Save and commit"), variant="primary", id="save", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#percent", Input).focus()
        self.initial = self.typed()
        self.discarding = False
        self._show_unit_hint(self.query_one("#unit", Input).value)

    @on(Input.Changed, "#unit")
    def unit_changed(self, event: Input.Changed) -> None:
        self._show_unit_hint(event.value)

    def _show_unit_hint(self, typed: str) -> None:
        plan = duban_app(self).repo.plan(self.task_.plan_id)
        found = matching_units(plan, typed)
        hint = self.query_one("#unit-hint", Static)
        if not typed.strip():
            hint.update("")
        elif len(found) == 1:
            hint.update("→ " + found[0])
        elif found:
            hint.update(_("several units match: {names}").format(names="、".join(found[:6])))
        else:
            hint.update(_("no unit of this plan matches"))

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter: the next field, and on the last one, save."""
        inputs = list(self.query(Input))
        # From the field that has the focus now: a second Enter typed ahead moves on again.
        base = self.focused if self.focused in inputs else event.input
        index = inputs.index(base)
        if index + 1 < len(inputs):
            self.set_focus(inputs[index + 1])  # now, not after this message
        else:
            self.action_save()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        error = self.query_one("#error", Static)
        try:
            percent = float(self.query_one("#percent", Input).value)
        except ValueError:
            error.update(_("Percent must be a number from 0 to 100."))
            return
        value = None
        if self.query("#value"):
            typed = self.query_one("#value", Input).value.strip()
            if typed:
                try:
                    value = float(typed)
                except ValueError:
                    error.update(_("The value must be a number."))
                    return
        status = self.query_one("#status", Select).value
        plan = duban_app(self).repo.plan(self.task_.plan_id)
        unit = resolve_typed_unit(plan, self.query_one("#unit", Input).value) or None
        note = self.query_one("#note", Input).value.strip() or None
        date = self.query_one("#date", Input).value.strip() or None
        values = (percent, value, status, date, unit, note)
        warnings = report_warnings(self.task_, NewReport(dt.date.today(), percent, note=note, unit=unit, value=value,
                                                         status=status if isinstance(status, str) else None))
        if warnings and self.warned != values:
            self.warned = values
            error.update(Text("⚠ " + "; ".join(warnings) + ". " + _("Press Ctrl+S again to save anyway."),
                              style="bold yellow"))
            return
        self.save(percent, value, str(status) if isinstance(status, str) else None, date, unit, note)

    @work(thread=True, exclusive=True)
    def save(self, percent: float, value: float | None, status: str | None, date: str | None, unit: str | None,
             note: str | None) -> str | None:
        from duban.record.recording import record_progress

        app = duban_app(self)
        try:
            recorded = record_progress(app.repo, self.task_.ref, percent, note=note, status=status, date=date,
                                       by=unit, value=value)
        except DubanError as problem:
            # The problem in the words of the core, [rule] kept; no path into a file the user never saw.
            message = problem.message + (f" ({problem.hint})" if problem.hint else "")
            app.call_from_thread(self.query_one("#error", Static).update, Text(message, style="bold red"))
            return
        return recorded.sha

    @on(Button.Pressed, "#cancel")
    def typed(self) -> tuple[str, ...]:
        return tuple(i.value for i in self.query(Input)) + (str(self.query_one("#status", Select).value),)

    def action_cancel(self) -> None:
        """Esc: close; when something was typed, the first Esc asks, so nothing is lost by a slip."""
        if self.typed() != self.initial and not self.discarding:
            self.discarding = True
            self.query_one("#error", Static).update(
                Text(_("Press Esc again to discard what you typed."), style="bold yellow"))
            return
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Close once the saving worker has finished: dismissing from inside the worker would
        cancel it while it waits for the dismissal."""
        if event.state == WorkerState.SUCCESS and event.worker.name == "save" and event.worker.result:
            self.dismiss(event.worker.result)
