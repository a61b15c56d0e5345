"""What the reference tests share: random plans and reports (hypothesis), each case built as a real
repository through duban's commands, and the reference model's figures for it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from tests.reference import model

YEAR = 2019
PLAN_ID = "p"
DEPARTMENTS = ("发改委", "商务委", "财政局", "科委", "人社局")
# Collectives: one by its kind in plan.yaml, two by how they read (rule 8).
COLLECTIVES = {"各街镇": "group", "区26家签约单位": "company", "相关部门": "department"}
STATUSES_WITH_REPORTS = ("blocked", "delayed", "in_progress")
OFFICE_STATUSES = ("delayed", "blocked", "done", "cancelled")


@dataclass(frozen=True, repr=False)
class Event:
    kind: str  # report, set, seal, withdraw
    day: dt.date  # the day it was really typed: the record's order
    clock: dt.date  # the day the commit says (a PC's clock may run behind or ahead)
    task: str = ""
    unit: str = ""
    date: dt.date | None = None  # report: its date; withdraw: the date of the report taken out
    percent: int = 0
    value: float | None = None
    status: str | None = None
    note: str = ""

    def __repr__(self) -> str:
        clock = "" if self.clock == self.day else f" (clock {self.clock})"
        if self.kind == "report":
            extra = (f" value={self.value:g}" if self.value is not None else "") + (
                f" status={self.status}" if self.status else ""
            )
            return f"{self.day}{clock}: progress {self.task} {self.percent}% by {self.unit} date {self.date}{extra}"
        if self.kind == "set":
            return f"{self.day}{clock}: set {self.task} status={self.status}"
        if self.kind == "seal":
            return f"{self.day}: seal deadline {self.date}"
        return f"{self.day}{clock}: withdraw {self.task} {self.date} by {self.unit}"

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:  # Hypothesis prints cases with this
        printer.text(repr(self))  # type: ignore[attr-defined]


@dataclass(frozen=True, repr=False)
class Case:
    plan: model.Plan
    month: tuple[int, int]
    events: tuple[Event, ...]
    kinds: dict[str, str] = field(default_factory=dict)  # unit -> kind in plan.yaml
    explain: str = "1"  # the task `duban explain` is asked about
    sheet: bool = True  # whether the ledger's score sheet is made too (it scores again: slow)

    def __repr__(self) -> str:
        p = self.plan
        lines = [
            f"plan issued {p.issued}, reporting {reporting_yaml(p.calendar).strip()}, "
            f"circular {self.month[0]}-{self.month[1]:02d}"
        ]
        for t in p.tasks:
            lines.append(
                f"  task {t.id}"
                + (f" (sub-item of {t.parent})" if t.parent else "")
                + f": lead {'、'.join(t.lead) or '-'}; support {'、'.join(t.support) or '-'}"
                + (f"; due {t.due}" if t.due else "")
                + (f"; milestones {','.join(t.milestones)}" if t.milestones else "")
                + (f"; target {t.target:g}人" if t.target else "")
            )
        lines += [f"  {e!r}" for e in self.events]
        return "\n" + "\n".join(lines) + "\n"

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(repr(self))  # type: ignore[attr-defined]


def effective_lead(tasks: list[model.Task], task: model.Task) -> tuple[str, ...]:
    by_id = {t.id: t for t in tasks}
    while not task.lead and task.parent in by_id:
        task = by_id[task.parent]
    return task.lead


RHYTHMS = {1: "monthly", 2: "bimonthly", 3: "quarterly"}


@st.composite
def calendars(draw: st.DrawFn, issued: dt.date) -> model.Calendar:
    """plan.yaml's `reporting`: mostly monthly on the 25th, else any day, rhythm, covers,
    grace, first date, or a list of dates."""
    kind = draw(st.sampled_from((1, 1, 1, 1, 1, 2, 3, "dates")))
    covers = draw(st.sampled_from((None, None, None, "previous", "current")))
    start = draw(st.sampled_from(("grace", "grace", "grace", "grace 0", "grace 30", "first")))
    grace = {"grace 0": 0, "grace 30": 30}.get(start, 15)
    first = issued + dt.timedelta(days=draw(st.integers(10, 70))) if start == "first" else None
    if kind == "dates":
        dates = draw(
            st.lists(
                st.dates(issued + dt.timedelta(days=1), dt.date(YEAR, 10, 31)), min_size=1, max_size=4, unique=True
            )
        )
        return model.Calendar(covers=covers, grace=grace, first=first, dates=tuple(sorted(dates)))
    day = draw(st.sampled_from((25, 25, 25, 5, 10, 15, 20, 28, 30, 31, 1)))
    return model.Calendar(day, kind, covers, grace, first)


@st.composite
def plans(draw: st.DrawFn) -> tuple[model.Plan, tuple[int, int]]:
    issued = draw(st.dates(dt.date(YEAR, 1, 1), dt.date(YEAR, 6, 30)))
    reporting = draw(calendars(issued))
    reading = model.Reading(model.Plan(YEAR, issued, reporting, ()), [])
    # The circular's month: one a deadline judges (C8), in the plan's first months.
    months = [m for m in range(issued.month, min(12, issued.month + 4) + 1) if reading.month(YEAR, m)[0]]
    if not months:  # a calendar that leaves these months without a deadline: the usual one
        reporting = model.Calendar()
        months = [
            m
            for m in range(issued.month, issued.month + 3)
            if model.Reading(model.Plan(YEAR, issued, reporting, ()), []).month(YEAR, m)[0]
        ]
    month = (YEAR, draw(st.sampled_from(months)))
    tasks: list[model.Task] = []
    tops = 0
    for _ in range(draw(st.integers(2, 8))):
        parent = None
        if tasks and draw(st.integers(0, 5)) == 0:
            parent = draw(st.sampled_from([t.id for t in tasks if t.parent is None]))
            task_id = f"{parent}-{sum(t.parent == parent for t in tasks) + 1}"
        else:
            tops += 1
            task_id = str(tops)
        if parent and draw(st.booleans()):
            lead: tuple[str, ...] = ()  # takes the parent's
        else:
            lead = tuple(
                draw(st.lists(st.sampled_from(DEPARTMENTS), min_size=0 if parent else 1, max_size=3, unique=True))
            )
            if draw(st.integers(0, 6)) == 0:
                lead = draw(st.sampled_from(tuple(COLLECTIVES))), *lead[:1]
        inherited = effective_lead(tasks, model.Task(task_id, lead, parent=parent))
        others = [u for u in (*DEPARTMENTS, *COLLECTIVES) if u not in inherited]
        support = tuple(draw(st.lists(st.sampled_from(others), max_size=2, unique=True)))
        quarters = [q for q, (m, d) in model.QUARTER_END.items() if dt.date(YEAR, m, d) > issued]
        milestones = tuple(sorted(draw(st.sets(st.sampled_from(quarters)))))
        due = draw(st.none() | st.dates(issued + dt.timedelta(days=20), dt.date(YEAR, 12, 31)))
        target = draw(st.sampled_from((None, None, None, None, 200.0)))
        tasks.append(model.Task(task_id, lead, support, parent, due, milestones, target))
    groups = frozenset(u for u, kind in COLLECTIVES.items() if kind == "group")
    return model.Plan(YEAR, issued, reporting, tuple(tasks), groups), month


@st.composite
def cases(draw: st.DrawFn) -> Case:
    plan, month = draw(plans())
    reading = model.Reading(plan, [])
    start, last = reading.start, reading.month(*month)[1]
    drafts = []
    for _ in range(draw(st.integers(0, 6))):
        task = draw(st.sampled_from(plan.tasks))
        leads = [u for u in effective_lead(list(plan.tasks), task) if u in DEPARTMENTS]
        support = [u for u in task.support if u in DEPARTMENTS]
        pool = leads if leads and (not support or draw(st.integers(0, 3)) > 0) else support
        if not pool:
            continue
        date = start + dt.timedelta(days=draw(st.integers(1, (last - start).days + 3)))
        typed = date + dt.timedelta(days=draw(st.sampled_from((0, 0, 0, 1, 3, 8, 20))))
        value = draw(st.sampled_from((None, 40.0, 100.0, 150.0, 200.0, 260.0))) if task.target else None
        drafts.append(
            dict(
                task=task.id,
                unit=draw(st.sampled_from(pool)),
                date=date,
                day=typed,
                percent=draw(st.sampled_from((0, 10, 20, 30, 40, 50, 60, 75, 90, 100))),
                value=value,
                status=draw(st.sampled_from((None,) * 5 + STATUSES_WITH_REPORTS)),
                skew=draw(st.sampled_from((0, 0, 0, 0, 0, -2, 3))),
            )
        )
    # One unit's reports on a task go in date order (duban refuses an earlier date after a
    # later one), one a day: give each (task, unit) its dates and typing days, both sorted.
    groups: dict[tuple[str, str], list[dict]] = {}
    for d in drafts:
        groups.setdefault((d["task"], d["unit"]), []).append(d)
    events: list[Event] = []
    for group in groups.values():
        dates = sorted({d["date"] for d in group})
        days = sorted(d["day"] for d in group)[: len(dates)]
        for d, date, day in zip(group, dates, days):
            clock = max(day + dt.timedelta(days=d["skew"]), date)
            events.append(
                Event("report", day, clock, d["task"], d["unit"], date, d["percent"], d["value"], d["status"])
            )
    for _ in range(draw(st.sampled_from((0, 0, 0, 1, 2)))):
        day = start + dt.timedelta(days=draw(st.integers(1, (last - start).days + 3)))
        events.append(
            Event("set", day, day, draw(st.sampled_from(plan.tasks)).id, status=draw(st.sampled_from(OFFICE_STATUSES)))
        )
    reports = [e for e in events if e.kind == "report"]
    if reports and draw(st.integers(0, 4)) == 0:
        taken = draw(st.sampled_from(reports))
        day = taken.day + dt.timedelta(days=draw(st.integers(0, 5)))
        events.append(Event("withdraw", day, day, taken.task, taken.unit, taken.date))
    # Seals at 18:00 on the deadline, after the day's reports (a seal made days later is a
    # "late seal", which docs/reading.md does not describe yet).
    for deadline in (
        draw(st.sets(st.sampled_from(reading.deadlines(last)), max_size=2)) if reading.deadlines(last) else ()
    ):
        events.append(Event("seal", deadline, deadline, date=deadline))
    rank = {"report": 0, "set": 1, "withdraw": 2, "seal": 3}
    events.sort(key=lambda e: (e.day, rank[e.kind]))
    numbered = tuple(
        Event(**{**e.__dict__, "note": f"第{i}次报送"}) if e.kind == "report" else e
        for i, e in enumerate(events, start=1)
    )
    kinds = {**dict.fromkeys(DEPARTMENTS, "department"), **COLLECTIVES}
    return Case(
        plan, month, numbered, kinds, draw(st.sampled_from([t.id for t in plan.tasks])), draw(st.integers(0, 3)) == 0
    )


def reference(case: Case, skipped: set[int] = frozenset()) -> model.Reading:  # type: ignore[assignment]
    """The record the events leave: reports not withdrawn, each with the seals that hold it."""
    reports: list[model.Report] = []
    settings_: list[model.Setting] = []
    holding: dict[int, set[dt.date]] = {}
    alive: dict[int, Event] = {}
    seals = set()
    for order, event in enumerate(case.events):
        if order in skipped:
            continue
        if event.kind == "report":
            alive[order] = event
            holding[order] = set()
        elif event.kind == "withdraw":
            alive = {
                o: e
                for o, e in alive.items()
                if not (e.task == event.task and e.unit == event.unit and e.date == event.date)
            }
        elif event.kind == "seal":
            seals.add(event.date)
            for o in alive:
                holding[o].add(event.date)
        else:
            settings_.append(model.Setting(event.task, event.status or "", event.clock, order))
    for order, e in alive.items():
        reports.append(
            model.Report(
                e.task,
                e.unit,
                e.date or e.day,
                e.percent,
                e.clock,
                order,
                e.value,
                e.status,
                e.note,
                frozenset(holding[order]),
            )
        )
    return model.Reading(case.plan, reports, settings_, frozenset(seals))


def reporting_yaml(cal: model.Calendar) -> str:
    lines = (
        [f"dates: [{', '.join(d.isoformat() for d in cal.dates)}]"]
        if cal.dates
        else [f"day_of_month: {cal.day_of_month}"] + ([f"rhythm: {RHYTHMS[cal.months]}"] if cal.months > 1 else [])
    )
    lines += [f"covers: {cal.covers}"] if cal.covers else []
    lines += [f"first: {cal.first}"] if cal.first else ([f"grace: {cal.grace}"] if cal.grace != 15 else [])
    return "{" + ", ".join(lines) + "}\n"


def plan_yaml(case: Case) -> str:
    p = case.plan
    units = "".join(f"  - name: {u}\n    kind: {k}\n" for u, k in case.kinds.items())
    return (
        f"id: {PLAN_ID}\ntitle: 关于印发区政府{p.year}年重点工作目标的通知\nissuer: 区政府办公室\n"
        f"issued: {p.issued}\nyear: {p.year}\nsource:\n  document: plan.txt\n"
        f"reporting: {reporting_yaml(p.calendar)}areas:\n  - name: 经济发展\nunits:\n{units}"
    )


def task_yaml(task: model.Task) -> str:
    def names(key: str, values: tuple[str, ...]) -> str:
        return f"{key}:\n" + "".join(f"  - {v}\n" for v in values) if values else ""

    return (
        f"id: {task.id}\ntitle: 第{task.id}项任务\ntext: 第{task.id}项任务的目标和要求\narea: 经济发展\n"
        + (f"parent: {task.parent}\n" if task.parent else "")
        + names("lead", task.lead)
        + names("support", task.support)
        + ("milestones:\n" + "".join(f"  {q}: {q}节点目标\n" for q in task.milestones) if task.milestones else "")
        + (f"due: {task.due}\n" if task.due else "")
        + (
            f"indicators:\n  - name: 服务人数\n    value: {task.target:g}\n    unit: 人\n    kind: level\n"
            if task.target
            else ""
        )
        + "status: not_started\nsource:\n  document: plan.txt\n"
    )


def clock_env(day: dt.date, hour: int, minute: int = 0) -> None:
    stamp = f"{day}T{hour:02d}:{minute:02d}:00+08:00"
    os.environ["GIT_AUTHOR_DATE"] = os.environ["GIT_COMMITTER_DATE"] = stamp


def build(case: Case, template: Path, root: Path) -> set[int]:
    """The case's repository at `root`; returns the events duban had nothing to do for."""
    from duban.errors import DubanError
    from duban.record.recording import record_progress
    from duban.record.setting import set_fields
    from duban.record.undo import withdraw_report
    from duban.store.repository import Repository
    from duban.supervise.seals.making import seal

    shutil.copytree(template, root, symlinks=True)
    tasks = root / "plans" / PLAN_ID / "tasks"
    tasks.mkdir(parents=True)
    (root / "plans" / PLAN_ID / "plan.yaml").write_text(plan_yaml(case), encoding="utf-8")
    for task in case.plan.tasks:
        (tasks / f"{task.id}.yaml").write_text(task_yaml(task), encoding="utf-8")
    clock_env(case.plan.issued, 9)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "plan"], cwd=root, check=True)
    repo = Repository(root)
    skipped: set[int] = set()
    for order, event in enumerate(case.events):
        ref = f"{PLAN_ID}/{event.task}"
        if event.kind == "seal":
            clock_env(event.clock, 18)
            seal(repo, PLAN_ID, event.date, today=event.clock)
            continue
        clock_env(event.clock, 10, order % 60)
        if event.kind == "report":
            record_progress(
                repo,
                ref,
                event.percent,
                note=event.note,
                status=event.status,
                date=event.date.isoformat(),
                by=event.unit,
                value=event.value,
                today=event.clock,
            )
        elif event.kind == "set":
            try:
                set_fields(repo, ref, [f"status={event.status}"])
            except DubanError as error:  # the status it already has: nothing to commit, nothing set
                if "already has these values" not in str(error):
                    raise
                skipped.add(order)
        else:
            withdraw_report(repo, ref, event.date.isoformat(), "重复报送", by=event.unit)
    return skipped


COUNTS = ("tasks", "done", "on_schedule", "lagging", "red", "yellow", "grey")


LIGHT_WORDS = {"red": "红", "yellow": "黄", "green": "绿", "grey": "灰"}


def model_figures(reading: model.Reading, case: Case) -> dict[str, object]:
    circular = reading.circular(case.month)
    last = circular["as_of"]
    assert isinstance(last, dt.date)
    tasks = {}
    for task in case.plan.tasks:
        percent, _deciding = reading.percent(task, last)
        light, late = reading.light(task, last), bool(reading.late_leads(task, last))
        expected = reading.expected(task, last)
        tasks[task.id] = {
            "light": light,
            "percent": percent,
            "late": late,
            "expected": expected,
            "explain light": light,
            "explain percent": percent,
            "explain late": late,
            "expected printed": f"{model.half_up(expected)}%",
            "本月进展": circular["progress"][task.id],  # type: ignore[index]
            "ledger percent": percent,
            "ledger light": LIGHT_WORDS[light] + ("(迟报)" if late else ""),
            "ledger status": reading.status_word(task, last),
            "ledger periods": reading.ledger_cells(task, last),
        }
    units = circular["units"]
    assert isinstance(units, dict)
    lead_rows = {}
    for unit in reading.units():
        led = [t for t in case.plan.tasks if unit in reading.leads(t)]
        colours = [reading.light(t, last) for t in led]
        met, owed = reading.on_time(unit, last)
        lead_rows[unit] = {
            "tasks": len(led),
            "done": sum(reading.done(t, last) for t in led),
            **{c: colours.count(c) for c in ("green", "yellow", "red", "grey")},
            "late": sum(unit in reading.late_leads(t, last) for t in led),
            "on_time_rate": round(100 * met / owed, 1) if owed else None,
        }
    return {
        **{k: circular[k] for k in ("as_of", "completed", "reported_units", "reports", "entered_late", "escalations")},
        "counts": {k: circular["counts"][k] for k in COUNTS},  # type: ignore[index]
        "previous": {k: circular["previous"][k] for k in COUNTS},  # type: ignore[index]
        "late": {u: sorted(ts) for u, ts in circular["late"].items()},  # type: ignore[attr-defined]
        "lagging": {u: sorted(ts) for u, ts in circular["lagging"].items()},  # type: ignore[attr-defined]
        "tasks": tasks,
        "on_time": {u: v["on_time"] for u, v in units.items()},
        "score": {u: v["score"] for u, v in units.items()},
        "rank": {u: v["rank"] for u, v in units.items()},
        "ranked": sorted(units),
        "sheet": {
            u: (v["rank"], v["score"], round(100 * v["on_time"][0] / v["on_time"][1], 1) if v["on_time"][1] else "")
            for u, v in units.items()
        },
        "lead_rows": lead_rows,
    }


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _report(
    day: str, task: str, percent: int, unit: str, date: str | None = None, clock: str | None = None, **extra: object
) -> Event:
    return Event("report", _day(day), _day(clock or day), task, unit, _day(date or day), percent, **extra)  # type: ignore[arg-type]


def _set(day: str, task: str, status: str, clock: str | None = None) -> Event:
    return Event("set", _day(day), _day(clock or day), task, status=status)


def _withdraw(day: str, task: str, date: str, unit: str) -> Event:
    return Event("withdraw", _day(day), _day(day), task, unit, _day(date))


def _case(
    tasks: tuple[model.Task, ...],
    *events: Event,
    issued: str = "2019-01-01",
    month: int = 1,
    reporting: model.Calendar | None = None,
) -> Case:
    numbered = tuple(
        Event(**{**e.__dict__, "note": f"第{i}次报送"}) if e.kind == "report" else e
        for i, e in enumerate(events, start=1)
    )
    plan = model.Plan(YEAR, _day(issued), reporting or model.Calendar(), tasks, frozenset({"各街镇"}))
    return Case(plan, (YEAR, month), numbered, {**dict.fromkeys(DEPARTMENTS, "department"), **COLLECTIVES})


T = model.Task


SMALLEST = {
    "rule 2: the ledger's percent column is the figure against the numeric target (100 of 200 is 50 %)": _case(
        (T("1", ("发改委",), target=200),), _report("2019-01-10", "1", 30, "发改委", value=100)
    ),
    "rules 5-6: a co-lead that did not report is late, although the other lead's 100 % made the task done": _case(
        (T("1", ("发改委", "商务委")),), _report("2019-01-10", "1", 100, "发改委")
    ),
    "rules 3, 5-6: a task the office set done after the previous deadline still owes this one; "
    "it is completed this month and done early": _case((T("1", ("发改委",)),), _set("2019-01-10", "1", "done")),
    "rules 3, 5, 7: a task the office set done or cancelled by the previous deadline owes no report": _case(
        (T("1", ("发改委",)), T("2", ("商务委",))),
        _set("2019-01-10", "1", "cancelled"),
        _set("2019-01-10", "2", "done"),
        month=2,
    ),
    "rule 4: cancelled stays cancelled, also against a report typed later for an earlier date": _case(
        (T("1", ("发改委",)),),
        _set("2019-01-10", "1", "cancelled"),
        _report("2019-01-12", "1", 50, "发改委", date="2019-01-08", status="in_progress"),
    ),
    "rule 4 (reading): a lead's report without a status, 0 % included, moves a not-started task to in progress": _case(
        (T("1", ("发改委",)),), _report("2019-01-10", "1", 0, "发改委")
    ),
    "rule 3 (reading): a task whose percent fell back from 100 is not done, completed or done early": _case(
        (T("1", ("发改委",)),), _report("2019-01-05", "1", 100, "发改委"), _report("2019-01-10", "1", 90, "发改委")
    ),
    "rule 3 (reading): the office's done stands after a later lead report that gives no status": _case(
        (T("1", ("发改委",)),), _set("2019-01-10", "1", "done"), _report("2019-01-12", "1", 50, "发改委")
    ),
    "rule 4 (reading): the office's set belongs to its commit's day, also behind a commit with a later clock": _case(
        (T("1", ("发改委",)), T("2", ("商务委",))),
        _report("2019-02-01", "2", 30, "商务委"),
        _set("2019-02-05", "1", "delayed", clock="2019-01-20"),
    ),
    "rule 4: the office's delayed of 2 January is not in the first circular's counts as of 31 December": _case(
        (T("1", ("发改委",)),), _set("2019-01-02", "1", "delayed")
    ),
    "circular (reading): a withdrawn report is not listed as entered after its deadline": _case(
        (T("1", ("发改委",)),),
        _report("2019-01-28", "1", 30, "发改委", date="2019-01-20"),
        _withdraw("2019-01-29", "1", "2019-01-20", "发改委"),
    ),
    "lights (reading): a not-started task whose milestone day has passed is not grey (nothing due yet)": _case(
        (T("1", ("发改委",), milestones=("Q2",)),), issued="2019-06-21", month=6, reporting=model.Calendar(10, grace=0)
    ),
    "rules 3-4: a delayed given with a 100 % is the status again once the percent falls": _case(
        (T("1", ("发改委",)),),
        _report("2019-01-20", "1", 100, "发改委", status="delayed"),
        _report("2019-03-23", "1", 0, "发改委"),
        month=3,
    ),
    "rule 2: a period's cell is the lowest figure against the target, not the lowest percent": _case(
        (T("1", ("发改委", "商务委"), target=200),),
        _report("2019-01-28", "1", 75, "发改委", date="2019-01-27"),
        _report("2019-01-29", "1", 90, "商务委", date="2019-01-28", value=40),
        month=2,
    ),
    "rule 3: a task is done in the period it was first done, the office's done before a later 100 %": _case(
        (T("1", ("发改委",)),), _set("2019-01-16", "1", "done"), _report("2019-03-24", "1", 100, "发改委"), month=3
    ),
    "rule 3: a task cancelled after its 100 % is not done, counted or done early": _case(
        (T("1", ("发改委",)),), _report("2019-01-16", "1", 100, "发改委"), _set("2019-01-16", "1", "cancelled")
    ),
    "rule 5: a task the office set done owes nothing after, though a later report makes it delayed": _case(
        (T("1", ("发改委", "商务委")),),
        _set("2019-01-30", "1", "done"),
        _report("2019-03-12", "1", 90, "发改委", status="delayed"),
        month=3,
    ),
    "rule 5: a task the office set done owes again once a lead's report reopens it": _case(
        (T("1", ("发改委", "商务委")),),
        _set("2019-01-30", "1", "done"),
        _report("2019-03-12", "1", 90, "发改委", status="delayed"),
        month=4,
    ),
    "rule 4: the office takes its cancelled back by setting another status; a report cannot": _case(
        (T("1", ("发改委",)),),
        _set("2019-01-10", "1", "cancelled"),
        _report("2019-01-12", "1", 40, "发改委"),
        _set("2019-01-20", "1", "delayed"),
        _report("2019-01-22", "1", 50, "发改委", status="in_progress"),
    ),
    "rule 4: on one day the reports come before the office's set, also a report typed in the day after": _case(
        (T("1", ("发改委",)),),
        _report("2019-01-05", "1", 10, "发改委"),
        _set("2019-01-15", "1", "blocked"),
        _report("2019-01-16", "1", 20, "发改委", date="2019-01-15", status="in_progress"),
        month=1,
    ),
    "rules 5-6: a task cancelled the day after the plan's start still owes the first deadline of a list of dates": _case(
        (T("1", ("各街镇", "发改委")), T("1-1", ("各街镇",), parent="1")),
        _set("2019-06-10", "1", "cancelled"),
        issued="2019-06-09",
        month=10,
        reporting=model.Calendar(dates=(dt.date(2019, 10, 11), dt.date(2019, 10, 30))),
    ),
    "rule 2: of two lowest figures of the same date, the lead the task names first decides": _case(
        (T("1", ("发改委", "商务委")),),
        _report("2019-01-20", "1", 60, "商务委"),
        _report("2019-01-21", "1", 60, "发改委", date="2019-01-20"),
    ),
}
