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
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Footer, Input, Label, Select, Static

from duban.record.report_checks import NewReport, has_numeric_target, report_warnings
from duban.text.numbers import parse_figure, parse_percent
from duban.i18n import _
from duban.model import STATUSES, Task
from duban.supervise.selection import Selection
from duban.tui.access import duban_app
from duban.tui.dialogs.task_form import TaskForm
from duban.tui.widgets.unit_input import UnitInput, matching_units, resolve_typed_unit
from duban.tui.widgets.text_input import TextInput


class ProgressForm(TaskForm):
    CSS_PATH = "progress_form.tcss"

    def __init__(self, task: Task, selection: Selection | None = None) -> None:
        super().__init__(task, selection)
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
                yield TextInput(f"{last.percent:g}" if last else "", id="percent", compact=True)
                if has_numeric_target(self.task_):
                    target = next(i for i in self.task_.indicators if isinstance(i.get("value"), (int, float)))
                    yield Label(_("Value (target {value:g} {unit})").format(value=target["value"],
                                                                           unit=target.get("unit", "")))
                    yield TextInput(f"{last.value:g}" if last and last.value is not None else "", id="value",
                                compact=True)
                yield Label(_("Status"))
                yield Select([(_(s), s) for s in STATUSES], prompt=_("(follow the percent)"), allow_blank=True,
                             id="status", compact=True)
                yield Label(_("Date"))
                yield TextInput(day, id="date", compact=True)
                yield Label(_("Reporting unit"))
                yield UnitInput(plan, reporter, id="unit", compact=True)
                yield Label("")
                yield Static("", id="unit-hint", markup=False)
                yield Label(_("Note"))
                yield TextInput("", id="note", compact=True)
            yield from self.compose_buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#percent", Input).focus()
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

    def action_save(self) -> None:
        error = self.query_one("#error", Static)
        try:
            percent = parse_percent(self.query_one("#percent", Input).value)
        except ValueError:
            error.update(_("Percent must be a number from 0 to 100."))
            return
        value = None
        if self.query("#value"):
            typed = self.query_one("#value", Input).value.strip()
            if typed:
                try:
                    value = parse_figure(typed)
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
            self.say("⚠ " + "; ".join(warnings) + ". " + _("Press Ctrl+S again to save anyway."))
            return
        chosen = str(status) if isinstance(status, str) else None
        self.save(lambda: self._record(percent, value, chosen, date, unit, note))

    def _record(self, percent: float, value: float | None, status: str | None, date: str | None, unit: str | None,
                note: str | None) -> str:
        from duban.record.recording import record_progress

        return record_progress(duban_app(self).repo, self.task_.ref, percent, note=note, status=status, date=date,
                               by=unit, value=value).sha

    def typed(self) -> tuple[str, ...]:
        return tuple(i.value for i in self.query(Input)) + (str(self.query_one("#status", Select).value),)
