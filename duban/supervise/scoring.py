"""Scores and rankings of units (考核) and the escalation ladder, from the record, date by date.

The office writes its rules as data in plan.yaml (`scoring:`), from a small vocabulary:

- `late_report` (迟报): a reporting deadline at which the task's report is late;
- `red_at_deadline` (红灯), `yellow_at_deadline` (黄灯): the task's light at a reporting deadline;
- `done_early` (提前完成): the task was done before its due date (else 31 December), once.

Each rule has `points` (negative to deduct) and an optional `role` (lead 牵头, support 配合).
A unit starts from `start` (100) and gets every rule's points for every task it holds in
that role, each point with the task and the deadline it comes from. Lateness and lights are
the core's own (`lights.late_report`, `lights.evaluate` through `selection.select`), read
as the record stood at each deadline, so this module has no rule of its own about either.

The escalation ladder (`scoring.escalation`) is judged on the same lights: a task whose
light was at least yellow (red counts) at `in_a_row` deadlines in a row, the latest one
included, reaches that step; the steps are listed mildest first and a task gets the last it
reaches. Collectives (duban.units: 各街镇, 相关部门, 区26家签约单位) are not units: never scored or ranked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Plan, Task
from duban.reading import Leads, lead_reports, percent_of
from duban.states import LightColour, Status
from duban.store.repository import Repository
from duban.supervise import deadlines as reporting_calendar
from duban.supervise import lights
from duban.supervise.selection import Selection, select
from duban.units import is_collective
from duban.vocabulary import resolve

RULES = ("late_report", "red_at_deadline", "yellow_at_deadline", "done_early")
RULE_ALIASES = {
    "迟报": "late_report",
    "红灯": "red_at_deadline",
    "黄灯": "yellow_at_deadline",
    "提前完成": "done_early",
}
DEFAULT_RULES = (
    {"rule": "late_report", "points": -1, "role": "lead"},
    {"rule": "red_at_deadline", "points": -2, "role": "lead"},
    {"rule": "done_early", "points": 1, "role": "lead"},
)
DEFAULT_LADDER = (
    {"light": LightColour.YELLOW.value, "in_a_row": 2, "action": "发督办专函"},
    {"light": LightColour.RED.value, "in_a_row": 1, "action": "约谈"},
)


@dataclass(frozen=True)
class Rule:
    rule: str
    points: float
    role: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Rule:
        role = data.get("role")
        return cls(
            RULE_ALIASES.get(data["rule"], data["rule"]),
            float(data["points"]),
            (resolve("role", role) or role) if role else None,
        )

    def applies_to(self, role: str) -> bool:
        return self.role is None or self.role == role


@dataclass(frozen=True)
class Point:
    """One entry of a unit's score: which rule, which task, which deadline (or date)."""

    unit: str
    role: str
    rule: str
    points: float
    task: Task
    day: dt.date


@dataclass
class UnitScore:
    unit: str
    start: float
    points: list[Point] = field(default_factory=list)
    met: int = 0
    due: int = 0
    tasks: set[str] = field(default_factory=set)
    leads: int = 0  # tasks it leads: the reporting duty, and what its on-time rate counts
    rank: int | None = None  # None: it leads nothing and no rule gave it a point, so it is not ranked

    @property
    def ranked(self) -> bool:
        """Ranked among the units that lead: a unit that only supports owes no report and is
        judged by the leads' tasks, so 配合 points alone do not put it in the ranking (D15)."""
        return self.leads > 0

    @property
    def shown_rank(self) -> str:
        return "—" if self.rank is None else str(self.rank)

    @property
    def score(self) -> float:
        return self.start + sum(p.points for p in self.points)

    @property
    def on_time_rate(self) -> float | None:
        return round(100.0 * self.met / self.due, 1) if self.due else None


@dataclass(frozen=True)
class Escalation:
    task: Task
    units: tuple[str, ...]
    action: str
    light: str
    days: tuple[dt.date, ...]


@dataclass
class Scores:
    plan: Plan
    as_of: dt.date
    days: list[dt.date]
    units: list[UnitScore]  # ranked worst first
    escalations: list[Escalation]
    rules: tuple[Rule, ...]
    start: float

    def of(self, unit: str) -> UnitScore | None:
        return next((u for u in self.units if u.unit == unit), None)


def canonical(plan: Plan, name: str) -> str:
    return plan.units.own_name(name)


def default_as_of(plan: Plan, today: dt.date | None = None) -> dt.date:
    """Today while the plan runs; for a past plan, its last reporting deadline (else 31 December)."""
    today = today or dt.date.today()
    end = dt.date(plan.year, 12, 31)
    if today <= end:
        return today
    found = reporting_calendar.calendar(plan)  # the last may fall in January: it reports on December
    return found[-1].day if found else end


def evaluation_days(plan: Plan, as_of: dt.date) -> list[dt.date]:
    """The reporting deadlines up to `as_of`; month ends where the plan has no reporting rule."""
    return reporting_calendar.period_days(plan, as_of)


def rules_of(plan: Plan) -> tuple[float, tuple[Rule, ...]]:
    start = float(plan.scoring.get("start", 100))
    rules = plan.scoring.get("rules")
    return start, tuple(Rule.from_data(r) for r in (rules if rules is not None else DEFAULT_RULES))


def ladder_of(plan: Plan) -> list[dict[str, Any]]:
    steps: Any = plan.scoring.get("escalation")  # plan.yaml's list, checked by the schema
    chosen: list[dict[str, Any]] = steps if steps is not None else list(DEFAULT_LADDER)
    return [
        {
            "light": resolve("light", s["light"]) or s["light"],
            "in_a_row": int(s.get("in_a_row", 1)),
            "action": s["action"],
        }
        for s in chosen
    ]


def what_if(rules: tuple[Rule, ...], start: float, text: str) -> tuple[float, tuple[Rule, ...]]:
    """Rules changed by `RULE[:ROLE]=POINTS,…` (or `start=N`): the rules of that name (in that
    role, where one is given) get the new points, a rule not there yet is added; 0 drops it."""
    changed = list(rules)
    for item in filter(None, (part.strip() for part in re.split(r"[,，;；]", text))):
        name, equals, value = item.replace("＝", "=").replace("：", ":").partition("=")
        try:
            points = float(value)
        except ValueError:
            raise DubanError(
                _("--what-if {item!r}: the points must be a number").format(item=item),
                hint=_("write RULE[:ROLE]=POINTS, e.g. red_at_deadline:lead=-3"),
            ) from None
        if not equals:
            raise DubanError(
                _("--what-if {item!r}: the points must be a number").format(item=item),
                hint=_("write RULE[:ROLE]=POINTS, e.g. red_at_deadline:lead=-3"),
            )
        rule, _colon, role = name.strip().partition(":")
        if rule == "start":
            start = points
            continue
        rule = RULE_ALIASES.get(rule, rule)
        role = (resolve("role", role) or role) if role.strip() else None
        if rule not in RULES or role not in (None, "lead", "support"):
            raise DubanError(
                _("--what-if {item!r}: unknown rule or role").format(item=item),
                hint=_("rules: {rules}; roles: lead, support").format(rules=", ".join(RULES)),
            )

        def matches(r: Rule) -> bool:
            return r.rule == rule and (role is None or r.role == role)  # noqa: B023 - used in this iteration only

        if any(matches(r) for r in changed):
            changed = [Rule(r.rule, points, r.role) if matches(r) else r for r in changed]
        else:
            changed.append(Rule(rule, points, role))
        changed = [r for r in changed if r.points]
    return start, tuple(changed)


def _roles(selection: Selection, task: Task) -> Iterable[tuple[str, str]]:
    plan = selection.plan(task)
    seen = set()
    for role, names in (("lead", selection.lead(task)), ("support", task.support)):
        for name in names:
            unit = canonical(plan, name)
            if (unit, role) not in seen:
                seen.add((unit, role))
                yield unit, role


def first_done(task: Task, plan: Plan, lead: tuple[str, ...]) -> dt.date | None:
    """The day the task was first done (docs/reading.md rule 3): its percent (its leads'
    lowest figure) reached 100, or the office set it done."""
    leads = Leads(lead, plan.units.own_name)
    days = [
        report.date
        for report in lead_reports(task.progress, leads)
        if percent_of(task.progress, leads, task.indicators, report.date)[0] >= 100
    ][:1]
    # Set done by the office (rule 3), where the view read its sets: the earlier of the two.
    days += [when for when, status in getattr(task, "office_statuses", None) or () if status == Status.DONE][:1]
    return min(days) if days else None


def score(
    repo: Repository,
    plan_id: str,
    as_of: dt.date,
    rules: tuple[Rule, ...] | None = None,
    start: float | None = None,
    final: Selection | None = None,
) -> Scores:
    """Every real unit's score as of `as_of`, ranked worst first, with the escalation ladder."""
    plan = repo.plan(plan_id)
    default_start, default_rules = rules_of(plan)
    rules = default_rules if rules is None else rules
    start = default_start if start is None else start
    final = final or select(repo, [plan_id], as_of)
    days = evaluation_days(plan, as_of)
    at_day = {day: select(repo, [plan_id], day) for day in days}
    units: dict[str, UnitScore] = {}

    def entry(unit: str) -> UnitScore:
        return units.setdefault(unit, UnitScore(unit, start))

    for task in final.tasks:
        lead = final.lead(task)
        for unit, role in _roles(final, task):
            if is_collective(plan, unit):
                continue
            holder = entry(unit)
            holder.tasks.add(task.ref)
            if role == "lead":  # each lead reports (docs/reading.md rule 5); a supporting unit owes no report
                met, due = lights.on_time_record(task, plan, as_of, final.sealed(task), unit, lead)
                holder.leads += 1
                holder.met += met
                holder.due += due
            done_on = first_done(task, plan, lead)
            finish_by = task.due or dt.date(plan.year, 12, 31)
            # 提前完成 for a task done as of the day (a 100 % later taken back below is not done)
            done_now = lights.is_done(task, final.light_of(task))
            if done_on is not None and done_now and done_on < finish_by and done_on <= as_of:
                holder.points += [
                    Point(unit, role, "done_early", r.points, task, done_on)
                    for r in rules
                    if r.rule == "done_early" and r.applies_to(role)
                ]
    for day, selection in at_day.items():
        for unit, points in _points_at(plan, day, selection, rules):
            entry(unit).points += points
    ranked = rank(units.values())
    return Scores(plan, as_of, days, ranked, _escalations(plan, final, at_day), rules, start)


def _points_at(
    plan: Plan, day: dt.date, selection: Selection, rules: tuple[Rule, ...]
) -> list[tuple[str, list[Point]]]:
    """The points of one deadline's view (`selection`, the record as of `day`), each real unit
    of each task with what it was given there, in the tasks' order. They depend on that view
    alone, so a view shared by many scores (selection.views_held: the site's every period)
    works them out once: the score of each period adds its deadlines' lists."""
    key = ("score points", plan.id, day, rules)
    kept: list[tuple[str, list[Point]]] | None = selection.memo.get(key)
    if kept is not None:
        return kept
    found: list[tuple[str, list[Point]]] = []
    for task in selection.tasks:
        light = selection.light_of(task)
        late = (
            {
                canonical(plan, name)
                for name in lights.late_units(task, plan, day, selection.sealed(task), selection.lead(task))
            }
            if light.late
            else set()
        )
        for unit, role in _roles(selection, task):
            if is_collective(plan, unit):
                continue
            # 迟报 falls on the lead that did not report, each by itself (rule 6)
            happened = {
                "late_report": role == "lead" and unit in late,
                "red_at_deadline": light.colour == LightColour.RED,
                "yellow_at_deadline": light.colour == LightColour.YELLOW,
            }
            found.append(
                (
                    unit,
                    [
                        Point(unit, role, r.rule, r.points, task, day)
                        for r in rules
                        if happened.get(r.rule) and r.applies_to(role)
                    ],
                )
            )
    selection.memo[key] = found
    return found


def rank(units: Iterable[UnitScore]) -> list[UnitScore]:
    """Worst first: lowest score, then lowest on-time rate, then name. `rank` counts from the
    best (1), equal scores sharing a rank. A unit that leads nothing and was given no point
    has nothing to be ranked by (its 100 would put it first): it comes last, unranked."""
    units = list(units)
    ordered = sorted(
        (u for u in units if u.ranked),
        key=lambda u: (u.score, u.on_time_rate if u.on_time_rate is not None else 101, u.unit),
    )
    best = sorted(ordered, key=lambda u: -u.score)
    for position, unit in enumerate(best, start=1):
        unit.rank = position if position == 1 or unit.score != best[position - 2].score else best[position - 2].rank
    return ordered + sorted((u for u in units if not u.ranked), key=lambda u: u.unit)


def best_first(units: Iterable[UnitScore]) -> list[UnitScore]:
    """The ranked units best first, then the unranked ones: the order of the documents' tables."""
    return sorted(units, key=lambda u: (u.rank is None, u.rank or 0, u.unit))


def _escalations(plan: Plan, final: Selection, at_day: dict[dt.date, Selection]) -> list[Escalation]:
    steps = ladder_of(plan)
    days = sorted(at_day)
    by_id = {day: {t.id: t for t in at_day[day].tasks} for day in days}  # not a scan per task and day
    found = []
    for task in final.tasks:
        colours: list[LightColour] = []
        for day in days:
            past = by_id[day].get(task.id)
            colours.append(at_day[day].light_of(past).colour if past is not None else LightColour.GREY)
        reached = None
        for step in steps:
            need = step["in_a_row"]
            tail = colours[-need:] if need <= len(colours) else []
            if tail and all(c.severity >= LightColour(step["light"]).severity for c in tail):
                reached = (step, tuple(days[-need:]))
        if reached:
            step, when = reached
            # A collective name (各街镇, 相关部门) is no one to 约谈: the step names real units only.
            lead = tuple(
                dict.fromkeys(u for u in (canonical(plan, n) for n in final.lead(task)) if not is_collective(plan, u))
            )
            if lead:
                found.append(Escalation(task, lead, step["action"], step["light"], when))
    return found
