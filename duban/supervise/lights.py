"""Warning lights (红黄绿灯) as of a date, and the late-report flag; `explain` gives the reasons.

- red: blocked; the due date passed before the task was done; a milestone passed, no
  report by its reporting deadline came near it and the task has not caught up since; or
  seriously behind the expected progress.
- yellow: behind the expected progress for the date (序时进度), or marked delayed.
- green: done, or on track.
- grey: cancelled, or not started with nothing due yet.

The expected progress is the share of time elapsed from the plan's start (its issue date,
else 1 January) to the task's due date (else 31 December). A report's figure (`value`)
counts instead of its percent where the task has a numeric target. Thresholds come from
plan.yaml's `lights`, per target type where given.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
from typing import Any
from collections.abc import Callable

from duban.i18n import N_, _
from duban.model import Plan, Report, Task, latest_report

DEFAULTS = {"yellow_behind": 10.0, "red_behind": 25.0}
QUARTER_ENDS = {"Q1": (3, 31), "Q2": (6, 30), "Q3": (9, 30), "Q4": (12, 31)}
QUARTER_SHARE = {"Q1": 25.0, "Q2": 50.0, "Q3": 75.0, "Q4": 100.0}


class Light:
    """A task's light as of a day. Its reasons, and why its report is late, are written out
    only when asked for (a card, `duban explain`): a `duban list` of 6,000 rows reads none,
    and writing them was a quarter of working the lights out (17 µs a task, now 13)."""

    def __init__(self, colour: str, late: bool, expected: float, percent: float,
                 explained: Callable[[], Light] | None = None) -> None:
        self.colour, self.late, self.expected, self.percent = colour, late, expected, percent
        self._explained = explained
        self._reasons: list[str] = []
        self._late_reason: str | None = None

    def _explain(self) -> None:
        if self._explained is not None:
            full, self._explained = self._explained(), None
            self._reasons, self._late_reason = full._reasons, full._late_reason

    @property
    def reasons(self) -> list[str]:
        self._explain()
        return self._reasons

    @property
    def late_reason(self) -> str | None:
        self._explain()
        return self._late_reason


def thresholds(plan: Plan, task_type: str | None) -> dict[str, float]:
    rules = dict(DEFAULTS)
    rules.update({k: float(v) for k, v in plan.lights.items() if k in DEFAULTS})
    if task_type:
        rules.update({k: float(v) for k, v in plan.lights.get("by_type", {}).get(task_type, {}).items()})
    return rules


def plan_start(plan: Plan) -> dt.date:
    if plan.issued:
        issued = dt.date.fromisoformat(plan.issued)
        if issued.year == plan.year:
            return issued
    return dt.date(plan.year, 1, 1)


@functools.lru_cache(maxsize=4096)  # every task asks for the same few months' deadlines
def _deadline_in(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def deadline_for(plan: Plan, day: dt.date) -> dt.date | None:
    """The first reporting deadline on or after `day`: the one a report of that day answers."""
    if plan.reporting is None:
        return None
    deadline = _deadline_in(day.year, day.month, plan.reporting.day_of_month)
    if deadline < day:
        year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
        deadline = _deadline_in(year, month, plan.reporting.day_of_month)
    return deadline


def reporting_deadlines(plan: Plan, until: dt.date) -> list[dt.date]:
    """The plan's monthly reporting deadlines from its start up to `until` (inclusive)."""
    if plan.reporting is None:
        return []
    return list(_deadlines(plan_start(plan), plan.year, plan.reporting.day_of_month, until))


@functools.lru_cache(maxsize=256)  # every task of a plan asks for the same day's
def _deadlines(start: dt.date, last_year: int, day_of_month: int, until: dt.date) -> tuple[dt.date, ...]:
    deadlines = []
    year, month = start.year, start.month
    while True:
        deadline = _deadline_in(year, month, day_of_month)
        if deadline > until or year > last_year:
            break
        if deadline > start:
            deadlines.append(deadline)
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return tuple(deadlines)


def _milestone_deadlines(task: Task, plan: Plan) -> tuple[tuple[str, dt.date, float], ...]:
    return _milestones_of(tuple(task.milestones), plan.year) if task.milestones else ()


@functools.lru_cache(maxsize=1024)  # tasks share a few sets of milestone keys (Q1..Q4, a few dates)
def _milestones_of(keys: tuple[str, ...], year: int) -> tuple[tuple[str, dt.date, float], ...]:
    found = []
    dated = sorted(k for k in keys if not k.startswith("Q"))
    for key in keys:
        if key in QUARTER_ENDS:
            month, day = QUARTER_ENDS[key]
            found.append((key, dt.date(year, month, day), QUARTER_SHARE[key]))
    for index, key in enumerate(dated, start=1):
        found.append((key, dt.date.fromisoformat(key), 100.0 * index / len(dated)))
    return tuple(sorted(found, key=lambda item: item[1]))


def _effective_percent(task: Task, report: Report) -> tuple[float, str | None]:
    """The report's percent, or its figure against a numeric target (11000人: 5500 is 50%;
    增长8%: a reported 6 is 75%)."""
    if report.value is not None:
        for indicator in task.indicators:
            target = indicator.get("value")
            if indicator.get("kind") in ("level", "growth", "decrease") and target:
                share = 100.0 * report.value / target
                return min(share, 100.0), _("reported {value} of {target} {unit} ({share}%)").format(
                    value=f"{report.value:g}", target=f"{target:g}", unit=indicator["unit"], share=f"{share:.0f}")
    return float(report.percent), None


def _grace(plan: Plan, deadline: dt.date) -> dt.date:
    """A milestone is met by a report up to the next reporting day after it."""
    if plan.reporting is None:
        return deadline
    return _next_reporting_day(deadline, plan.reporting.day_of_month)


@functools.lru_cache(maxsize=4096)
def _next_reporting_day(deadline: dt.date, day_of_month: int) -> dt.date:
    following = deadline + dt.timedelta(days=1)
    day = _deadline_in(following.year, following.month, day_of_month)
    if day < following:
        month = following.month % 12 + 1
        day = _deadline_in(following.year + (following.month == 12), month, day_of_month)
    return day


def _answers(task: Task, plan: Plan, previous: dt.date, deadline: dt.date, sealed: Sealed | None) -> bool:
    """Whether a report of the task answers `deadline`: dated after the previous deadline and
    by this one, by one of the task's units, and, where the office sealed this deadline, held
    by the seal."""
    held = sealed.get(deadline.isoformat()) if sealed else None
    after, by = previous.isoformat(), deadline.isoformat()  # a report's date is YYYY-MM-DD (the schema)
    for report in task.progress:
        if after < report.date <= by and _by_own_unit(task, plan, report):
            if held is None or sealed_key(plan, report.date, report.by) in held:
                return True
    return False


def sealed_key(plan: Plan, date: Any, by: str | None) -> tuple[str, str]:
    """How a seal holds a report: its date and its unit's own name, so that a report typed with
    an alias and later kept under the unit's name (duban migrate) is the same report."""
    return (str(date), plan.units.own_name(by) if by else "")


def _by_own_unit(task: Task, plan: Plan, report: Report) -> bool:
    """False for a report by a unit that is neither lead nor support of the task (a hand edit:
    `progress` refuses one): it does not discharge the task's units' duty to report. A
    sub-item, whose lead may come from its parent, is given the benefit of the doubt."""
    if not report.by or task.parent or not (task.lead or task.support):
        return True
    return plan.units.own_name(report.by) in {plan.units.own_name(name) for name in (*task.lead, *task.support)}


# deadline (YYYY-MM-DD) -> the (date, unit) of the task's reports the seal of that deadline holds
Sealed = dict[str, set[tuple[str, str]]]


def late_report(task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None = None) -> str | None:
    """Why the task's report for the latest passed deadline is missing, or None."""
    return _late(task, plan, as_of, sealed, explain=True)


def _late(task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None, explain: bool) -> str | None:
    """late_report; without `explain`, "" stands for the reason (its words are not written)."""
    if task.status in ("done", "cancelled"):
        return None
    deadlines = reporting_deadlines(plan, as_of)
    if not deadlines:
        return None
    deadline = deadlines[-1]
    previous = deadlines[-2] if len(deadlines) > 1 else plan_start(plan)
    if _answers(task, plan, previous, deadline, sealed):
        return None
    done_before = any(r.percent >= 100 and r.date <= previous.isoformat() for r in task.progress)
    if done_before:
        return None
    if not explain:
        return ""
    if sealed and deadline.isoformat() in sealed:
        return _("no report between {start} and the deadline {deadline} in the seal of that deadline").format(
            start=(previous + dt.timedelta(days=1)).isoformat(), deadline=deadline.isoformat())
    return _("no report between {start} and the deadline {deadline}").format(
        start=(previous + dt.timedelta(days=1)).isoformat(), deadline=deadline.isoformat())


def on_time_record(task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None = None) -> tuple[int, int]:
    """(deadlines met, deadlines due) for the task's monthly reports up to `as_of`."""
    deadlines = reporting_deadlines(plan, as_of)
    met = due = 0
    previous = plan_start(plan)
    for deadline in deadlines:
        if any(r.percent >= 100 and r.date <= previous.isoformat() for r in task.progress):
            break
        due += 1
        met += _answers(task, plan, previous, deadline, sealed)
        previous = deadline
    return met, due


def evaluate(task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None = None) -> Light:
    """The task's light as of `as_of`; its reasons are written when first read (Light)."""
    return _evaluate(task, plan, as_of, sealed, explain=False)


def _evaluate(task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None, explain: bool) -> Light:
    """One decision for both: without `explain`, a reason is None in the lists below (which
    lists have reasons decides the colour) and the Light writes them out again when asked."""
    rules = thresholds(plan, task.type)
    day = as_of.isoformat()
    reports = tuple(r for r in task.progress if r.date <= day)
    latest = latest_report(reports, task.lead)
    percent, figure = _effective_percent(task, latest) if latest else (0.0, None)
    start = plan_start(plan)
    end = dt.date.fromisoformat(task.due) if task.due else dt.date(plan.year, 12, 31)
    span = max((end - start).days, 1)
    expected = max(0.0, min(100.0, 100.0 * (as_of - start).days / span))
    late = _late(task, plan, as_of, sealed, explain)
    light = Light("green", late is not None, round(expected, 1), percent,
                  None if explain else (lambda: _evaluate(task, plan, as_of, sealed, explain=True)))
    light._late_reason = late
    said = (f"{percent:g}%" + (f"; {figure}" if figure else "") + (
        _(" (report of {date})").format(date=latest.date) if latest else _(" (no report yet)"))) if explain else ""

    def say(text: str, **fields: str) -> str | None:
        return _(text).format(**fields) if explain else None

    reasons = light._reasons
    if task.status == "cancelled":
        light.colour, light.late, light._late_reason = "grey", False, None
        reasons.append(say(N_("cancelled")))  # type: ignore[arg-type]
    elif task.status == "done" or percent >= 100:
        reasons.append(say(N_("done ({said})"), said=said))  # type: ignore[arg-type]
        light.late, light._late_reason = False, None
    else:
        light.colour, light._reasons = _colour(task, plan, as_of, rules, reports, percent, expected, end, said, say)
    if not explain:
        light._reasons = []
    return light


def _colour(task: Task, plan: Plan, as_of: dt.date, rules: dict[str, float], reports: tuple[Report, ...],
            percent: float, expected: float, end: dt.date, said: str,
            say: Callable[..., str | None]) -> tuple[str, list[Any]]:
    """The colour of a task neither done nor cancelled, and its reasons (see _evaluate)."""
    red, yellow = [], []
    if task.status == "blocked":
        red.append(say(N_("marked blocked")))
    if task.due and as_of > end:
        red.append(say(N_("due {due} passed and the task is not done ({said})"), due=task.due, said=said))
    for key, deadline, share in _milestone_deadlines(task, plan):
        grace = _grace(plan, deadline)
        if as_of <= grace:
            continue
        by_then = grace.isoformat()
        best = max((_effective_percent(task, r)[0] for r in reports if r.date <= by_then), default=0.0)
        # A miss counts while the task has not caught up with that milestone since.
        if best < share - rules["yellow_behind"] and percent < share - rules["yellow_behind"]:
            red.append(say(N_("milestone {key} ({deadline}, {share}%) passed; reports by {grace} reached {best}%"),
                           key=key, deadline=deadline.isoformat(), share=f"{share:g}", grace=by_then,
                           best=f"{best:g}"))
    behind = expected - percent
    if behind >= rules["red_behind"]:
        red.append(say(N_("seriously behind: {said}, expected {expected}% by {date} (red at {limit} points behind)"),
                       said=said, expected=f"{expected:.0f}", date=as_of.isoformat(), limit=f"{rules['red_behind']:g}"))
    elif behind >= rules["yellow_behind"]:
        yellow.append(say(N_("behind the expected progress (序时进度): {said}, expected {expected}% "
                             "(yellow at {limit} points behind)"),
                          said=said, expected=f"{expected:.0f}", limit=f"{rules['yellow_behind']:g}"))
    if task.status == "delayed":
        yellow.append(say(N_("marked delayed")))
    if red:
        return "red", red + yellow
    if yellow:
        return "yellow", yellow
    if not reports and not any(as_of > _grace(plan, d) for _key, d, _text in _milestone_deadlines(task, plan)):
        return "grey", [say(N_("not started and nothing due yet (expected {expected}%)"), expected=f"{expected:.0f}")]
    return "green", [say(N_("on track: {said}, expected {expected}%"), said=said, expected=f"{expected:.0f}")]


def explain(task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None = None) -> dict[str, Any]:
    light = evaluate(task, plan, as_of, sealed)
    return {"ref": task.ref, "as_of": as_of.isoformat(), "light": light.colour, "reasons": light.reasons,
            "expected": light.expected, "percent": light.percent, "late": light.late,
            "late_reason": light.late_reason, "thresholds": thresholds(plan, task.type)}
