"""Supervision reports: per unit (as lead and as support), per area, per type: tasks, done,
lights, late reports and the on-time reporting rate, ranked worst first. A collective (各街镇,
区26家签约单位: duban.units) is no unit and has no row (docs/reading.md rule 8); the tasks it
names are found with `duban list lead:各街镇`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from duban.i18n import N_
from duban.model import Task
from duban.supervise import lights
from duban.supervise.selection import Selection
from duban.units import is_collective

COLUMNS = ("group", "role", "tasks", "done", "green", "yellow", "red", "grey", "late", "on_time_rate")
# What a row is, as the table's first heading says it (shown through _()).
GROUP_WORDS = {"unit": N_("unit"), "area": N_("area"), "type": N_("type"), "plan": N_("plan")}


@dataclass
class Tally:
    group: str
    role: str = ""
    tasks: int = 0
    done: int = 0
    green: int = 0
    yellow: int = 0
    red: int = 0
    grey: int = 0
    late_reports: int = 0
    met: int = 0
    due: int = 0
    refs: set[str] = field(default_factory=set)

    @property
    def late(self) -> int | None:
        """Late reports: a lead unit's own (rule 6), or, for an area, a type or a plan, its late
        tasks; None for a supporting role, which owes no report and is never late."""
        return None if self.role == "support" else self.late_reports

    @property
    def on_time_rate(self) -> float | None:
        return round(100.0 * self.met / self.due, 1) if self.due else None

    def add(self, task: Task, selection: Selection, unit: str | None = None) -> None:
        """Count the task in; its on-time record is that of lead unit `unit`, or of all its
        leads together without one (docs/reading.md rule 7). A supporting unit owes no
        report, so a tally of supporting roles has no on-time rate."""
        light = selection.light_of(task)
        self.tasks += 1
        self.done += lights.is_done(task, light)
        setattr(self, light.colour.value, getattr(self, light.colour.value) + 1)
        if self.role == "support":
            pass  # a supporting unit is not late for the leads' reports (rule 6)
        elif light.late and unit is not None:  # a lead's own lateness, not a co-lead's (rule 6)
            plan = selection.plan(task)
            missing = lights.late_units(task, plan, selection.as_of, selection.sealed(task), selection.lead(task))
            self.late_reports += plan.units.own_name(unit) in {plan.units.own_name(name) for name in missing}
        else:
            self.late_reports += light.late
        if self.role != "support":
            met, due = lights.on_time_record(
                task, selection.plan(task), selection.as_of, selection.sealed(task), unit, selection.lead(task)
            )
            self.met += met
            self.due += due
        self.refs.add(task.ref)

    def as_dict(self) -> dict[str, object]:
        return {
            "group": self.group,
            "role": self.role,
            "tasks": self.tasks,
            "done": self.done,
            "green": self.green,
            "yellow": self.yellow,
            "red": self.red,
            "grey": self.grey,
            "late": self.late,
            "on_time_rate": self.on_time_rate,
        }


def _ranked(tallies: Iterable[Tally]) -> list[Tally]:
    """Worst first: most red, then most yellow, then most late, then lowest on-time rate."""
    return sorted(
        tallies,
        key=lambda t: (
            -t.red,
            -t.yellow,
            -t.late_reports,
            t.on_time_rate if t.on_time_rate is not None else 101,
            t.group,
        ),
    )


def by_unit(selection: Selection, tasks: list[Task]) -> list[Tally]:
    tallies: dict[tuple[str, str], Tally] = {}
    for task in tasks:
        plan = selection.plan(task)
        for role, names in (("lead", selection.lead(task)), ("support", task.support)):
            for name in names:
                canonical = plan.units.own_name(name)
                if is_collective(plan, canonical):  # never counted among the units
                    continue
                tally = tallies.setdefault((canonical, role), Tally(canonical, role))
                if task.ref not in tally.refs:
                    tally.add(task, selection, name if role == "lead" else None)
    return _ranked(tallies.values())


NONE = "(none)"  # the group of the tasks that have no value for the attribute (no type)


def by_attribute(selection: Selection, tasks: list[Task], attribute: str) -> list[Tally]:
    tallies: dict[str, Tally] = {}
    for task in tasks:
        value = getattr(task, attribute) or NONE
        tallies.setdefault(value, Tally(value)).add(task, selection)
    return _ranked(tallies.values())


def report(selection: Selection, tasks: list[Task], by: str) -> list[Tally]:
    if by == "unit":
        return by_unit(selection, tasks)
    return by_attribute(selection, tasks, {"area": "area", "type": "type", "plan": "plan_id"}[by])
