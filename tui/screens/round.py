"""RoundScreen: a unit's monthly round. Every task the unit leads or supports is one row, with
its percent, value (for numeric targets), status and note; Ctrl+S records each filled row as
one commit, through the same core code as `duban progress`, and says what was recorded."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from duban.errors import DubanError
from duban.record.recording import InvalidEdit
from duban.i18n import _
from duban.model import STATUSES, Task
from duban.supervise.selection import Selection
from duban.tui.access import duban_app
from duban.record.report_checks import NewReport, has_numeric_target, report_warnings
from duban.text.numbers import parse_figure, parse_percent
from duban.tui.widgets.text_input import TextInput


@dataclass
class RoundEntry:
    """What a row asks to record."""
    ref: str
    percent: float
    value: float | None
    status: str | None
    note: str | None


def unit_tasks(selection: Selection, unit: str) -> list[tuple[Task, str]]:
    """The tasks `unit` leads or supports, with its role ("lead" or "support")."""
    found = []
    for task in selection.tasks:
        units = selection.plan(task).units
        if any((u := units.resolve(n)) is not None and u.name == unit for n in selection.lead(task)):
            found.append((task, "lead"))
        elif any((u := units.resolve(n)) is not None and u.name == unit for n in task.support):
            found.append((task, "support"))
    return found


class RoundRow(Vertical):
    """One task of the round: its ref, role and title, then the fields to fill."""

    def __init__(self, index: int, task: Task, role: str) -> None:
        super().__init__(id=f"row-{index}", classes="round-row")
        self.index = index
        self.task_ = task
        self.role = role
        self.marked_unreadable = False

    def compose(self) -> ComposeResult:
        task = self.task_
        role = _("leads") if self.role == "lead" else _("supports")
        with Horizontal(classes="round-line"):
            yield Label(Text(f"{task.id}  {role}  {task.title}", no_wrap=True, overflow="ellipsis"),
                        classes="round-title")
            yield Static("", id=f"result-{self.index}", classes="round-result", markup=False)
        with Horizontal(classes="round-line"):
            yield from self._fields()

    def _fields(self) -> ComposeResult:
        task = self.task_
        last = task.latest
        yield TextInput("", placeholder=f"{last.percent:g}" if last else "%", id=f"percent-{self.index}",
                    compact=True, classes="round-percent")
        if has_numeric_target(task):
            yield TextInput("", placeholder=_("value"), id=f"value-{self.index}", compact=True,
                        classes="round-value")
        else:
            yield Label("", classes="round-value")
        yield Select([(_(s), s) for s in STATUSES], prompt=_(task.status), allow_blank=True,
                     id=f"status-{self.index}", compact=True, classes="round-status")
        yield TextInput("", placeholder=_("note"), id=f"note-{self.index}", compact=True, classes="round-note")

    def entry(self) -> RoundEntry | str | None:
        """The report this row asks for, a problem with what was typed, or None (left empty)."""
        percent_text = self.query_one(f"#percent-{self.index}", Input).value.strip()
        status = self.query_one(f"#status-{self.index}", Select).value
        status_text = status if isinstance(status, str) else None
        note = self.query_one(f"#note-{self.index}", Input).value.strip() or None
        values = self.query(f"#value-{self.index}")
        value_text = values.first(Input).value.strip() if values else ""
        if not percent_text and not status_text and not note and not value_text:
            return None
        last = self.task_.latest
        try:
            percent = parse_percent(percent_text) if percent_text else (last.percent if last else 0.0)
        except ValueError:
            return _("Percent must be a number from 0 to 100.")
        if not 0 <= percent <= 100:
            return _("Percent must be a number from 0 to 100.")
        try:
            value = parse_figure(value_text) if value_text else None
        except ValueError:
            return _("The value must be a number.")
        return RoundEntry(self.task_.ref, percent, value, status_text, note)

    def show_result(self, text: Text) -> None:
        self.marked_unreadable = text.plain.startswith("✗")
        self.query_one(f"#result-{self.index}", Static).update(text)


class RoundScreen(ModalScreen[int | None]):
    CSS_PATH = "round.tcss"
    BINDINGS = [Binding("ctrl+s", "save", _("Save the filled rows")), Binding("escape", "close", _("Close")),
                Binding("ctrl+u", "change_unit", _("Another unit"), priority=True)]

    def __init__(self, plan_id: str, unit: str, selection: Selection) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.unit = unit
        self.selection = selection
        self.tasks_ = unit_tasks(selection, unit)
        self.warned: list[RoundEntry] | None = None
        self.recorded = 0
        self.discarding = False

    def compose(self) -> ComposeResult:
        from duban.tui.screens.main import default_report_date

        app = duban_app(self)
        plan = app.repo.plan(self.plan_id)
        day = default_report_date(plan.year, app.as_of, None)
        with Vertical(id="round-box"):
            yield Static(Text(_("Monthly round of {unit}: {count} tasks it leads or supports. Fill the rows to "
                                "report; empty rows are skipped.").format(unit=self.unit, count=len(self.tasks_))),
                         id="round-title")
            with Horizontal(id="round-date-row"):
                yield Label(_("Report date"))
                yield TextInput(day, id="round-date", compact=True)
                yield Label(Text(_("Reporting unit: {unit}").format(unit=self.unit)), id="round-unit")
            with Horizontal(id="round-header", classes="round-line"):
                yield Label("%", classes="round-percent")
                yield Label(_("value"), classes="round-value")
                yield Label(_("status"), classes="round-status")
                yield Label(_("note"), classes="round-note")
            with VerticalScroll(id="round-rows"):
                for index, (task, role) in enumerate(self.tasks_):
                    yield RoundRow(index, task, role)
                if not self.tasks_:
                    yield Static(_("This unit leads or supports no task of this plan."))
            yield Static("", id="round-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.tasks_:
            self.query_one("#percent-0", Input).focus()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter moves on: to the next field of the row, then to the next row's percent."""
        inputs = [i for i in self.query(Input) if i.id != "round-date"]
        # From the field that has the focus now: a second Enter typed ahead moves on again.
        base = self.focused if self.focused in inputs else event.input
        if base in inputs:
            index = inputs.index(base)
            if index + 1 < len(inputs):
                self.set_focus(inputs[index + 1])  # now, not after this message

    def rows(self) -> list[RoundRow]:
        return list(self.query(RoundRow))

    def action_save(self) -> None:
        status = self.query_one("#round-status", Static)
        date = self.query_one("#round-date", Input).value.strip()
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            status.update(Text(_("Not a date: write it as YYYY-MM-DD."), style="bold red"))
            return
        entries: list[RoundEntry] = []
        warnings: list[str] = []
        unreadable = 0
        for row in self.rows():
            found = row.entry()
            if isinstance(found, str):  # every such row is marked, not only the first
                row.show_result(Text("✗ " + found, style="bold red"))
                unreadable += 1
                continue
            if row.marked_unreadable:
                row.show_result(Text(""))  # fixed since: its ✗ goes (a ✓ of an earlier save stays)
            if found is not None:
                entries.append(found)
                report = NewReport(dt.date.today(), found.percent, note=found.note, unit=self.unit, value=found.value,
                                   status=found.status)
                for warning in report_warnings(row.task_, report):
                    warnings.append(f"{row.task_.id}: {warning}")
        if unreadable:
            # Nothing is recorded until every filled row reads: a clerk fixes the marked rows
            # and saves once, rather than finding half the round saved.
            status.update(Text(_("Some rows cannot be read; nothing was recorded.") + " "
                               + _("Fix the rows marked ✗ and save again."), style="bold red"))
            return
        if not entries:
            status.update(_("Nothing to record: fill the percent, status or note of a row."))
            return
        if warnings and self.warned != entries:
            self.warned = entries
            status.update(Text("⚠ " + "; ".join(warnings[:6]) + ("…" if len(warnings) > 6 else "") + ". "
                               + _("Press Ctrl+S again to save anyway."), style="bold yellow"))
            return
        status.update(_("Recording {count} reports…").format(count=len(entries)))
        self.save(entries, date)

    @work(thread=True, exclusive=True)
    def save(self, entries: list[RoundEntry], date: str) -> None:
        from duban.record.recording import record_progress

        app = duban_app(self)
        rows = {row.task_.ref: row for row in self.rows()}
        done = failed = 0
        for entry in entries:
            try:
                recorded = record_progress(app.repo, entry.ref, entry.percent, note=entry.note, status=entry.status,
                                           date=date, by=self.unit, value=entry.value)
            except DubanError as problem:
                failed += 1
                # (not for what the form typed: its problems are the form's, not a file's)
                where = problem.where if problem.where and not isinstance(problem, InvalidEdit) else ""
                message = (f"{where}: " if where else "") + problem.message + (
                    f" ({problem.hint})" if problem.hint else "")
                app.call_from_thread(rows[entry.ref].show_result, Text("✗ " + message, style="bold red"))
                continue
            done += 1
            app.call_from_thread(self._saved, rows[entry.ref], recorded.sha)
        self.recorded += done
        summary = _("Recorded {done} reports, one commit each; {failed} refused.").format(done=done, failed=failed)
        app.call_from_thread(self.query_one("#round-status", Static).update,
                             Text(summary, style="bold green" if not failed else "bold yellow"))

    def _saved(self, row: RoundRow, sha: str) -> None:
        row.show_result(Text("✓ " + sha[:10], style="green"))
        # The row goes on from the report just made: a note typed on it next keeps this percent,
        # and its warnings compare with this report, not with the task as the round opened it.
        try:
            row.task_ = duban_app(self).repo.resolve(row.task_.ref)
        except DubanError:
            pass  # the commit is made; the row keeps what it had
        last = row.task_.latest
        for widget in row.query(Input):
            widget.value = ""
        row.query_one(f"#percent-{row.index}", Input).placeholder = f"{last.percent:g}" if last else "%"
        for select in row.query(Select):
            select.clear()
            select.prompt = _(row.task_.status)

    def action_change_unit(self) -> None:
        from duban.tui.screens.units import UnitPicker

        def chosen(unit: str | None) -> None:
            if unit:
                duban_app(self).set_my_unit(unit)
                self.dismiss(self.recorded)
                screen = self.app.screen
                if hasattr(screen, "action_round"):
                    screen.action_round()

        self.app.push_screen(UnitPicker(self.plan_id, self.selection,
                                        title=_("My unit: choose the unit whose tasks you report")), chosen)

    def action_close(self) -> None:
        """Esc: close; with rows filled and not saved, the first Esc asks."""
        if not self.discarding and any(row.entry() is not None for row in self.rows()):
            self.discarding = True
            self.query_one("#round-status", Static).update(
                Text(_("Press Esc again to discard what you typed."), style="bold yellow"))
            return
        self.dismiss(self.recorded)
