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

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from duban.i18n import N_, _
from duban.model import Plan, Report, Task
from duban.reading import Leads, deciding_report, figure_against, lead_reports, percent_of, status_on
from duban.states import LightColour, Status
from duban.supervise import deadlines as reporting_calendar
from duban.supervise.report_identity import identity_in
from duban.text.numbers import whole_percent
from duban.vocabulary import shown

DEFAULTS = {"yellow_behind": 10.0, "red_behind": 25.0}
QUARTER_ENDS = {"Q1": (3, 31), "Q2": (6, 30), "Q3": (9, 30), "Q4": (12, 31)}
QUARTER_SHARE = {"Q1": 25.0, "Q2": 50.0, "Q3": 75.0, "Q4": 100.0}


class Light:
    """A task's light as of a day. Its reasons, and why its report is late, are written out
    only when asked for (a card, `duban explain`): a `duban list` of 6,000 rows reads none,
    and writing them was a quarter of working the lights out (17 µs a task, now 13)."""

    def __init__(
        self,
        colour: LightColour,
        late: bool,
        expected: float,
        percent: float,
        explained: Callable[[], Light] | None = None,
    ) -> None:
        # The expected progress (序时进度): exact, and to 0.1 as `explain` and the lists show it. A
        # document printing a whole percent rounds the exact value once (39.47 is 39, not 40).
        self.colour, self.late, self.percent = colour, late, percent
        self.expected_exact, self.expected = expected, round(expected, 1)
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
    """The plan's start: its issue date in its year, else 1 January (deadlines.plan_start)."""
    return reporting_calendar.plan_start(plan)


def deadline_for(plan: Plan, day: dt.date) -> dt.date | None:
    """The first reporting deadline on or after `day`: the one a report of that day answers."""
    return reporting_calendar.answered_by(plan, day)


def reporting_deadlines(plan: Plan, until: dt.date) -> list[dt.date]:
    """The plan's reporting deadlines up to `until` (inclusive), from its reporting calendar
    (duban/supervise/deadlines.py: rhythm, grace, the period each covers)."""
    return reporting_calendar.days(plan, until)


def _milestone_deadlines(task: Task, plan: Plan) -> tuple[tuple[str, dt.date, float], ...]:
    return _milestones_of(tuple(task.milestones), plan.year) if task.milestones else ()


@functools.lru_cache(maxsize=1024)  # tasks share a few sets of milestone keys (Q1..Q4, a few dates)
def _milestones_of(keys: tuple[str | dt.date, ...], year: int) -> tuple[tuple[str, dt.date, float], ...]:
    """(the key as written, its day, the share done by then) of each milestone, by day; a key
    that is no day (2019-02-30, which `validate` names) judges nothing."""
    found = []
    dated = sorted(k for k in keys if isinstance(k, dt.date))
    for key in keys:
        if isinstance(key, str) and key in QUARTER_ENDS:
            month, day = QUARTER_ENDS[key]
            found.append((key, dt.date(year, month, day), QUARTER_SHARE[key]))
    for index, day_key in enumerate(dated, start=1):
        found.append((day_key.isoformat(), day_key, 100.0 * index / len(dated)))
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
                    value=f"{report.value:g}", target=f"{target:g}", unit=indicator["unit"], share=f"{share:.0f}"
                )
    return float(report.percent), None


def _grace(plan: Plan, deadline: dt.date) -> dt.date:
    """A milestone is met by a report up to the next reporting day after it."""
    return reporting_calendar.next_after(plan, deadline) or deadline


def _answered(
    task: Task, plan: Plan, lead: Leads, unit: str, previous: dt.date, deadline: dt.date, sealed: Sealed | None
) -> bool:
    """Whether lead unit `unit` (its normalised name; "" for a task whose reports speak for
    it whoever gives them) answered `deadline`: a report of its own dated after the previous
    deadline and by this one, and, where the office sealed this deadline, held by the seal."""
    held = sealed.get(deadline.isoformat()) if sealed else None
    for report in task.progress:
        if (
            previous < report.date <= deadline
            and (not unit or not report.by or lead.key(report.by) == unit)
            and _by_own_unit(task, plan, report)
        ):
            if held is None or sealed_key(plan, task, report) in held:
                return True
    return False


def duty_holders(lead: Leads) -> dict[str, str]:
    """The units that owe a report at each deadline, by key: the task's lead units
    (docs/reading.md rule 5); {"": ""} for a task that names no lead, whose reports answer
    for it whoever gives them."""
    return dict(lead.keys) or {"": ""}


def _leads(plan: Plan, task: Task, lead: tuple[str, ...] | None) -> Leads:
    return Leads(task.lead if lead is None else lead, plan.units.own_name)


def _done_by(task: Task, lead: Leads, day: dt.date) -> bool:
    """The task was done (its leads' percent at 100) by the end of `day`: no report is owed after."""
    return percent_of(task.progress, lead, task.indicators, day)[0] >= 100


def _stopped_by(task: Task, lead: Leads, day: dt.date) -> bool:
    """The task was done or cancelled by the end of `day` (rule 5): by its leads' figures, or
    by the office's last `duban set` of its status on or before that day. Where the view did
    not read the office's sets, or a done or cancelled status came from elsewhere (a hand
    edit), that status is taken as standing since before."""
    if _done_by(task, lead, day):
        return True
    events = getattr(task, "office_statuses", None)  # a snapshot's stand-in has not read them
    if events is None or (Status.is_closed(task.status) and task.status not in {s for _d, s in events}):
        return task.status == Status.CANCELLED or (
            task.status == Status.DONE and percent_of(task.progress, lead, task.indicators)[0] < 100
        )
    # The task's status at the end of that day: the office's sets and the leads' reports replayed
    # by date (a done the office set, then a delayed given with a report, owes again).
    return status_on(day, events, task.progress, lead, figure_against(task.indicators)) in (
        Status.DONE,
        Status.CANCELLED,
    )


def sealed_key(plan: Plan, task: Task, report: Report) -> str:
    """How a seal holds a report: by its own identity, a digest of its task, its unit's own name
    and every field (duban/supervise/report_identity.py), so that a second report typed in
    after the seal with a sealed report's date and unit is not held, while one typed with an
    alias and later kept under the unit's name (duban migrate) is the same report."""
    return identity_in(plan, task.id, report)


def _by_own_unit(task: Task, plan: Plan, report: Report) -> bool:
    """False for a report by a unit that is neither lead nor support of the task (a hand edit:
    `progress` refuses one): it does not discharge the task's units' duty to report. A
    sub-item, whose lead may come from its parent, is given the benefit of the doubt."""
    if not report.by or task.parent or not (task.lead or task.support):
        return True
    return plan.units.own_name(report.by) in {plan.units.own_name(name) for name in (*task.lead, *task.support)}


# deadline (YYYY-MM-DD) -> the identities (sealed_key) of the task's reports the seal of that deadline holds
Sealed = dict[str, set[str]]


def late_report(
    task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None = None, lead: tuple[str, ...] | None = None
) -> str | None:
    """Why the task's report for the latest passed deadline is missing, or None."""
    return _late(task, plan, as_of, sealed, _leads(plan, task, lead), explain=True)


def late_units(
    task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None = None, lead: tuple[str, ...] | None = None
) -> list[str]:
    """The lead units (as the task names them) that did not answer the latest deadline on or
    before `as_of` (rule 6); [""] for a late task that names no lead."""
    return _late_units(task, plan, as_of, sealed, _leads(plan, task, lead))


def _late_units(task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None, lead: Leads) -> list[str]:
    deadlines = reporting_deadlines(plan, as_of)
    if not deadlines:
        return []
    deadline = deadlines[-1]
    previous = deadlines[-2] if len(deadlines) > 1 else plan_start(plan)
    # Rule 5: owed unless done or cancelled by the previous deadline; a task done or cancelled
    # since then still owes this deadline (a co-lead that never reported is late for it).
    if _stopped_by(task, lead, previous):
        return []
    return [
        name
        for unit, name in duty_holders(lead).items()
        if not _answered(task, plan, lead, unit, previous, deadline, sealed)
    ]


def _late(task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None, lead: Leads, explain: bool) -> str | None:
    """late_report; without `explain`, "" stands for the reason (its words are not written)."""
    missing = _late_units(task, plan, as_of, sealed, lead)
    if not missing:
        return None
    if not explain:
        return ""
    deadlines = reporting_deadlines(plan, as_of)
    deadline = deadlines[-1]
    previous = deadlines[-2] if len(deadlines) > 1 else plan_start(plan)
    start = (previous + dt.timedelta(days=1)).isoformat()
    who = "、".join(name for name in missing if name)
    if sealed and deadline.isoformat() in sealed:
        reason = _("no report between {start} and the deadline {deadline} in the seal of that deadline").format(
            start=start, deadline=deadline.isoformat()
        )
    else:
        reason = _("no report between {start} and the deadline {deadline}").format(
            start=start, deadline=deadline.isoformat()
        )
    return f"{reason} ({who})" if who and len(duty_holders(lead)) > 1 else reason


def on_time_record(
    task: Task,
    plan: Plan,
    as_of: dt.date,
    sealed: Sealed | None = None,
    unit: str | None = None,
    lead: tuple[str, ...] | None = None,
) -> tuple[int, int]:
    """(deadlines met, deadlines owed) up to `as_of` (rule 7): by lead unit `unit` as the task
    names it, or, without one, by every lead unit of the task together."""
    steps = on_time_steps(task, plan, as_of, sealed, unit, lead)
    return sum(met for _day, met, _due in steps), sum(due for _day, _met, due in steps)


def on_time_steps(
    task: Task,
    plan: Plan,
    as_of: dt.date,
    sealed: Sealed | None = None,
    unit: str | None = None,
    lead: tuple[str, ...] | None = None,
) -> list[tuple[dt.date, int, int]]:
    """on_time_record deadline by deadline: (deadline, met, owed) for each deadline up to
    `as_of`, in one pass (a page of every deadline's record walks them once, not once each)."""
    leads = _leads(plan, task, lead)
    holders = duty_holders(leads)
    if unit is not None:
        key = leads.key(unit)
        holders = {key: unit} if key in holders else ({"": ""} if "" in holders else {})
    steps = []
    previous = plan_start(plan)
    for deadline in reporting_deadlines(plan, as_of):
        if _stopped_by(task, leads, previous):
            steps.append((deadline, 0, 0))
            previous = deadline
            continue
        met = sum(_answered(task, plan, leads, key, previous, deadline, sealed) for key in holders)
        steps.append((deadline, met, len(holders)))
        previous = deadline
    return steps


def evaluate(
    task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None = None, lead: tuple[str, ...] | None = None
) -> Light:
    """The task's light as of `as_of`, read from its lead units' reports (`lead`: the task's
    effective lead, its own by default); its reasons are written when first read (Light)."""
    return _evaluate(task, plan, as_of, sealed, _leads(plan, task, lead), explain=False)


def _evaluate(task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None, lead: Leads, explain: bool) -> Light:
    """One decision for both: without `explain`, a reason is None in the lists below (which
    lists have reasons decides the colour) and the Light writes them out again when asked."""
    rules = thresholds(plan, task.type)
    reports = lead_reports(task.progress, lead, as_of)
    latest = deciding_report(reports, lead, figure=figure_against(task.indicators))
    percent, figure = _effective_percent(task, latest) if latest else (0.0, None)
    start = plan_start(plan)
    end = task.due or dt.date(plan.year, 12, 31)
    span = max((end - start).days, 1)
    expected = max(0.0, min(100.0, 100.0 * (as_of - start).days / span))
    late = _late(task, plan, as_of, sealed, lead, explain)
    light = Light(
        LightColour.GREEN,
        late is not None,
        expected,
        percent,
        None if explain else (lambda: _evaluate(task, plan, as_of, sealed, lead, explain=True)),
    )
    light._late_reason = late
    said = (
        (
            f"{percent:g}%"
            + (f"; {figure}" if figure else "")
            + (_(" (report of {date})").format(date=latest.date.isoformat()) if latest else _(" (no report yet)"))
        )
        if explain
        else ""
    )

    def say(text: str, **fields: str) -> str | None:
        return _(text).format(**fields) if explain else None

    reasons = light._reasons
    if task.status == Status.CANCELLED:  # still late where cancelled since the previous deadline (rule 5)
        light.colour = LightColour.GREY
        reasons.append(say(N_("cancelled")))  # type: ignore[arg-type]
    elif task.status == Status.DONE or percent >= 100:
        # Still late where a lead owed the latest deadline and did not report (rule 5: a task
        # done since the previous deadline owes it; one done before owes nothing).
        reasons.append(say(N_("done ({said})"), said=said))  # type: ignore[arg-type]
    else:
        light.colour, light._reasons = _colour(
            task, plan, as_of, rules, reports, lead, percent, expected, end, said, say
        )
    if not explain:
        light._reasons = []
    return light


def _colour(
    task: Task,
    plan: Plan,
    as_of: dt.date,
    rules: dict[str, float],
    reports: tuple[Report, ...],
    lead: Leads,
    percent: float,
    expected: float,
    end: dt.date,
    said: str,
    say: Callable[..., str | None],
) -> tuple[LightColour, list[Any]]:
    """The colour of a task neither done nor cancelled, and its reasons (see _evaluate)."""
    red, yellow = [], []
    if task.status == Status.BLOCKED:
        red.append(say(N_("marked blocked")))
    if task.due and as_of > end:
        red.append(say(N_("due {due} passed and the task is not done ({said})"), due=task.due.isoformat(), said=said))
    for key, deadline, share in _milestone_deadlines(task, plan):
        grace = _grace(plan, deadline)
        if as_of <= grace:
            continue
        # The task's percent after each lead report by then (the lowest lead figure, rule 2).
        best = max(
            (percent_of(reports, lead, task.indicators, r.date)[0] for r in reports if r.date <= grace), default=0.0
        )
        # A miss counts while the task has not caught up with that milestone since.
        if best < share - rules["yellow_behind"] and percent < share - rules["yellow_behind"]:
            red.append(
                say(
                    N_("milestone {key} ({deadline}, {share}%) passed; reports by {grace} reached {best}%"),
                    key=shown("quarter", key) if key in QUARTER_ENDS else key,  # 第一季度 in Chinese, not Q1
                    deadline=deadline.isoformat(),
                    share=f"{share:g}",
                    grace=grace.isoformat(),
                    best=f"{best:g}",
                )
            )
    behind = expected - percent
    if behind >= rules["red_behind"]:
        red.append(
            say(
                N_("seriously behind: {said}, expected {expected}% by {date} (red at {limit} points behind)"),
                said=said,
                expected=f"{whole_percent(expected)}",
                date=as_of.isoformat(),
                limit=f"{rules['red_behind']:g}",
            )
        )
    elif behind >= rules["yellow_behind"]:
        yellow.append(
            say(
                N_(
                    "behind the expected progress (序时进度): {said}, expected {expected}% "
                    "(yellow at {limit} points behind)"
                ),
                said=said,
                expected=f"{whole_percent(expected)}",
                limit=f"{rules['yellow_behind']:g}",
            )
        )
    if task.status == Status.DELAYED:
        yellow.append(say(N_("marked delayed")))
    if red:
        return LightColour.RED, red + yellow
    if yellow:
        return LightColour.YELLOW, yellow
    # Grey: nothing reported and nothing due yet (no milestone's day reached, whether or not
    # its following deadline, which judges it, has come).
    if not reports and not any(d <= as_of for _key, d, _text in _milestone_deadlines(task, plan)):
        return LightColour.GREY, [
            say(N_("not started and nothing due yet (expected {expected}%)"), expected=f"{whole_percent(expected)}")
        ]
    return LightColour.GREEN, [
        say(N_("on track: {said}, expected {expected}%"), said=said, expected=f"{whole_percent(expected)}")
    ]


def is_done(task: Task, light: Light) -> bool:
    """Done as of the light's day (docs/reading.md rule 3): its percent is 100 or someone said
    done, and it is not cancelled. Every count of done tasks asks here."""
    return task.status != Status.CANCELLED and (task.status == Status.DONE or light.percent >= 100)


def explain(
    task: Task, plan: Plan, as_of: dt.date, sealed: Sealed | None = None, lead: tuple[str, ...] | None = None
) -> dict[str, Any]:
    light = evaluate(task, plan, as_of, sealed, lead)
    leads = _leads(plan, task, lead)
    # Each supporting unit's latest report, shown as its own part: it is not the task's figure.
    own: dict[str, Report] = {}
    for report in task.progress:
        if report.date <= as_of and not leads.speaks_for_task(report):
            own[plan.units.own_name(report.by or "")] = report
    return {
        "ref": task.ref,
        "as_of": as_of.isoformat(),
        "light": light.colour.value,
        "reasons": light.reasons,
        "expected": light.expected,
        "percent": light.percent,
        "late": light.late,
        "late_reason": light.late_reason,
        "thresholds": thresholds(plan, task.type),
        "late_units": late_units(task, plan, as_of, sealed, lead) if light.late else [],
        "supporting": [
            {"unit": unit, "date": r.date.isoformat(), "percent": r.percent, "status": r.status, "note": r.note}
            for unit, r in own.items()
        ],
    }
