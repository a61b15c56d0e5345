"""The round's rows as data: what was typed on each row (RowState), the tasks a unit's round
lists (unit_tasks) and the report a row asks for (row_entry): an empty percent is the unit's
own last figure, never another unit's (docs/reading.md rule 1)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Plan, Task
from duban.record.report_checks import own_last_report
from duban.supervise.selection import Selection
from duban.text.hygiene import clean
from duban.text.numbers import parse_figure, parse_percent


@dataclass(frozen=True)
class RoundEntry:
    """What a row asks to record."""

    ref: str
    percent: float
    value: float | None
    status: str | None
    note: str | None


@dataclass
class RowState:
    """One row of the round: its task, what was typed on it and what became of it."""

    task: Task
    role: str  # "lead" or "support"
    lead: tuple[str, ...]  # the task's lead units (its ancestor's where it names none)
    percent: str = ""
    value: str = ""
    status: str | None = None
    note: str = ""
    result: Text | None = None
    refused: bool = False  # the result is a ✗: what was typed could not be read or recorded

    def typed(self) -> tuple[str, str, str | None, str]:
        return self.percent.strip(), self.value.strip(), self.status, self.note.strip()

    def clear(self) -> None:
        self.percent = self.value = self.note = ""
        self.status = None


def unit_tasks(selection: Selection, unit: str) -> list[tuple[Task, str]]:
    """The tasks `unit` leads or supports, with its role ("lead" or "support")."""
    found = []
    names: dict[tuple[str, str], bool] = {}  # (plan, name as written) -> names the unit

    def is_unit(plan: Plan, name: str) -> bool:
        key = (plan.id, name)
        if key not in names:
            resolved = plan.units.resolve(name)
            names[key] = resolved is not None and resolved.name == unit
        return names[key]

    for task in selection.tasks:
        plan = selection.plan(task)
        if any(is_unit(plan, n) for n in selection.lead(task)):
            found.append((task, "lead"))
        elif any(is_unit(plan, n) for n in task.support):
            found.append((task, "support"))
    return found


def row_entry(state: RowState, unit: str, plan: Plan, task: Task | None = None) -> RoundEntry | str | None:
    """The report a row asks for, a problem with what was typed, or None (left empty).

    An empty percent is the unit's own last figure (and, with no new figure either, its own
    last figure against the target); a unit with no report of its own on the task is asked
    for its percent. `task` is the task as it is now (default: as the row has it)."""
    task = task or state.task
    percent_text, value_text, status, note = state.typed()
    if not percent_text and not status and not note and not value_text:
        return None
    try:
        value = parse_figure(value_text) if value_text else None
    except ValueError:
        return _("The value must be a number.")
    if percent_text:
        try:
            percent = parse_percent(percent_text)
        except ValueError:
            return _("Percent must be a number from 0 to 100.")
        if not 0 <= percent <= 100:
            return _("Percent must be a number from 0 to 100.")
    else:
        own = own_last_report(task, unit, state.lead, plan.units.own_name)
        if own is None:
            return _("{unit} has not reported on this task yet: write its percent.").format(unit=unit)
        percent = own.percent
        if value is None and own.value is not None and not value_text:
            value = own.value  # no new figure: the unit's own, as it stands
    try:
        note = clean(note, _("the note")) if note else note
    except DubanError as problem:
        return problem.message
    return RoundEntry(task.ref, percent, value, status, note or None)
