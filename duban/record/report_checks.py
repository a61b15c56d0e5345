"""What is looked at in a report before it is written: the one thing refused (the same report
twice) and what a clerk should look at twice (a falling percent, done at 30%, a report on a
cancelled task, a figure for a task with no numeric target, an empty note).

The CLI prints the warnings after the commit and the TUI's progress form asks before it
saves; `validate` warns about the falling percent again later, so nothing here is the only
record of a doubt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Report, Task
from duban.reading import normalise_unit_name
from duban.states import Status

# The kinds of indicator whose figure counts against its value (duban.reading.figure_against).
_MEASURED = ("level", "growth", "decrease")


@dataclass(frozen=True)
class NewReport:
    day: dt.date
    percent: float
    note: str | None = None
    unit: str | None = None
    value: float | None = None
    status: str | None = None  # the status asked for, if any


def has_numeric_target(task: Task) -> bool:
    return any(
        isinstance(i.get("value"), (int, float)) and not isinstance(i.get("value"), bool) for i in task.indicators
    )


def numeric_target(task: Task) -> dict[str, Any] | None:
    """The indicator a reported figure counts against: the one duban.reading.figure_against
    uses, else the first with a number; None for a task without a numeric target."""
    numeric = [
        i for i in task.indicators if isinstance(i.get("value"), (int, float)) and not isinstance(i.get("value"), bool)
    ]
    return next((i for i in numeric if i.get("kind") in _MEASURED and i.get("value")), numeric[0] if numeric else None)


def target_words(indicator: dict[str, Any]) -> str:
    """`4 %`, `11000 人`: a target as a clerk reads it next to the figure it asks for."""
    unit = str(indicator.get("unit") or "")
    return f"{indicator['value']:g}" + (f" {unit}" if unit else "")


def own_reports(
    task: Task, unit: str, lead: Iterable[str] = (), canonical: Callable[[str], str] | None = None
) -> list[Report]:
    """The reports `unit` made on the task, oldest first (by date; of one date, in the record's
    order): its own part (docs/reading.md rule 1), never another unit's. A report naming no
    unit (written before units were kept) is the lead's, so it is the unit's own only where
    the unit is the task's one lead. `canonical` (the plan's UnitRegistry.own_name) makes an
    alias or a spacing variant the same unit."""

    def key(name: str) -> str:
        return normalise_unit_name(canonical(name) if canonical else name)

    mine = key(unit)
    leads = {key(name) for name in lead}
    unnamed_is_mine = leads == {mine}
    found = [r for r in task.progress if (key(r.by) == mine if r.by else unnamed_is_mine)]
    return sorted(found, key=lambda r: r.date)


def own_last_report(
    task: Task, unit: str, lead: Iterable[str] = (), canonical: Callable[[str], str] | None = None
) -> Report | None:
    """The unit's own latest report on the task (see own_reports), or None."""
    found = own_reports(task, unit, lead, canonical)
    return found[-1] if found else None


def refuse_duplicate(task: Task, report: NewReport) -> None:
    """The same report typed in twice (same day, unit, percent, figure and note) is refused:
    counting it twice would misstate how often the unit reported."""
    for earlier in task.progress:
        if (
            earlier.date == report.day
            and (earlier.by or None) == (report.unit or None)
            and earlier.percent == report.percent
            and earlier.value == report.value
            and (earlier.note or "").strip() == (report.note or "").strip()
        ):
            raise DubanError(
                _(
                    "this report of {ref} is already recorded ({date}, {unit}, {percent:g}%); nothing was changed"
                ).format(
                    ref=task.ref,
                    date=earlier.date.isoformat(),
                    unit=earlier.by or _("no unit"),
                    percent=earlier.percent,
                ),
                hint=_("a new report differs in its date, percent, figure or note"),
            )


def report_warnings(task: Task, report: NewReport) -> list[str]:
    """One line per doubt, in the clerk's language; empty when the report looks ordinary."""
    found = []
    earlier = [r for r in task.progress if report.unit is None or r.by in (None, report.unit)]
    if earlier and report.percent < earlier[-1].percent:
        found.append(
            _("the percent falls from {last:g}% to {new:g}%").format(last=earlier[-1].percent, new=report.percent)
        )
    if report.status == Status.DONE and report.percent < 100:
        found.append(_("the status is done at {percent:g}%").format(percent=report.percent))
    if task.status == Status.CANCELLED and report.status in (None, Status.CANCELLED):
        found.append(_("the task is cancelled; it stays cancelled"))
    if report.value is not None and not has_numeric_target(task):
        found.append(_("the task has no numeric target; the figure counts toward nothing"))
    elif report.value is not None:
        found.extend(_figure_doubts(task, report))
    if not (report.note or "").strip():
        found.append(_("the note is empty"))
    return found


def _figure_doubts(task: Task, report: NewReport) -> list[str]:
    """A figure far from what the percent says, or many times its target: a figure copied from
    the task's text (169.36 亿元 against 增长4 %) would otherwise turn the light green."""
    target = numeric_target(task)
    if target is None or report.value is None or not target.get("value") or target.get("kind") not in _MEASURED:
        return []
    share = 100.0 * report.value / float(target["value"])
    if share > 200 or abs(min(share, 100.0) - report.percent) > 50:
        return [
            _("the figure {value:g} is {share:.0f}% of the target {target}, the percent says {percent:g}%").format(
                value=report.value, share=share, target=target_words(target), percent=report.percent
            )
        ]
    return []
