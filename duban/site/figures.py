"""Every figure the site shows, taken from the core and never worked out again here: lights
and lateness from the selection (duban.supervise.selection, lights), tallies from `duban
report` (supervise.reports), scores from `duban score` (supervise.scoring), each period's
state and words from its circular (supervise.circular), the ledger from `duban export`
(supervise.export), the reporting calendar (supervise.deadlines), when each report was
recorded (supervise.entries), seals and their verification (supervise.seals), and each
task's story (site.story). docs/reading.md holds the rules these follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Plan, Report, Task, natural_key
from duban.reading import Leads
from duban.site.story import Change, stories
from duban.store.repository import Repository
from duban.supervise import deadlines as calendar
from duban.supervise import lights
from duban.supervise.circular.building import build as build_circular
from duban.supervise.circular.document import Circular
from duban.supervise.deadlines import Deadline
from duban.supervise.entries import Entry, Introduction, entered_after_deadline, introductions
from duban.supervise.export.ledger import Ledger, ledger, with_scores
from duban.supervise.report_identity import identity_in
from duban.supervise.reports import Tally, by_attribute, by_unit
from duban.supervise.scoring import Scores, UnitScore, canonical, default_as_of, score
from duban.supervise.seals.judging import sealed_reports, seals
from duban.supervise.seals.tags import Seal
from duban.supervise.seals.verifying import Verification, verify
from duban.supervise.selection import Selection, select
from duban.units import is_collective

Progress = Callable[[str], None]


@dataclass
class Period:
    """One reporting period that the site's day has reached: its deadline, the month its
    circular is for, the day the circular reads the record at, and that circular."""

    deadline: Deadline
    month: str  # YYYY-MM: the circular's --month
    read_at: dt.date
    circular: Circular
    issued: bool  # False where the circulars have not begun (no 第N期 for it)

    @property
    def label(self) -> str:
        return self.deadline.label

    @property
    def key(self) -> str:
        return f"{self.deadline.number:02d}-{self.month}"

    @property
    def selection(self) -> Selection:
        return self.circular.selection

    @cached_property
    def by_ref(self) -> dict[str, Task]:
        """The period's tasks by ref: each task's page asks for its own at every period."""
        return {task.ref: task for task in self.circular.tasks}


@dataclass
class ReportLine:
    """A report of the record as the task page lists it, with what the record says of it."""

    task: Task
    report: Report
    unit: str  # the unit's own name ("" for none)
    role: str  # lead or support
    identity: str
    answers: dt.date | None  # the reporting deadline its date answers
    recorded: Introduction | None  # the commit that first held it
    entered_late: bool  # entered after the deadline it answers (or outside its seal)
    seals: list[Seal] = field(default_factory=list)


@dataclass
class PlanFigures:
    repo: Repository
    plan: Plan
    as_of: dt.date
    selection: Selection
    periods: list[Period]
    scores: Scores
    verification: Verification | None
    verify_error: str | None
    seals: list[Seal]
    held: dict[str, dict[str, set[str]]]  # deadline -> task id -> identities
    stories: dict[str, list[Change]]
    introductions: dict[str, Introduction]
    entered_late: list[Entry]
    commit: str | None

    @property
    def tasks(self) -> list[Task]:
        return self.selection.tasks

    @cached_property
    def by_unit(self) -> list[Tally]:
        return by_unit(self.selection, self.tasks)

    @cached_property
    def by_area(self) -> list[Tally]:
        return by_attribute(self.selection, self.tasks, "area")

    @cached_property
    def by_type(self) -> list[Tally]:
        return by_attribute(self.selection, self.tasks, "type") if any(t.type for t in self.tasks) else []

    @cached_property
    def whole(self) -> Tally:
        """The plan as one group: `duban report --by plan`."""
        found = by_attribute(self.selection, self.tasks, "plan_id")
        return found[0] if found else Tally(self.plan.id)

    @cached_property
    def ledger(self) -> Ledger:
        return with_scores(ledger(self.selection, self.tasks), self.selection, self.plan.id, self.scores)

    def lead(self, task: Task) -> list[str]:
        """The task's lead units by their own names (a sub-item's are its parent's)."""
        return list(dict.fromkeys(canonical(self.plan, u) for u in self.selection.lead(task)))

    def support(self, task: Task) -> list[str]:
        return list(dict.fromkeys(canonical(self.plan, u) for u in task.support))

    def light(self, task: Task) -> lights.Light:
        return self.selection.light_of(task)

    def deciding(self, task: Task) -> Report | None:
        """The report giving the task its percent (docs/reading.md rule 2)."""
        return self.selection.deciding_report(task)

    def late_units(self, task: Task) -> list[str]:
        if not self.light(task).late:
            return []
        return list(
            dict.fromkeys(
                canonical(self.plan, u)
                for u in lights.late_units(
                    task, self.plan, self.as_of, self.selection.sealed(task), self.selection.lead(task)
                )
                if u
            )
        )

    @cached_property
    def units(self) -> list[str]:
        """Every unit (and collective) named as lead or support, worst first as `duban report`
        ranks them, then the collectives."""
        ranked = list(dict.fromkeys(t.group for t in self.by_unit))
        named = {u for task in self.tasks for u in (*self.lead(task), *self.support(task))}
        return ranked + sorted(named - set(ranked))

    def collective(self, unit: str) -> bool:
        return is_collective(self.plan, unit)

    def tasks_of(self, unit: str, role: str) -> list[Task]:
        pick = self.lead if role == "lead" else self.support
        return [t for t in self.tasks if unit in pick(t)]

    @cached_property
    def report_lines(self) -> dict[str, list[ReportLine]]:
        """task id -> its reports as of the site's day, oldest first, each with its deadline,
        the commit that recorded it, whether it was entered late and the seals that hold it."""
        late = {(e.ref, e.sha, e.report_date, e.unit or "") for e in self.entered_late}
        found: dict[str, list[ReportLine]] = {}
        for task in self.tasks:
            leads = Leads(self.selection.lead(task), self.plan.units.own_name)
            lines = []
            for report in sorted(task.progress, key=lambda r: r.date):
                identity = identity_in(self.plan, task.id, report)
                intro = self.introductions.get(identity)
                answers = calendar.answered_by(self.plan, report.date)
                unit = canonical(self.plan, report.by) if report.by else ""
                entered_late = (
                    intro is not None and (task.ref, intro.sha, report.date.isoformat(), intro.unit or "") in late
                )
                holding = [s for s in self.seals if identity in self.held.get(s.deadline, {}).get(task.id, set())]
                lines.append(
                    ReportLine(
                        task,
                        report,
                        unit,
                        "lead" if leads.speaks_for_task(report) else "support",
                        identity,
                        answers,
                        intro,
                        entered_late,
                        holding,
                    )
                )
            found[task.id] = lines
        return found

    def unit_score(self, unit: str) -> UnitScore | None:
        return self.scores.of(unit)

    def on_time_by_deadline(self, unit: str) -> list[tuple[dt.date, list[tuple[Task, bool]]]]:
        """For each deadline up to the site's day, the tasks `unit` leads that owed a report
        then, each with whether it answered: the steps of lights.on_time_record (rule 7), so
        they add up to the unit's on-time figures in `score` and `report`."""
        days = calendar.days(self.plan, self.as_of)
        rows: dict[dt.date, list[tuple[Task, bool]]] = {day: [] for day in days}
        for task in self.tasks_of(unit, "lead"):
            sealed, lead = self.selection.sealed(task), self.selection.lead(task)
            name = next((u for u in lead if canonical(self.plan, u) == unit), unit)
            for day, met, due in lights.on_time_steps(task, self.plan, self.as_of, sealed, name, lead):
                if due:
                    rows[day].append((task, met >= due))
        return [(day, sorted(items, key=lambda i: natural_key(i[0].id))) for day, items in rows.items()]


def gather(repo: Repository, plan_id: str, as_of: dt.date | None, progress: Progress) -> PlanFigures:
    """Every figure of one plan as of `as_of` (default: today while the plan runs, else its
    last reporting deadline, as `export` and `score` take it)."""
    plan = repo.plan(plan_id)
    day = as_of or default_as_of(plan)
    progress(f"{plan_id}: {day.isoformat()}")
    selection = select(repo, [plan_id], day)
    periods = []
    for deadline in calendar.periods(plan):
        month = f"{deadline.last.year}-{deadline.last.month:02d}"
        read_at = calendar.month_as_of(plan, deadline.last.year, deadline.last.month)
        if read_at > day:
            break
        progress(f"{plan_id}: {deadline.label} ({month})")
        # Dated the day it reads the record at: a rebuild next month gives the same words
        # (`duban circular` dates it by the latest commit, which moves with every report).
        try:
            document, issued = build_circular(repo, month, plan_id, issued=read_at), True
        except DubanError:
            # Before circular.first_month: no issue number, so no circular to open; its state
            # is still the period's.
            document, issued = build_circular(repo, month, plan_id, issue=1, issued=read_at), False
        periods.append(Period(deadline, month, read_at, document, issued))
    progress(_("{plan}: scores").format(plan=plan_id))
    scores = score(repo, plan_id, day, final=selection)

    found = seals(repo, plan_id)
    held = sealed_reports(repo, plan_id) if found else {}
    verification, verify_error = None, None
    if found:
        progress(_("{plan}: verify").format(plan=plan_id))
        try:
            verification = verify(repo, plan_id)
        except DubanError as error:
            verify_error = str(error)
    progress(_("{plan}: history").format(plan=plan_id))
    commit = _head(repo)
    return PlanFigures(
        repo,
        plan,
        day,
        selection,
        periods,
        scores,
        verification,
        verify_error,
        found,
        held,
        stories(repo, plan_id),
        introductions(repo, plan_id),
        entered_after_deadline(repo, plan_id),
        commit,
    )


def _head(repo: Repository) -> str | None:

    git = repo.git
    try:
        git.check_repository()
        return git.head()
    except DubanError:
        return None
