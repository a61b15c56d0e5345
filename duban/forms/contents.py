"""What goes on a unit's form for a reporting period: the period (the deadline now due by
default, duban/supervise/deadlines.py), the tasks the unit leads or supports that are still
open, and for each its target, the period's milestone and the unit's own last report
(docs/reading.md rule 1: a supporting unit reports its own part). `duban forms --missing`
asks the same question of the record: which of these rows has no report of the unit's own
in the period's window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from duban import vocabulary
from duban.dates import parse_day, parse_month
from duban.errors import DubanError
from duban.i18n import _
from duban.model import Plan, Report, Task, effective_lead
from duban.reading import Leads, lead_reports, percent_of
from duban.record.report_checks import numeric_target, own_last_report, own_reports, target_words
from duban.states import Status
from duban.store.repository import Repository
from duban.supervise import deadlines
from duban.units import is_collective


@dataclass(frozen=True)
class FormTask:
    """One row of a unit's form."""

    task: Task
    role: str  # lead or support
    lead: tuple[str, ...]  # the task's effective lead units
    target: str  # the task's text, with its numeric target
    milestone: str  # this period's milestone, or ""
    last: Report | None  # the unit's own last report
    numeric: bool  # whether the task has a numeric target (a value cell)

    @property
    def fixed(self) -> dict[str, str]:
        """The row's cells outside the input area, as the form prints them."""
        # Deferred: loads duban.forms.layout only when this runs
        from duban.forms.layout import ROLE_WORDS

        return {
            "id": self.task.id,
            "title": self.task.title,
            "target": self.target,
            "role": ROLE_WORDS[self.role],
            "milestone": self.milestone,
            "last": last_words(self.last),
        }


@dataclass(frozen=True)
class UnitForm:
    plan: Plan
    deadline: deadlines.Deadline
    unit: str
    rows: tuple[FormTask, ...]


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_words(deadline: deadlines.Deadline) -> str:
    """2019年6月, 2019年3-4月, 2019年第一季度."""
    return f"{deadline.first.year}年{deadline.label}"


def last_words(report: Report | None) -> str:
    if report is None:
        return "尚未报送"
    words = f"{chinese_date(report.date)} {report.percent:g}%"
    if report.value is not None:
        words += f" 完成值{report.value:g}"
    if report.status:
        words += f"（{vocabulary.chinese('status', report.status)}）"
    return words + (f"\n{report.note.strip()}" if report.note and report.note.strip() else "")


def choose_deadline(plan: Plan, today: dt.date, period: str | None = None) -> deadlines.Deadline:
    """The period a form is for: `period` (a month, YYYY-MM: the period that holds it; or a
    deadline's day), else the first deadline on or after `today`, else the plan's last."""
    found = deadlines.periods(plan)
    if not found:
        raise DubanError(_("plan {plan} has no reporting period").format(plan=plan.id))
    if period:
        try:
            first, _last = parse_month(period)
        except DubanError:
            first = None
        if first is None:
            day = parse_day(period, "--period")
            for deadline in found:
                if deadline.day == day:
                    return deadline
            raise DubanError(
                _("{day} is not a reporting deadline of plan {plan}").format(day=day.isoformat(), plan=plan.id),
                hint=_("its deadlines: {days}").format(days=", ".join(d.day.isoformat() for d in found)),
            )
        for deadline in found:
            if deadline.covers(first.year, first.month):
                return deadline
        raise DubanError(
            _("no reporting period of plan {plan} holds {month}").format(plan=plan.id, month=period),
            hint=_("its periods run from {first} to {last}").format(
                first=found[0].first.isoformat()[:7], last=found[-1].last.isoformat()[:7]
            ),
        )
    for deadline in found:
        if deadline.day >= today:
            return deadline
    return found[-1]


def period_milestone(task: Task, deadline: deadlines.Deadline) -> str:
    """The milestone the period works towards: the quarter's that holds the period's last
    month, or the first dated milestone on or after the period's first day."""
    if not task.milestones:
        return ""
    quarter = f"Q{(deadline.last.month - 1) // 3 + 1}"
    if quarter in task.milestones:
        return f"{vocabulary.chinese('quarter', quarter)}：{task.milestones[quarter]}"
    dated = sorted(k for k in task.milestones if isinstance(k, dt.date) and k >= deadline.first)
    if dated:
        return f"{chinese_date(dated[0])}前：{task.milestones[dated[0]]}"
    return ""


def is_open(task: Task, lead: Leads, deadline: deadlines.Deadline) -> bool:
    """Whether the period asks for a report on the task: not cancelled, and not done before
    the period's window opened (docs/reading.md rule 5)."""
    if task.status == Status.CANCELLED:
        return False
    before = deadline.opens - dt.timedelta(days=1)
    if percent_of(task.progress, lead, task.indicators, until=before)[0] >= 100:
        return False
    if task.status == Status.DONE:
        return any(r.date >= deadline.opens for r in lead_reports(task.progress, lead))
    return True


def unit_forms(
    repo: Repository,
    plan_id: str,
    deadline: deadlines.Deadline,
    units: Iterable[str] = (),
    tasks: list[Task] | None = None,
) -> list[UnitForm]:
    """Each unit's form for the period, units in the plan's order; `units` keeps those named
    (any name or alias the plan knows). Collectives get none (docs/reading.md rule 8)."""
    plan = repo.plan(plan_id)
    if tasks is None:
        loaded = repo.load_tasks(plan_id)
        if loaded.problems:
            first = loaded.problems[0]
            raise DubanError(
                _("{path} cannot be read: {problem}").format(path=first.path, problem=first.message),
                hint=_("run duban validate and fix it first"),
            )
        tasks = loaded.tasks
    wanted = set()
    for name in units:
        unit = plan.units.resolve(name)
        if unit is None:
            # Deferred: loads duban.record.typed_values only when this runs
            from duban.record.typed_values import unit_by_initials

            unit = unit_by_initials(plan, name)
        if unit is None:
            # Deferred: loads duban.record.typed_values only when this runs
            from duban.record.typed_values import UnknownUnit

            raise UnknownUnit(plan, name)
        wanted.add(unit.name)
    by_id = {task.id: task for task in tasks}
    rows: dict[str, list[FormTask]] = {}
    for task in tasks:
        lead = task.lead or effective_lead(task, by_id)
        if not is_open(task, Leads(lead, plan.units.own_name), deadline):
            continue
        roles: dict[str, str] = {}
        for role, names in (("lead", lead), ("support", task.support)):
            for name in names:
                own = plan.units.own_name(name)
                if not is_collective(plan, name) and own not in roles:
                    roles[own] = role
        target = numeric_target(task)
        text = task.text.strip() + (f"\n数值目标：{target_words(target)}" if target is not None else "")
        for name, role in roles.items():
            if wanted and name not in wanted:
                continue
            rows.setdefault(name, []).append(
                FormTask(
                    task,
                    role,
                    lead,
                    text,
                    period_milestone(task, deadline),
                    own_last_report(task, name, lead, plan.units.own_name),
                    target is not None,
                )
            )
    order = {known.name: index for index, known in enumerate(plan.units)}
    return [
        UnitForm(plan, deadline, name, tuple(found))
        for name, found in sorted(rows.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    ]


@dataclass(frozen=True)
class Missing:
    unit: str
    rows: int  # tasks on the unit's form
    unreported: tuple[str, ...]  # their ids with no report of the unit's own in the window
    lead_unreported: int  # how many of those the unit leads (its duty, rule 5)


def missing(repo: Repository, plan_id: str, deadline: deadlines.Deadline) -> list[Missing]:
    """The units whose form has rows with no report of their own dated in the period's window
    (after the previous deadline, by this one: the window that answers it, calendar rule C6),
    those that returned nothing first."""
    found = []
    plan = repo.plan(plan_id)
    for form in unit_forms(repo, plan_id, deadline):
        gaps = [
            row
            for row in form.rows
            if not any(
                deadline.answers(r.date) for r in own_reports(row.task, form.unit, row.lead, plan.units.own_name)
            )
        ]
        if gaps:
            found.append(
                Missing(
                    form.unit, len(form.rows), tuple(r.task.id for r in gaps), sum(1 for r in gaps if r.role == "lead")
                )
            )
    return sorted(found, key=lambda m: (len(m.unreported) < m.rows, -m.lead_unreported, -len(m.unreported)))
