"""The reporting calendar (报送日历): when reports are due, which period each deadline reports
on, and which report dates answer it (docs/reading.md, "Reporting calendar"). Lights,
lateness, scores, the circular and the ledger all read the calendar here.

plan.yaml's `reporting` gives the rhythm:

- `day_of_month: D` with `rhythm` monthly (每月, the default), bimonthly (双月: January-February,
  March-April, ...) or quarterly (按季: the calendar quarters). A period's report is due on day
  D (the month's last day where it has no day D) of the period's last month when the deadline
  covers the `current` period, of the month after it when it covers the `previous` one.
- or `dates: [...]`, the deadlines themselves. Each covers the months after the previous
  date's period, up to its own month (`current`) or the month before (`previous`), and at
  least one month.
- `covers`: previous (上期) or current (本期). Default: a deadline on or before the 10th of its
  month covers the previous period (于每月5日前 reports on the month before), a later one the
  current period (于每月25日前 reports on that month).
- `grace` (days, default 15): a deadline fewer than that many days after the plan's start is
  dropped; `first`: instead of the grace, no deadline before this date counts.

A deadline also counts only if its period ends on or after the plan's start and begins
within the plan's year, and only if it falls after the plan's start. A report answers the
first deadline on or after its date: the window of deadline N runs from the day after
deadline N-1 (for the first, the day after the plan's start) to deadline N.
"""

from __future__ import annotations

import bisect
import calendar as months
import datetime as dt
import functools
from dataclasses import dataclass

from duban import vocabulary
from duban.model import Plan, ReportingRule

GRACE_DAYS = 15  # a deadline fewer days than this after the plan's start is not owed
EARLY_DAY = 10  # a deadline on or before this day of its month covers the previous period
RHYTHM_MONTHS = {"monthly": 1, "bimonthly": 2, "quarterly": 3}
_QUARTERS = {1: "Q1", 4: "Q2", 7: "Q3", 10: "Q4"}


@dataclass(frozen=True)
class Deadline:
    """One reporting deadline: reports are due by `day` (inclusive); they report on the period
    `first`..`last` (whole months); a report dated `opens`..`day` answers it (rule 5); and the
    documents (the ledger's period column, the circular's 本月进展) file the reports dated
    `filed_from`..`filed_to` under its period: the period's own days, and, where the deadline
    falls after the period, the days up to the deadline."""

    day: dt.date
    first: dt.date
    last: dt.date
    opens: dt.date
    filed_from: dt.date
    filed_to: dt.date
    number: int  # 1 for the plan's first deadline

    def answers(self, date: dt.date) -> bool:
        """Whether a report dated `date` falls in this deadline's window."""
        return self.opens <= date <= self.day

    def files(self, date: dt.date) -> bool:
        """Whether the documents file a report dated `date` under this deadline's period."""
        return self.filed_from <= date <= self.filed_to

    def covers(self, year: int, month: int) -> bool:
        return _index(self.first) <= year * 12 + month - 1 <= _index(self.last)

    @property
    def label(self) -> str:
        """The period as the documents head it: 5月, 3-4月, 第一季度."""
        if self.first.month == self.last.month and self.first.year == self.last.year:
            return f"{self.first.month}月"
        if self.first.month in _QUARTERS and _index(self.last) - _index(self.first) == 2:
            return vocabulary.chinese("quarter", _QUARTERS[self.first.month])
        return f"{self.first.month}-{self.last.month}月"


def plan_start(plan: Plan) -> dt.date:
    """The plan's issue date when it falls in the plan's year, else 1 January."""
    if plan.issued and plan.issued.year == plan.year:
        return plan.issued
    return dt.date(plan.year, 1, 1)


def calendar(plan: Plan) -> tuple[Deadline, ...]:
    """The plan's reporting deadlines, in order; none without a reporting rule."""
    if plan.reporting is None:
        return ()
    return _calendar(plan.reporting, plan.year, plan_start(plan))


def periods(plan: Plan) -> tuple[Deadline, ...]:
    """What scores and documents step through: the reporting calendar, or, for a plan
    without a reporting rule, each month from the plan's start, 'due' at its last day."""
    if plan.reporting is not None:
        return calendar(plan)
    return _month_ends(plan.year, plan_start(plan))


def days(plan: Plan, until: dt.date) -> list[dt.date]:
    """The days of the plan's reporting deadlines up to `until` (inclusive)."""
    found = calendar(plan)
    return [d.day for d in found[: _passed(found, until)]]


def period_days(plan: Plan, until: dt.date) -> list[dt.date]:
    """The days of `periods` up to `until` (inclusive): the days scores are taken on."""
    found = periods(plan)
    return [d.day for d in found[: _passed(found, until)]]


def answered_by(plan: Plan, day: dt.date) -> dt.date | None:
    """The first reporting deadline on or after `day`: the one a report of that day answers.
    After the plan's year a regular rhythm goes on (a report of 28 December answers 25
    January); a list of dates ends with its last."""
    if plan.reporting is None:
        return None
    return _on_or_after(plan.reporting, plan.year, plan_start(plan), day)


def next_after(plan: Plan, day: dt.date) -> dt.date | None:
    """The first reporting deadline after `day` (a milestone is met by a report up to it)."""
    if plan.reporting is None:
        return None
    return _on_or_after(plan.reporting, plan.year, plan_start(plan), day + dt.timedelta(days=1))


def covering(plan: Plan, year: int, month: int) -> tuple[Deadline, ...]:
    """The deadlines (of `periods`) whose period holds the month: the ones its circular judges."""
    return tuple(d for d in periods(plan) if d.covers(year, month))


def month_as_of(plan: Plan, year: int, month: int) -> dt.date:
    """The day a month's documents are read at: the month's end, or the last deadline that
    reports on the month when that is later (reports due 5 June tell May's story)."""
    end = dt.date(year, month, months.monthrange(year, month)[1])
    return max([end, *(d.day for d in covering(plan, year, month))])


def filed_range(plan: Plan, year: int, month: int) -> tuple[dt.date, dt.date]:
    """The report dates a month's documents count as that month's: those filed under the
    periods that hold it (the month itself where none does), up to `month_as_of`."""
    found = covering(plan, year, month)
    end = dt.date(year, month, months.monthrange(year, month)[1])
    if not found:
        return dt.date(year, month, 1), end
    return found[0].filed_from, min(found[-1].filed_to, month_as_of(plan, year, month))


def period_number(plan: Plan, year: int, month: int) -> int:
    """Which period holds the month, counting the plan's first as 1: 第N期. A month before the
    first period counts back by months (0, -1, ...), one after the last on by months."""
    found = periods(plan)
    wanted = year * 12 + month - 1
    if not found:
        return wanted - _index(plan_start(plan)) + 1
    for deadline in found:
        if deadline.covers(year, month):
            return deadline.number
    if wanted < _index(found[0].first):
        return wanted - _index(found[0].first) + 1
    return found[-1].number + wanted - _index(found[-1].last)


def first_period_month(plan: Plan) -> tuple[int, int]:
    """The first month of the plan's first period (its start's month where it has none)."""
    found = periods(plan)
    first = found[0].first if found else plan_start(plan)
    return first.year, first.month


# ---- the arithmetic ---------------------------------------------------------------------------


def _index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def _first_day(index: int) -> dt.date:
    year, month = _month(index)
    return dt.date(year, month, 1)


def _last_day(index: int) -> dt.date:
    year, month = _month(index)
    return dt.date(year, month, months.monthrange(year, month)[1])


def _day_in(index: int, day: int) -> dt.date:
    year, month = _month(index)
    return dt.date(year, month, min(day, months.monthrange(year, month)[1]))


def _covers(rule: ReportingRule, day: int) -> str:
    return rule.covers or ("previous" if day <= EARLY_DAY else "current")


def _passed(found: tuple[Deadline, ...], until: dt.date) -> int:
    return bisect.bisect_right([d.day for d in found], until)


def _periods_of_rhythm(rule: ReportingRule, year: int) -> list[tuple[int, int, dt.date]]:
    """(first month, last month, deadline) of each period of `year` (months as indexes)."""
    step = RHYTHM_MONTHS[rule.rhythm]
    day = rule.day_of_month or 1
    after = 1 if _covers(rule, day) == "previous" else 0
    found = []
    for first in range(year * 12, year * 12 + 12, step):
        last = first + step - 1
        found.append((first, last, _day_in(last + after, day)))
    return found


def _periods_of_dates(rule: ReportingRule, start: dt.date) -> list[tuple[int, int, dt.date]]:
    found: list[tuple[int, int, dt.date]] = []
    previous_last = _index(start) - 1
    for day in sorted(set(rule.dates)):
        last = _index(day) - (1 if _covers(rule, day.day) == "previous" else 0)
        if last < _index(start):
            continue  # it reports on months before the plan began
        last = max(last, previous_last + 1)
        found.append((previous_last + 1, last, day))
        previous_last = last
    return found


@functools.lru_cache(maxsize=256)  # one calendar per plan rule, asked for by every task
def _calendar(rule: ReportingRule, year: int, start: dt.date) -> tuple[Deadline, ...]:
    candidates = _periods_of_dates(rule, start) if rule.dates else _periods_of_rhythm(rule, year)
    first_day = rule.first
    grace = GRACE_DAYS if rule.grace is None else rule.grace
    kept: list[Deadline] = []
    for first, last, day in candidates:
        if _last_day(last) < start or first > year * 12 + 11 or day <= start:
            continue  # a period before the plan began or after its year, or due before it began
        if (day < first_day) if first_day is not None else ((day - start).days < grace):
            continue  # too soon after the plan was issued to owe a report
        previous = kept[-1] if kept else None
        opens = previous.day + dt.timedelta(days=1) if previous else start + dt.timedelta(days=1)
        filed_from = previous.filed_to + dt.timedelta(days=1) if previous else min(opens, _first_day(first))
        kept.append(
            Deadline(
                day, _first_day(first), _last_day(last), opens, filed_from, max(day, _last_day(last)), len(kept) + 1
            )
        )
    return tuple(kept)


@functools.lru_cache(maxsize=64)
def _month_ends(year: int, start: dt.date) -> tuple[Deadline, ...]:
    found: list[Deadline] = []
    for index in range(_index(start), year * 12 + 12):
        previous = found[-1] if found else None
        opens = previous.day + dt.timedelta(days=1) if previous else start + dt.timedelta(days=1)
        end = _last_day(index)
        found.append(
            Deadline(
                end,
                _first_day(index),
                end,
                opens,
                previous.day + dt.timedelta(days=1) if previous else min(opens, _first_day(index)),
                end,
                len(found) + 1,
            )
        )
    return tuple(found)


@functools.lru_cache(maxsize=4096)  # every milestone and every entry asks
def _on_or_after(rule: ReportingRule, year: int, start: dt.date, day: dt.date) -> dt.date | None:
    found = _calendar(rule, year, start)
    if found and day <= found[-1].day:
        return found[bisect.bisect_left([d.day for d in found], day)].day
    if rule.dates:
        return None
    for later in range(year, min(max(year, day.year) + 2, dt.MAXYEAR)):  # the rhythm goes on after the plan's year
        for _first, _last, due in _periods_of_rhythm(rule, later):
            if due >= day and (not found or due > found[-1].day):
                return due
    return None
