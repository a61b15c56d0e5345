"""What is looked at in a report before it is written: the one thing refused (the same report
twice) and what a clerk should look at twice (a falling percent, done at 30%, a report on a
cancelled task, a figure for a task with no numeric target, an empty note).

The CLI prints the warnings after the commit and the TUI's progress form asks before it
saves; `validate` warns about the falling percent again later, so nothing here is the only
record of a doubt.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Task


@dataclass(frozen=True)
class NewReport:
    day: dt.date
    percent: float
    note: str | None = None
    unit: str | None = None
    value: float | None = None
    status: str | None = None  # the status asked for, if any


def has_numeric_target(task: Task) -> bool:
    return any(isinstance(i.get("value"), (int, float)) and not isinstance(i.get("value"), bool)
               for i in task.indicators)


def refuse_duplicate(task: Task, report: NewReport) -> None:
    """The same report typed in twice (same day, unit, percent, figure and note) is refused:
    counting it twice would misstate how often the unit reported."""
    for earlier in task.progress:
        if (earlier.date == report.day.isoformat() and (earlier.by or None) == (report.unit or None)
                and earlier.percent == report.percent and earlier.value == report.value
                and (earlier.note or "").strip() == (report.note or "").strip()):
            raise DubanError(
                _("this report of {ref} is already recorded ({date}, {unit}, {percent:g}%); nothing was changed").format(
                    ref=task.ref, date=earlier.date, unit=earlier.by or _("no unit"), percent=earlier.percent),
                hint=_("a new report differs in its date, percent, figure or note"))


def report_warnings(task: Task, report: NewReport) -> list[str]:
    """One line per doubt, in the clerk's language; empty when the report looks ordinary."""
    found = []
    earlier = [r for r in task.progress if report.unit is None or r.by in (None, report.unit)]
    if earlier and report.percent < earlier[-1].percent:
        found.append(_("the percent falls from {last:g}% to {new:g}%").format(last=earlier[-1].percent, new=report.percent))
    if report.status == "done" and report.percent < 100:
        found.append(_("the status is done at {percent:g}%").format(percent=report.percent))
    if task.status == "cancelled" and report.status in (None, "cancelled"):
        found.append(_("the task is cancelled; it stays cancelled"))
    if report.value is not None and not has_numeric_target(task):
        found.append(_("the task has no numeric target; the figure counts toward nothing"))
    if not (report.note or "").strip():
        found.append(_("the note is empty"))
    return found
