"""The office's reading (docs/reading.md, docs/guide/supervision.md with its "Lights" and "The
circular, the ledger and scores", and docs/guide/seals.md) written a second time: plainly,
slowly and without duban, so that test_differential.py can hold every figure of the
documents against it. Nothing here imports duban, and nothing is cached or clever: each
figure is worked out from the plan and the list of reports, day by day (only the
calendar is worked out once).

Where the rules leave a choice, the choice is said in a comment starting "Reading:".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

QUARTER_END = {"Q1": (3, 31), "Q2": (6, 30), "Q3": (9, 30), "Q4": (12, 31)}
QUARTER_SHARE = {"Q1": 25, "Q2": 50, "Q3": 75, "Q4": 100}
SEVERITY = {"grey": 0, "green": 0, "yellow": 1, "red": 2}
# scoring.py's DEFAULT_RULES and DEFAULT_LADDER, the numbers only (docs/guide/supervision.md:
# "Without `scoring:`").
LATE_POINTS, RED_POINTS, EARLY_POINTS, START = -1, -2, 1, 100
LADDER = (("yellow", 2, "发督办专函"), ("red", 1, "约谈"))
STATUS_WORDS = {
    "not_started": "未启动",
    "in_progress": "进行中",
    "done": "已完成",
    "blocked": "受阻",
    "delayed": "延期",
    "cancelled": "已取消",
}
# Rule 8: 各…, 相关…/有关…/其他…, …等, N家…, …成员单位, …相关部门/有关部门, 市直…/区直…/县直…部门.
COLLECTIVE_NAME = re.compile(r"^(各|相关|有关|其他)|等$|\d+家|成员单位$|(相关|有关)部门$|^(市直|区直|县直).*部门$")


@dataclass(frozen=True)
class Task:
    id: str
    lead: tuple[str, ...] = ()  # as written: () for a sub-item that takes its parent's
    support: tuple[str, ...] = ()
    parent: str | None = None
    due: dt.date | None = None
    milestones: tuple[str, ...] = ()  # Q1..Q4
    target: float | None = None  # a numeric target (11000人): a report's value counts


@dataclass(frozen=True)
class Calendar:
    """plan.yaml's `reporting` (docs/reading.md, Reporting calendar)."""

    day_of_month: int = 25
    months: int = 1  # a period's months: 1 monthly, 2 bimonthly, 3 quarterly
    covers: str | None = None  # previous, current; None: C2's default
    grace: int = 15
    first: dt.date | None = None
    dates: tuple[dt.date, ...] = ()  # C4: the deadlines themselves


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    begins: dt.date  # the period it reports on: its first and last day
    ends: dt.date
    after: dt.date = dt.date.min  # C6: answered by reports dated after this and by `day`
    filed_from: dt.date = dt.date.min  # C7: the reports filed under its period
    filed_to: dt.date = dt.date.min


@dataclass(frozen=True)
class Plan:
    year: int
    issued: dt.date
    calendar: Calendar
    tasks: tuple[Task, ...]
    groups: frozenset[str] = frozenset()  # names plan.yaml gives kind group (or collective)
    yellow_behind: float = 10
    red_behind: float = 25


@dataclass(frozen=True)
class Report:
    task: str
    unit: str
    date: dt.date  # the day the unit reported
    percent: float
    typed: dt.date  # the day duban recorded it (its commit clock)
    order: int  # its place in the record, for equal dates
    value: float | None = None
    status: str | None = None
    note: str = ""
    sealed: frozenset[dt.date] = frozenset()  # the deadlines whose seal holds it


@dataclass(frozen=True)
class Setting:
    """The office's `duban set ID status=…`, committed on `day`."""

    task: str
    status: str
    day: dt.date
    order: int


def reporting_day(year: int, month: int, day: int) -> dt.date:
    """Day `day` of the month, or its last day where it has none (C3)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def month_after(year: int, month: int, months: int = 1) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def half_up(value: Fraction) -> int:
    """Rule 9: printed as a whole percent, rounded once. Reading: a half rounds up."""
    return int(value + Fraction(1, 2))


class Reading:
    def __init__(
        self,
        plan: Plan,
        reports: Iterable[Report],
        settings: Iterable[Setting] = (),
        seals: frozenset[dt.date] = frozenset(),
    ) -> None:
        self.plan, self.reports, self.settings, self.seals = plan, list(reports), list(settings), seals
        self.by_id = {t.id: t for t in plan.tasks}
        self.owed, self.beyond = self.calendar(), self.calendar(beyond=True)

    # ---- the calendar and the words ------------------------------------------------------

    @property
    def start(self) -> dt.date:
        issued = self.plan.issued
        return issued if issued.year == self.plan.year else dt.date(self.plan.year, 1, 1)

    def candidates(self) -> list[Deadline]:
        """C1-C4: each period's deadline, the plan's year and the year after (C6 goes on)."""
        cal, year, found = self.plan.calendar, self.plan.year, []

        def covers(day: int) -> str:
            return cal.covers or ("previous" if day <= 10 else "current")

        if cal.dates:
            before = month_after(self.start.year, self.start.month, -1)  # the previous date's period's end
            for date in sorted(cal.dates):
                begins = month_after(*before)
                ends = (
                    (date.year, date.month) if covers(date.day) == "current" else month_after(date.year, date.month, -1)
                )
                if ends < (self.start.year, self.start.month):
                    continue  # its period would end before the start's month
                ends = max(ends, begins)  # no month of its own: the month after the last period
                found.append(Deadline(date, dt.date(*begins, 1), month_end(*ends)))
                before = ends
            return found
        for first_year in (year - 1, year, year + 1):
            for first_month in range(1, 13, cal.months):
                last = month_after(first_year, first_month, cal.months - 1)
                due = last if covers(cal.day_of_month) == "current" else month_after(*last)
                found.append(
                    Deadline(
                        reporting_day(*due, cal.day_of_month), dt.date(first_year, first_month, 1), month_end(*last)
                    )
                )
        return found

    def calendar(self, beyond: bool = False) -> list[Deadline]:
        """C5-C7: the plan's deadlines in order, each with its window and its filed range;
        `beyond`: the rhythm's deadlines after the plan's year too (only windows use them)."""
        cal, kept = self.plan.calendar, []
        for d in self.candidates():
            if d.ends < self.start or d.day <= self.start:
                continue
            if d.begins > dt.date(self.plan.year, 12, 31) and not (beyond and not cal.dates):
                continue
            if (cal.first is None and (d.day - self.start).days < cal.grace) or (cal.first and d.day < cal.first):
                continue
            kept.append(d)
        out: list[Deadline] = []
        for d in kept:
            after = out[-1].day if out else self.start
            filed_from = (
                out[-1].filed_to + dt.timedelta(days=1) if out else min(self.start + dt.timedelta(days=1), d.begins)
            )
            out.append(Deadline(d.day, d.begins, d.ends, after, filed_from, max(d.day, d.ends)))
        return out

    def deadlines(self, until: dt.date) -> list[dt.date]:
        return [d.day for d in self.owed if d.day <= until]

    def previous(self, deadline: dt.date) -> dt.date:
        return next(d.after for d in self.owed if d.day == deadline)

    def following_deadline(self, day: dt.date) -> dt.date | None:
        """The first deadline after `day` (a milestone's)."""
        return next((d.day for d in self.beyond if d.day > day), None)

    def answers(self, date: dt.date) -> Deadline | None:
        """C6: the deadline a report of `date` answers."""
        return next((d for d in self.beyond if d.after < date <= d.day), None)

    def month(self, year: int, month: int) -> tuple[list[Deadline], dt.date, dt.date, dt.date]:
        """C8: the deadlines month M's circular judges, the day it reads the record at, and the
        first and last day of the reports filed as M's."""
        judged = [d for d in self.owed if d.begins <= dt.date(year, month, 1) <= d.ends]
        as_of = max([month_end(year, month), *(d.day for d in judged)])
        if not judged:
            return [], as_of, dt.date(year, month, 1), month_end(year, month)
        return judged, as_of, judged[0].filed_from, min(judged[-1].filed_to, as_of)

    def is_collective(self, name: str) -> bool:
        return name in self.plan.groups or bool(COLLECTIVE_NAME.search(name))

    def leads(self, task: Task) -> tuple[str, ...]:
        """A sub-item that names no lead has its nearest ancestor's."""
        while not task.lead and task.parent in self.by_id:
            task = self.by_id[task.parent]
        return task.lead

    def real_leads(self, task: Task) -> tuple[str, ...]:
        return tuple(u for u in self.leads(task) if not self.is_collective(u))

    # ---- rule 1 and 2: the lead's reports, the task's percent --------------------------------

    def lead_reports(self, task: Task, day: dt.date) -> list[Report]:
        leads = self.leads(task)
        return sorted(
            (
                r for r in self.reports if r.task == task.id and r.date <= day and (not leads or r.unit in leads)
            ),  # no lead at all: every report is a lead's
            key=lambda r: (r.date, r.order),
        )

    def figure(self, task: Task, report: Report) -> Fraction:
        if task.target and report.value is not None:
            # Reading: a figure past the target is 100 %, as a percent is at most 100.
            return min(Fraction(report.value) * 100 / Fraction(task.target), Fraction(100))
        return Fraction(report.percent)

    def percent(self, task: Task, day: dt.date) -> tuple[Fraction, Report | None]:
        """The lowest of the leads' latest figures, and the report that gives it (the later
        one on a tie; of one date, the lead the task names first); 0 and None with no lead
        report yet."""
        latest: dict[str, Report] = {}
        for report in self.lead_reports(task, day):
            latest[report.unit] = report
        if not latest:
            return Fraction(0), None
        leads = self.leads(task)
        deciding = min(
            latest.values(),
            key=lambda r: (
                self.figure(task, r),
                -r.date.toordinal(),
                leads.index(r.unit) if r.unit in leads else len(leads),
            ),
        )
        return self.figure(task, deciding), deciding

    # ---- rules 3 and 4: done, status -------------------------------------------------------

    def status(self, task: Task, day: dt.date) -> str:
        given = [(r.date, r.order, r.status, True) for r in self.lead_reports(task, day)]
        given += [(s.day, s.order, s.status, False) for s in self.settings if s.task == task.id and s.day <= day]
        status = "not_started"
        # docs/reading.md rule 4: on one day, the reports come before the office's set.
        for _day, _order, said, with_report in sorted(given, key=lambda g: (g[0], not g[3], g[1])):
            if status == "cancelled" and with_report:
                continue  # rule 4: only the office takes a cancelled back
            if said:
                status = said
            elif with_report and status == "not_started":
                # Reading: literally, any lead report without a status, 0 % included.
                status = "in_progress"
        return status

    def done(self, task: Task, day: dt.date) -> bool:
        """Rule 3: the percent is 100, or the office set it done and no status was given since."""
        percent, deciding = self.percent(task, day)
        status = self.status(task, day)
        return status == "done" or (deciding is not None and percent >= 100 and status != "cancelled")

    def first_done(self, task: Task, day: dt.date) -> dt.date | None:
        days = {r.date for r in self.lead_reports(task, day)} | {
            s.day for s in self.settings if s.task == task.id and s.day <= day
        }
        return next((d for d in sorted(days) if self.done(task, d)), None)

    # ---- the lights (docs/guide/supervision.md "Lights", rule 9) ---------------------------------

    def expected(self, task: Task, day: dt.date) -> Fraction:
        end = task.due or dt.date(self.plan.year, 12, 31)
        span = max((end - self.start).days, 1)
        return min(max(Fraction(100 * (day - self.start).days, span), Fraction(0)), Fraction(100))

    def milestone_missed(self, task: Task, day: dt.date, percent: Fraction) -> list[str]:
        missed = []
        for key in task.milestones:
            passed = dt.date(self.plan.year, *QUARTER_END[key])
            # Reading: judged once the following deadline's day is over (a report dated on it
            # still answers it); with no deadline after it, once the milestone's day is over.
            grace = self.following_deadline(passed) or passed
            if day <= grace:
                continue
            margin = QUARTER_SHARE[key] - Fraction(self.plan.yellow_behind)
            # Reading: "a report came within the margin" is the task's percent (rule 2) on the
            # day of some lead report by the grace deadline.
            best = max((self.percent(task, r.date)[0] for r in self.lead_reports(task, grace)), default=Fraction(0))
            if best < margin and percent < margin:
                missed.append(key)
        return missed

    def light(self, task: Task, day: dt.date) -> str:
        status = self.status(task, day)
        if status == "cancelled":
            return "grey"
        if self.done(task, day):
            return "green"
        percent, _deciding = self.percent(task, day)
        behind = self.expected(task, day) - percent
        if (
            status == "blocked"
            or (task.due and day > task.due)
            or self.milestone_missed(task, day, percent)
            or behind >= self.plan.red_behind
        ):
            return "red"
        if behind >= self.plan.yellow_behind or status == "delayed":
            return "yellow"
        due_yet = any(dt.date(self.plan.year, *QUARTER_END[k]) <= day for k in task.milestones)
        if status == "not_started" and not due_yet:  # Reading: a milestone is due on its day
            return "grey"
        return "green"

    # ---- rules 5 to 7: the reporting duty ---------------------------------------------------

    def owes(self, task: Task, deadline: dt.date) -> bool:
        """Whether its leads owe a report at `deadline`: not done nor cancelled by the previous one."""
        before = self.previous(deadline)
        return not self.done(task, before) and self.status(task, before) != "cancelled"

    def answered(self, task: Task, unit: str, deadline: dt.date) -> bool:
        after = self.previous(deadline)
        return any(
            r.task == task.id
            and r.unit == unit
            and after < r.date <= deadline
            and (deadline not in self.seals or deadline in r.sealed)
            for r in self.reports
        )

    def late_leads(self, task: Task, day: dt.date) -> list[str]:
        """Rule 6: the leads that did not answer the latest deadline on or before `day`.
        Reading: a task done or cancelled after that deadline stays late for it."""
        deadlines = self.deadlines(day)
        if not deadlines or not self.owes(task, deadlines[-1]):
            return []
        return [u for u in self.leads(task) if not self.answered(task, u, deadlines[-1])]

    def on_time(self, unit: str, day: dt.date) -> tuple[int, int]:
        """Rule 7: (deadlines answered, deadlines owed) over the tasks `unit` leads."""
        met = owed = 0
        for task in self.plan.tasks:
            if unit in self.leads(task):
                for deadline in self.deadlines(day):
                    if self.owes(task, deadline):
                        owed += 1
                        met += self.answered(task, unit, deadline)
        return met, owed

    # ---- scores, ranks, escalation (docs/guide/supervision.md "The circular, the ledger and scores") ---

    def units(self) -> list[str]:
        """The units that are scored and ranked: every unit that leads a task, collectives aside."""
        return sorted({u for t in self.plan.tasks for u in self.real_leads(t)})

    def score(self, unit: str, day: dt.date) -> Fraction:
        met, owed = self.on_time(unit, day)
        points = Fraction(START + LATE_POINTS * (owed - met))  # Reading: −1 to each lead that did not answer
        for task in self.plan.tasks:
            if unit not in self.leads(task):
                continue
            points += RED_POINTS * sum(self.light(task, d) == "red" for d in self.deadlines(day))
            first = self.first_done(task, day)
            if self.done(task, day) and first and first < (task.due or dt.date(self.plan.year, 12, 31)):
                points += EARLY_POINTS
        return points

    def ranks(self, day: dt.date) -> dict[str, int]:
        """Rank 1 the best score; equal scores share a rank (1, 2, 2, 4)."""
        scores = {u: self.score(u, day) for u in self.units()}
        return {u: 1 + sum(other > s for other in scores.values()) for u, s in scores.items()}

    def escalation(self, task: Task, day: dt.date) -> str | None:
        """The last step of the ladder the task reaches: its light at least the step's at the
        step's number of deadlines in a row, the latest included."""
        colours = [self.light(task, d) for d in self.deadlines(day)]
        reached = None
        for light, in_a_row, action in LADDER:
            if len(colours) >= in_a_row and all(SEVERITY[c] >= SEVERITY[light] for c in colours[-in_a_row:]):
                reached = action
        return reached

    # ---- the documents -------------------------------------------------------------------------

    def status_word(self, task: Task, day: dt.date) -> str:
        status = self.status(task, day)
        return STATUS_WORDS["done" if status != "cancelled" and self.done(task, day) else status]

    def counts(self, day: dt.date) -> dict[str, int]:
        counts = dict.fromkeys(("tasks", "done", "on_schedule", "lagging", "red", "yellow", "green", "grey"), 0)
        for task in self.plan.tasks:
            light, done = self.light(task, day), self.done(task, day)
            counts["tasks"] += 1
            counts["done"] += done
            counts[light] += 1
            counts["on_schedule"] += light == "green" and not done
            counts["lagging"] += light in ("red", "yellow")
        return counts

    def entered_late(self, report: Report) -> bool:
        """Typed in after the deadline it answers; where that deadline is sealed, not in the seal."""
        answered = self.answers(report.date)
        if answered is None:
            return False
        return answered.day not in report.sealed if answered.day in self.seals else report.typed > answered.day

    def deciding_among(self, task: Task, since: dt.date, until: dt.date) -> Report | None:
        """Rule 2 on the lead reports dated `since`..`until`: a period's cell (C10, 本月进展)."""
        kept = [r for r in self.lead_reports(task, until) if r.date >= since]
        return Reading(self.plan, kept).percent(task, until)[1] if kept else None

    def ledger_cells(self, task: Task, day: dt.date) -> dict[str, str | None]:
        """C10: one column per period begun by `day`, holding its deciding report's note."""
        cells = {}
        for d in self.owed:
            if d.begins <= day:
                deciding = self.deciding_among(task, d.filed_from, min(d.filed_to, day))
                cells[period_name(d)] = deciding.note if deciding else None
        return cells

    def circular(self, month: tuple[int, int]) -> dict[str, object]:
        judged, last, since, until = self.month(*month)
        begins = judged[0].begins if judged else dt.date(*month, 1)
        _judged, before, _since, _until = self.month(*month_after(begins.year, begins.month, -1))
        tasks = self.plan.tasks
        late: dict[str, list[str]] = {}
        lagging: dict[str, list[str]] = {}
        for task in tasks:
            if judged:
                for unit in self.late_leads(task, judged[-1].day):
                    if not self.is_collective(unit):
                        late.setdefault(unit, []).append(task.id)
            if self.light(task, last) in ("red", "yellow"):
                for unit in self.real_leads(task):
                    lagging.setdefault(unit, []).append(task.id)
        filed = [r for r in self.reports if since <= r.date <= until]
        ranks = self.ranks(last)
        units = {
            u: {"score": self.score(u, last), "rank": ranks[u], "on_time": self.on_time(u, last)} for u in self.units()
        }
        progress = {}
        for task in tasks:
            deciding = self.deciding_among(task, since, until)
            progress[task.id] = deciding.note if deciding else None
        return {
            "as_of": last,
            "counts": self.counts(last),
            "previous": self.counts(before),
            "late": late,
            "lagging": lagging,
            "completed": sorted(
                t.id
                for t in tasks
                if self.done(t, last)  # as the test lists duban's
                and since <= (self.first_done(t, last) or dt.date.min) <= until
            ),
            "reported_units": sorted({r.unit for r in filed}),
            "reports": len(filed),
            "entered_late": sorted((r.task, r.unit, r.date.isoformat()) for r in filed if self.entered_late(r)),
            "units": units,
            "escalations": {
                t.id: (self.escalation(t, last), self.real_leads(t))
                for t in tasks
                if self.escalation(t, last) and self.real_leads(t)
            },
            "progress": progress,
        }


def period_name(d: Deadline) -> str:
    """A period's ledger column: 5月进展, 3-4月进展, 第一季度进展 (C10)."""
    first, last = d.begins.month, d.ends.month
    if first == last:
        return f"{first}月进展"
    if first % 3 == 1 and last == first + 2:
        return f"第{'一二三四'[first // 3]}季度进展"
    return f"{first}-{last}月进展"
