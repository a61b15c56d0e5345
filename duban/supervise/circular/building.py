"""Building a month's circular from the record: the plan, the period its month reports on,
the issue number (第N期), the figures read at the deadline, and its blocks."""

from __future__ import annotations

import datetime as dt

from duban.dates import parse_month
from duban.errors import DubanError
from duban.i18n import _
from duban.model import Plan, Task
from duban.store.repository import Repository, chosen_plan
from duban.supervise import deadlines as reporting_calendar
from duban.supervise import lights
from duban.supervise.circular.blocks import blocks
from duban.supervise.circular.document import Circular, counts
from duban.supervise.circular.words import unset_words
from duban.supervise.entries import entered_after_deadline
from duban.supervise.scoring import canonical, first_done, score
from duban.supervise.selection import select


def first_month(plan: Plan) -> tuple[int, int]:
    """The month of the circular's 第1期: plan.yaml circular.first_month, else the month of the
    plan's first reporting deadline."""
    start = plan.circular.get("first_month")
    if start:
        year, month = (int(p) for p in start.split("-"))
        return year, month
    return reporting_calendar.first_period_month(plan)


def issue_number(plan: Plan, first: dt.date) -> int:
    """第N期: the reporting periods (months, two-month periods, quarters) from the circular's
    first month to the month of `first`, counting from 1 (0 or less before it)."""
    year, month = first_month(plan)
    return (
        reporting_calendar.period_number(plan, first.year, first.month)
        - reporting_calendar.period_number(plan, year, month)
        + 1
    )


def _commit(repo: Repository, plan: Plan) -> tuple[str | None, dt.date | None]:
    """The commit the circular is built from (HEAD), and the day of the latest commit that
    changed this plan: another plan's work (a 2019 report in the same repository) does not
    date a 2013 circular."""

    git = repo.git
    try:
        git.check_repository()
        if not git.has_commits():
            return None, None
        sha = git.out("log", "-1", "--format=%H", "HEAD").strip()
        day = git.out("log", "-1", "--format=%cs", "HEAD", "--", git.relative(plan.folder)).strip()
        return sha, dt.date.fromisoformat(day) if day else None
    except (DubanError, ValueError):
        return None, None


def plan_year(repo: Repository, plan_id: str | None) -> int | None:
    """The year a month typed without one (6月份) is in: the named plan's, or the only plan's."""
    ids = [plan_id] if plan_id else repo.plan_ids()
    return repo.plan(ids[0]).year if len(ids) == 1 else None


def build(
    repo: Repository, month: str, plan_id: str | None = None, issue: int | None = None, issued: dt.date | None = None
) -> Circular:
    first, last = parse_month(month, year=plan_year(repo, plan_id))
    plan_id = chosen_plan(repo, plan_id, first.year)
    plan = repo.plan(plan_id)
    if issue is None and issue_number(plan, first) < 1:
        # Every month before the first would be 第1期 too: two circulars with one number.
        year, number = first_month(plan)
        raise DubanError(
            _("{month} is before the circulars of {plan} begin ({start}), so it has no issue number").format(
                month=month, plan=plan_id, start=f"{year}-{number:02d}"
            ),
            hint=_("give one with --issue N, or set circular.first_month in plan.yaml"),
        )
    # The month's circular judges the deadlines that report on the month (reports due 5 June
    # are May's), read as the record stood at the last of them when that is after the month.
    judged = reporting_calendar.covering(plan, first.year, first.month) if plan.reporting else ()
    as_of = reporting_calendar.month_as_of(plan, first.year, first.month)
    since, until = reporting_calendar.filed_range(plan, first.year, first.month)
    prior = (judged[0].first if judged else first) - dt.timedelta(days=1)  # the previous period's circular
    now = select(repo, [plan_id], as_of)
    before = select(repo, [plan_id], reporting_calendar.month_as_of(plan, prior.year, prior.month))
    commit, committed = _commit(repo, plan)
    # The issue date must not depend on the day it is built, so a rebuild is the same document.
    issued = issued or (committed if committed and committed > as_of else as_of)
    deadlines = [d.day for d in judged]
    following = [d for d in reporting_calendar.days(plan, dt.date.max) if d > as_of]
    # Where the judged deadline is the latest by the day the circular is read at (as nearly
    # always), a task's light already says whether it is late for it: only a late one is asked who.
    judged_is_latest = bool(deadlines) and reporting_calendar.days(plan, as_of)[-1:] == deadlines[-1:]
    late: dict[str, list[Task]] = {}
    lagging: dict[str, list[Task]] = {}
    reported: dict[str, int] = {}
    completed = []
    for task in now.tasks:
        light = now.light_of(task)
        leads = list(dict.fromkeys(canonical(plan, u) for u in now.lead(task)))
        # Each lead that did not report is named by itself (docs/reading.md rule 6), for the
        # deadlines the month's circular judges (C8), not a later one before the day it is read at
        # (two dates in one month: the second reports on the next month).
        asked = deadlines and (light.late or not judged_is_latest)
        missing = (
            {canonical(plan, u) for u in lights.late_units(task, plan, deadlines[-1], now.sealed(task), now.lead(task))}
            if asked
            else set()
        )
        for unit in leads:
            if unit in missing and deadlines:
                late.setdefault(unit, []).append(task)
            if light.colour.is_lagging:
                lagging.setdefault(unit, []).append(task)
        for report in task.progress:
            if since <= report.date <= until:
                unit = canonical(plan, report.by) if report.by else (leads[0] if leads else "")
                reported[unit] = reported.get(unit, 0) + 1
        done_on = first_done(task, plan, now.lead(task))
        if done_on and since <= done_on <= until and lights.is_done(task, light):
            completed.append(task)
    circular = Circular(
        plan,
        f"{first.year}-{first.month:02d}",
        first,
        last,
        issue or issue_number(plan, first),
        issued,
        commit,
        counts(now),
        counts(before),
        now.tasks,
        now,
        score(repo, plan_id, as_of, final=now),
        late,
        lagging,
        deadlines[-1] if deadlines else None,
        following[0] if following else None,
        sorted(u for u in reported if u),
        sum(reported.values()),
        completed,
        as_of=as_of,
        reported_between=(since, until),
        notes=[n for n in dict.fromkeys([now.note, before.note]) if n],
    )
    circular.entered_late = entered_after_deadline(repo, plan_id, since, until)
    circular.problems = now.problems + [p for p in before.problems if p not in now.problems]
    circular.blocks = blocks(circular)
    circular.notes += unset_words(circular)
    return circular
