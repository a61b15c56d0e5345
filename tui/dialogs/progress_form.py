"""ProgressForm: record a progress report from a form; saved through the same core code as
`duban progress` (validated, written, committed), errors shown in the form.

Defaults a clerk can keep: the date inside the plan's year (the as-of date, or today, or the
plan's 31 December when the plan is past); "my unit" as the reporting unit where it is one of
the task's units, else the task's lead; the reporting unit's own last percent (a supporting
unit's report is its own part, docs/reading.md rule 1), which follows a change of the unit
until the percent is typed. Enter moves to the next field and saves on the last; a falling
percent or an empty note is warned about once before saving, against the task as it is then.
Where the office records on a unit's behalf (duban.guard.access.reason_needed), a Reason field
shows and must be filled: it goes in the commit's `Reason:` trailer, as `progress --reason` puts it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Footer, Input, Label, Select, Static

from duban.errors import DubanError
from duban.i18n import _
from duban.model import STATUSES, Plan, Report, Task
from duban.record.report_checks import NewReport, has_numeric_target, numeric_target, own_last_report, report_warnings
from duban.supervise.selection import Selection
from duban.text.glyphs import glyph
from duban.text.hygiene import clean
from duban.text.numbers import parse_figure, parse_percent
from duban.tui.access import duban_app
from duban.tui.dates import default_report_date, typed_day
from duban.tui.dialogs.task_form import TaskForm
from duban.tui.widgets.list_field import ListField
from duban.tui.widgets.text_input import TextInput
from duban.tui.widgets.unit_input import UnitInput, matching_units, resolve_typed_unit


class ProgressForm(TaskForm):
    CSS_PATH = "progress_form.tcss"

    def __init__(self, task: Task, selection: Selection | None = None) -> None:
        super().__init__(task, selection)
        self.warned: tuple[object, ...] | None = None  # the values a warning was shown for
        self.prefilled = ("", "")  # the percent and value filled in for the unit shown
        # Read when the form opens (the main screen has just checked the folder is there), not
        # on every keystroke in the unit field.
        self.plan: Plan = duban_app(self).repo.plan(task.plan_id)

    def lead(self) -> tuple[str, ...]:
        return tuple((self.selection.lead(self.task_) if self.selection is not None else self.task_.lead) or ())

    def default_reporter(self, mine: str | None) -> str:
        """My unit where it leads or supports the task, else the task's first lead."""
        units = self.plan.units
        own = {units.own_name(n) for n in (*self.lead(), *self.task_.support)}
        if mine and units.own_name(mine) in own:
            return units.own_name(mine)
        lead = self.lead()
        return lead[0] if lead else (mine or "")

    def own_last(self, unit: str | None, task: Task | None = None) -> Report | None:
        if not unit:
            return None
        return own_last_report(task or self.task_, unit, self.lead(), self.plan.units.own_name)

    def compose(self) -> ComposeResult:
        app = duban_app(self)
        plan = self.plan
        reporter = self.default_reporter(app.my_unit())
        last = self.own_last(reporter)
        day = default_report_date(plan.year, app.as_of, last.date if last else None)
        self.prefilled = (
            f"{last.percent:g}" if last else "",
            f"{last.value:g}" if last and last.value is not None else "",
        )
        with Vertical(id="dialog"):
            yield Static(Text(f"{_('Record progress')}: {self.task_.ref}  {self.task_.title}"), id="form-title")
            with Grid(id="fields"):
                yield Label(_("Percent (0-100)"))
                yield TextInput(self.prefilled[0], id="percent", compact=True)
                target = numeric_target(self.task_) if has_numeric_target(self.task_) else None
                if target is not None:
                    yield Label(
                        _("Value (target {value:g} {unit})").format(value=target["value"], unit=target.get("unit", ""))
                    )
                    yield TextInput(self.prefilled[1], id="value", compact=True)
                yield Label(_("Status"))
                yield ListField(
                    [(_(s), s) for s in STATUSES],
                    prompt=_("(follow the percent)"),
                    allow_blank=True,
                    id="status",
                    compact=True,
                )
                yield Label(_("Date"))
                yield TextInput(day, id="date", compact=True)
                yield Label(_("Reporting unit"))
                yield UnitInput(plan, reporter, id="unit", compact=True)
                yield Label("")
                yield Static("", id="unit-hint", markup=False)
                yield Label(_("Note"))
                yield TextInput("", id="note", compact=True)
                yield Label(_("Reason"), id="reason-label")
                yield TextInput("", placeholder=_("the paper or form the report came from"), id="reason", compact=True)
            yield from self.compose_buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#percent", Input))  # at once: keys typed behind p come here
        self._show_unit_hint(self.query_one("#unit", Input).value)
        self._show_reason(resolve_typed_unit(self.plan, self.query_one("#unit", Input).value) or None)

    @on(Input.Changed, "#unit")
    def unit_changed(self, event: Input.Changed) -> None:
        self._show_unit_hint(event.value)
        # The percent shown is the unit's own last figure until the clerk types one.
        found = matching_units(self.plan, event.value)
        if len(found) != 1:
            return  # half typed, or no unit: the fields stay as they are
        self._show_reason(found[0])
        last = self.own_last(found[0])
        wanted = (f"{last.percent:g}" if last else "", f"{last.value:g}" if last and last.value is not None else "")
        for name, before, now in (("percent", self.prefilled[0], wanted[0]), ("value", self.prefilled[1], wanted[1])):
            fields = self.query(f"#{name}")
            if fields and fields.first(Input).value == before:
                fields.first(Input).value = now
        self.prefilled = wanted

    def reason_needed(self, unit: str | None) -> bool:
        # Deferred: loads duban.guard.access (3 duban modules in all) only when this runs
        from duban.guard.access import reason_needed

        app = duban_app(self)
        return reason_needed(app.repo.root, unit, app.my_unit())

    def _show_reason(self, unit: str | None) -> None:
        """The Reason field, shown where a report of `unit` recorded here needs one."""
        shown = self.reason_needed(unit)
        for widget in (self.query_one("#reason-label"), self.query_one("#reason")):
            widget.display = shown

    def _show_unit_hint(self, typed: str) -> None:
        plan = self.plan
        found = matching_units(plan, typed)
        hint = self.query_one("#unit-hint", Static)
        if not typed.strip():
            hint.update("")
        elif len(found) == 1:
            hint.update(glyph("arrow") + " " + found[0])
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
        plan = self.plan
        unit = resolve_typed_unit(plan, self.query_one("#unit", Input).value) or None
        try:
            note = clean(self.query_one("#note", Input).value, _("the note")).strip() or None
            day = typed_day(self.query_one("#date", Input).value, plan.year)
            reason = clean(self.query_one("#reason", Input).value, _("the reason")).strip()
        except DubanError as problem:
            self.say(problem.message, "bold red")
            return
        if not reason and self.reason_needed(unit):
            self._show_reason(unit)
            self.say(
                _(
                    "Recording for {unit}: write the reason, the paper or form the report came from "
                    "(the shared repository refuses it without one)."
                ).format(unit=unit),
                "bold red",
            )
            self.set_focus(self.query_one("#reason", Input))
            return
        if unit and plan.units.resolve(unit) is None:
            self.say(
                _("No unit of this plan is called {unit}; the task's units: {units}").format(
                    unit=unit, units="、".join((*self.lead(), *self.task_.support))
                ),
                "bold red",
            )
            return
        date = day.isoformat()
        values = (percent, value, status, date, unit, note)
        try:  # the task as it is now: a report made since the form opened counts (audit T17)
            current = duban_app(self).repo.resolve(self.task_.ref)
        except DubanError as problem:
            self.say(str(problem), "bold red")
            return
        warnings = report_warnings(
            current,
            NewReport(
                day, percent, note=note, unit=unit, value=value, status=status if isinstance(status, str) else None
            ),
        )
        if warnings and self.warned != values:
            self.warned = values
            self.say("⚠ " + _("{warnings}. Press Ctrl+S again to save anyway.").format(warnings=_("; ").join(warnings)))
            return
        chosen = str(status) if isinstance(status, str) else None
        self.save(lambda: self._record(percent, value, chosen, date, unit, note, reason))

    def _record(
        self,
        percent: float,
        value: float | None,
        status: str | None,
        date: str | None,
        unit: str | None,
        note: str | None,
        reason: str,
    ) -> str:
        # Deferred: loads duban.record.recording (4 duban modules in all) only when this runs
        from duban.record.recording import record_progress

        return record_progress(
            duban_app(self).repo,
            self.task_.ref,
            percent,
            note=note,
            status=status,
            date=date,
            by=unit,
            value=value,
            trailers=(("Reason", reason),) if reason else (),
        ).sha

    def typed(self) -> tuple[str, ...]:
        return tuple(i.value for i in self.query(Input)) + (str(self.query_one("#status", Select).value),)
