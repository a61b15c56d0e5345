"""The office's reading of a task's reports: whose report gives the task its percent, status
and done (docs/reading.md, rules 1-4). Every view asks here, so the circular, the ledger,
`score`, `list` and the terminal UI read a task the same way.

- A task's figures come from its lead units' reports only; a supporting unit's report is its
  own part and never stands for the task. A task that names no lead takes every report.
- Each lead's figure is its latest report; the task's percent is the lowest of them, so one
  lead's lag is never hidden behind another's. The report giving it is the deciding report.
- A status given with a lead's report belongs to that report's date, like its percent.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from duban.states import Status

if TYPE_CHECKING:
    from duban.model import Report

_WHITESPACE = re.compile(r"\s+")


# Cached: the site and score ask it for every report of every task at every deadline (9.5 million
# times for a year of 1,000 tasks: 63 s of a 920 s profile); a plan has a few hundred names.
@functools.lru_cache(maxsize=65536)
@functools.lru_cache(maxsize=65536)  # a plan names a few hundred units, asked for millions of times
def normalise_unit_name(name: str) -> str:
    """The key a unit is looked up by, never what is stored: no whitespace (科  委 is 科委) and
    full-width forms as their ASCII (发改委（统计局） is 发改委(统计局), ＦＧＷ is FGW), as a
    clerk's input method types them."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", name) if not name.isascii() else name)


class Leads:
    """A task's lead units, matched as the plan names them: with `canonical` (the plan's
    UnitRegistry.own_name) an alias or a spacing variant is the same unit."""

    def __init__(self, names: Iterable[str], canonical: Callable[[str], str] | None = None) -> None:
        self.names = tuple(names)
        self._canonical = canonical
        self._known: dict[str, str] = {}
        self.keys: dict[str, str] = {}  # each lead's key -> its name as the task writes it
        for name in self.names:
            self.keys.setdefault(self.key(name), name)

    def key(self, name: str) -> str:
        # Asked for every report at every deadline of every view: each name is worked out once.
        found = self._known.get(name)
        if found is None:
            found = self._known[name] = normalise_unit_name(self._canonical(name) if self._canonical else name)
        return found

    def speaks_for_task(self, report: Report) -> bool:
        """Whether the report speaks for the task: by one of the leads, or any report where
        the task has no lead, or a report that names no unit (written before units were kept,
        when the lead reported for the task)."""
        return not self.keys or not report.by or self.key(report.by) in self.keys

    def of(self, report: Report) -> str:
        """The key of the lead the report is by ("" for one that names no unit)."""
        return self.key(report.by) if report.by else ""


def leads_of(lead: Leads | Iterable[str]) -> Leads:
    return lead if isinstance(lead, Leads) else Leads(lead)


def lead_reports(
    progress: Iterable[Report], lead: Leads | Iterable[str], until: dt.date | None = None
) -> tuple[Report, ...]:
    """The reports that speak for the task, oldest first, dated on or before `until` if given."""
    leads = leads_of(lead)
    return tuple(r for r in progress if leads.speaks_for_task(r) and (until is None or r.date <= until))


def latest_by_lead(
    progress: Iterable[Report], lead: Leads | Iterable[str], until: dt.date | None = None
) -> list[Report]:
    """Each lead's latest report (by date; of one date, the later in the record), in the
    order the leads first reported."""
    leads = leads_of(lead)
    latest: dict[str, Report] = {}
    for report in sorted(lead_reports(progress, leads, until), key=lambda r: r.date):
        latest[leads.of(report)] = report
    return list(latest.values())


def deciding_report(
    progress: Iterable[Report],
    lead: Leads | Iterable[str],
    until: dt.date | None = None,
    figure: Callable[[Report], float] | None = None,
) -> Report | None:
    """The report that gives the task its percent: the lowest of the leads' latest figures
    (`figure`, the percent unless given), the later one on a tie; None with no lead report."""
    lead = leads_of(lead)
    latest = latest_by_lead(progress, lead, until)
    if not latest:
        return None
    measure = figure or (lambda report: float(report.percent))
    place = {key: index for index, key in enumerate(lead.keys)}
    # A tie of figures goes to the later report; of one date, to the lead the task names first.
    return min(latest, key=lambda r: (measure(r), -r.date.toordinal(), place.get(lead.of(r), len(place))))


def reported_status(
    progress: Iterable[Report],
    lead: Leads | Iterable[str],
    start: str = Status.NOT_STARTED.value,
    until: dt.date | None = None,
    figure: Callable[[Report], float] | None = None,
) -> str:
    """The status the leads' reports leave a task in, from the status given before them
    (`start`), replayed in date order (rules 3-4, see next_given and shown_status)."""
    lead = leads_of(lead)
    given = start
    for report in sorted(lead_reports(progress, lead, until), key=lambda r: r.date):
        given = next_given(given, report)
    return shown_status(given, _percent(progress, lead, until, figure))


def next_given(given: str, report: Report) -> str:
    """The status last given (rule 4), once a lead's report comes: cancelled stays (only the
    office takes it back); the report's own status where it gives one; else in progress for
    a task not started, and blocked, delayed or a done someone said stay as they are."""
    if given == Status.CANCELLED:
        return given
    if report.status:
        return report.status
    return Status.IN_PROGRESS.value if given == Status.NOT_STARTED else given


def shown_status(given: str, percent: float) -> str:
    """The status a view shows (rule 3): done while the percent is 100, whatever status was
    given (cancelled aside); else the status given (a done someone said stands)."""
    if given == Status.CANCELLED:
        return given
    return Status.DONE.value if percent >= 100 else given


def given_status(
    status: str,
    progress: Iterable[Report],
    lead: Leads | Iterable[str],
    figure: Callable[[Report], float] | None = None,
) -> str:
    """The status last given, behind a task's shown `status`: a done the percent of 100 shows
    hides the status given before it (the latest a lead report gave, else in progress)."""
    lead = leads_of(lead)
    reports = sorted(lead_reports(progress, lead), key=lambda r: r.date)
    if status != Status.DONE or not reports or _percent(reports, lead, None, figure) < 100:
        return status
    said = [r.status for r in reports if r.status]
    return said[-1] if said else Status.IN_PROGRESS.value


def _percent(
    progress: Iterable[Report], lead: Leads, until: dt.date | None, figure: Callable[[Report], float] | None
) -> float:
    decided = deciding_report(progress, lead, until, figure)
    return (figure or (lambda r: float(r.percent)))(decided) if decided is not None else 0.0


def status_as_of(
    status: str,
    written_with: tuple[Report, ...],
    shown: tuple[Report, ...],
    lead: Leads | Iterable[str],
    figure: Callable[[Report], float] | None = None,
) -> str:
    """A task's status in a view of a past day, whose reports (`shown`: those dated by then)
    are not the ones the record's `status` was written with (`written_with`): reports typed
    in after that day's record, or the files of today cut to the reports dated by then.

    Where only later-typed reports were added, each lead report among them gives its status
    at its own date over the record's. Where reports the status may have been written with
    are not shown, the shown reports decide; a blocked or delayed that no hidden report gave
    (the office set it) stays. Cancelled stays."""
    if status == Status.CANCELLED or shown == written_with:
        return status
    leads = leads_of(lead)
    shown_set = set(shown)
    hidden = [r for r in written_with if r not in shown_set and leads.speaks_for_task(r)]
    given = given_status(status, written_with, leads, figure)
    if hidden:
        kept = (
            given if Status.is_held(given) and not any(r.status == given for r in hidden) else Status.NOT_STARTED.value
        )
        return reported_status(shown, leads, start=kept, figure=figure)
    recorded = set(written_with)
    spoken = [r for r in shown if leads.speaks_for_task(r)]
    for report in sorted(spoken, key=lambda r: r.date):
        if report in recorded:
            continue
        if any(later.date > report.date and later.status for later in spoken):
            continue  # a status given at a later date stands over this one (typed in late)
        given = next_given(given, report)
    return shown_status(given, _percent(shown, leads, None, figure))


def figure_against(indicators: Iterable[dict[str, Any]]) -> Callable[[Report], float]:
    """How much of the task a report says is done, 0..100: its figure against the task's
    numeric target where it gives one (11000人: 5500 is 50 %; 增长8%: a reported 6 is 75 %),
    else its percent."""
    targets = [
        float(i["value"]) for i in indicators if i.get("kind") in ("level", "growth", "decrease") and i.get("value")
    ]

    def measure(report: Report) -> float:
        if report.value is not None and targets:
            return min(100.0 * report.value / targets[0], 100.0)
        return float(report.percent)

    return measure


def percent_of(
    progress: Iterable[Report],
    lead: Leads | Iterable[str],
    indicators: Iterable[dict[str, Any]] = (),
    until: dt.date | None = None,
) -> tuple[float, Report | None]:
    """The task's percent as of `until` (rule 2) and the report giving it; (0, None) with no
    lead report."""
    measure = figure_against(indicators)
    decided = deciding_report(progress, lead, until, measure)
    return (measure(decided), decided) if decided is not None else (0.0, None)


def in_period(
    progress: Iterable[Report],
    lead: Leads | Iterable[str],
    dated_in: Callable[[dt.date], bool],
    figure: Callable[[Report], float] | None = None,
) -> tuple[Report | None, list[Report]]:
    """A period's reports as the documents show them (rule 1): the deciding report of the
    leads' reports dated in it (None when no lead reported in it), and the supporting units'
    own reports in it, oldest first, each to be shown under its unit's name."""
    leads = leads_of(lead)
    dated = [r for r in progress if dated_in(r.date)]
    return deciding_report(dated, leads, figure=figure), [r for r in dated if not leads.speaks_for_task(r)]


def status_on(
    day: dt.date,
    office: Iterable[tuple[dt.date, str]],
    progress: Iterable[Report],
    lead: Leads | Iterable[str],
    figure: Callable[[Report], float] | None = None,
) -> str:
    """A task's status at the end of `day` (rules 3-4), from the statuses the office set
    (`office`: (day, status), by the day each was committed) and the leads' reports dated by
    then, replayed in the order of their dates (on one day, the reports first)."""
    leads = leads_of(lead)
    events: list[tuple[dt.date, int, str, Report | None]] = [
        (when, 1, said, None) for when, said in office if when <= day
    ]
    events += [(report.date, 0, "", report) for report in lead_reports(progress, leads, day)]
    given: str = Status.NOT_STARTED.value
    for _when, _kind, said, report in sorted(events, key=lambda event: (event[0], event[1])):
        given = said if report is None else next_given(given, report)
    return shown_status(given, _percent(progress, leads, day, figure))
