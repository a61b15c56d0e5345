"""Tasks as rows: one builder (TaskRow) for what `duban list`, its JSON and CSV, the TUI's
table and the ledger show of a task, so that a column means the same everywhere (the lead is
the effective lead, the light the one of the selection's day, the percent that of the report
the task's leads give it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from duban import vocabulary
from duban.model import Report, Task, natural_key
from duban.reading import figure_against
from duban.states import LIGHT_ORDER
from duban.supervise.lights import Light
from duban.supervise.selection import Selection

LIST_FIELDS = ("ref", "plan", "id", "title", "area", "lead", "support", "type", "status", "percent", "path")
# What `duban list --format json|csv` gives of each task.
ROW_FIELDS = (*LIST_FIELDS, "light", "late")

# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class TaskRow:
    """One task as a row of a table; each column's value is worked out here once, lazily."""

    task: Task
    selection: Selection

    @cached_property
    def lead(self) -> tuple[str, ...]:
        """The effective lead: the parent's for a sub-item that names none."""
        return self.selection.lead(self.task)

    @cached_property
    def latest(self) -> Report | None:
        """The report giving the task its percent, read from its effective lead's reports
        (docs/reading.md rule 2): a sub-item's are its parent's lead's; aliases are the unit."""
        return self.selection.deciding_report(self.task)

    @cached_property
    def percent(self) -> float | None:
        """The task's percent (rule 2): the deciding report's figure against a numeric
        target where it gives one, else its percent; None with no lead report."""
        return figure_against(self.task.indicators)(self.latest) if self.latest is not None else None

    @cached_property
    def light(self) -> Light:
        return self.selection.light_of(self.task)

    @cached_property
    def path(self) -> str:
        repo = self.selection.repo
        return repo.display(self.task.path) if repo is not None else str(self.task.path)

    def value(self, column: str) -> Any:
        """The column's value as data: lists as lists, the percent a number or None."""
        return _VALUES[column](self)

    def text(self, column: str) -> str:
        """The column's value as plain text (see plain_cell); status and light as stored."""
        return plain_cell(self.value(column))

    def shown(self, column: str) -> str:
        """The column's text as people read it: status and light in the interface's language."""
        if column in ("status", "light"):
            return vocabulary.shown(column, self.value(column))
        return self.text(column)

    def sort_key(self, column: str) -> Any:
        """What the column sorts by: ids in natural order (2 before 10), a task without a report
        below 0%, lights from red to grey with the late one first."""
        if column == "id":
            return natural_key(self.task.id)
        if column == "ref":
            return self.task.plan_id, natural_key(self.task.id)
        if column == "percent":
            return self.percent if self.percent is not None else -1
        if column == "light":
            return LIGHT_ORDER.index(self.light.colour), not self.light.late
        return self.text(column)

    def as_dict(self) -> dict[str, Any]:
        """The row for JSON and CSV: the fields of ROW_FIELDS."""
        return {name: value_of(self) for name, value_of in _ROW_VALUES}


_VALUES: dict[str, Callable[[TaskRow], Any]] = {
    "ref": lambda row: row.task.ref,
    "plan": lambda row: row.task.plan_id,
    "id": lambda row: row.task.id,
    "title": lambda row: row.task.title,
    "area": lambda row: row.task.area,
    "lead": lambda row: list(row.lead),
    "support": lambda row: list(row.task.support),
    "type": lambda row: row.task.type,
    "status": lambda row: row.task.status,
    "percent": lambda row: row.percent,
    "light": lambda row: row.light.colour.value,  # a plain key for JSON and CSV
    "late": lambda row: row.light.late,
    "report": lambda row: row.latest.date.isoformat() if row.latest is not None else None,  # as JSON and CSV write it
    "path": lambda row: row.path,
}


_ROW_VALUES = tuple((name, _VALUES[name]) for name in ROW_FIELDS)


def task_row(selection: Selection, task: Task) -> TaskRow:
    """The row of `task` as `selection` sees it (its day, its plans' tasks for the lead)."""
    return TaskRow(task, selection)


def plain_cell(value: Any) -> str:
    """A row value as text: lists joined with 、, floats without trailing zeros, None empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def csv_cell(value: Any) -> str:
    """A value as CSV text that a spreadsheet shows as text, never runs as a formula."""
    text = plain_cell(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
