"""Recording a progress report (`duban progress`): the report checked, appended to its task
in the file's layout with the status it gives, and committed alone (record/writer.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

from ruamel.yaml.comments import CommentedMap

from duban import progress as progress_layout
from duban import reading, vocabulary
from duban.errors import DubanError
from duban.i18n import _
from duban.model import Report, Task, effective_lead
from duban.record.commit_message import about, one_line, recording_time
from duban.record.report_checks import NewReport, refuse_duplicate, report_warnings
from duban.record.task_document import add_report, canonical_in, progress_keys
from duban.record.typed_values import parse_date, resolve_unit, status_key
from duban.record.writer import Recorded, TaskWriter
from duban.store.repository import Repository
from duban.text.hygiene import clean


def _plan_year(repo: Repository, ref: str) -> int | None:
    """The year of the plan `ref` is in (a day typed without its year is in it); None when
    the ref names no task, which the edit itself then says."""
    try:
        return repo.plan(repo.task_file(ref)[0]).year
    except DubanError:
        return None


def _reporter(repo: Repository, task: Task, by: str | None) -> str | None:
    """The unit a report is by: the one named, which must be one of the task's units, or
    the task's only lead when none is named. A plan that names no units at all (a work
    report) takes reports with no unit."""
    plan = repo.plan(task.plan_id)
    lead = effective_lead(task, repo.lineage(task))
    own = [plan.units.own_name(n) for n in (*lead, *task.support)]
    if by is None or not by.strip():
        if len(lead) == 1:
            return own[0]
        if not len(plan.units):
            return None
        raise DubanError(
            _("name the reporting unit of {ref} with --by").format(ref=task.ref),
            hint=_("its units: {units}").format(units="、".join(own) or _("none")),
        )
    unit = resolve_unit(repo, task.plan_id, by, tuple(own))
    if own and unit not in own:
        raise DubanError(
            _("{unit} is neither lead nor support of {ref}").format(unit=unit, ref=task.ref),
            hint=_("its units: {units}").format(units="、".join(own)),
        )
    return unit


def record_progress(
    repo: Repository,
    ref: str,
    percent: float,
    note: str | None = None,
    status: str | None = None,
    date: str | None = None,
    by: str | None = None,
    value: float | None = None,
    today: dt.date | None = None,
    trailers: tuple[tuple[str, str], ...] = (),
) -> Recorded:
    """Append a dated report to a task, update its status, validate, write and commit.

    The report date (default today) is when the unit reported; the commit's Recorded-At
    trailer is when duban wrote it. A report dated after the day it is recorded is refused.
    `trailers` (key, value) go after Recorded-At, each value flattened to one line (a
    collected form's Form, Form-hash and Form-id).
    """
    if not 0 <= percent <= 100:
        raise DubanError(_("percent must be between 0 and 100, not {percent}").format(percent=f"{percent:g}"))
    if value is not None and not math.isfinite(value):
        raise DubanError(_("--value must be a finite number, not {value}").format(value=value))
    if value is not None and abs(value) >= 1e15:
        # Past this YAML readers print and read the number differently (1e+308).
        raise DubanError(
            _("--value {value} is too large").format(value=f"{value:g}"),
            hint=_("give the figure in the target's unit (万元, 亿元)"),
        )
    if status is not None:
        status = status_key(status)
    now = recording_time()
    recorded_on = today or now.date()
    day = parse_date(date, recorded_on, year=_plan_year(repo, ref) if date else None)
    if day > recorded_on:
        raise DubanError(
            _("report date {date} is after today ({today})").format(
                date=day.isoformat(), today=recorded_on.isoformat()
            ),
            hint=_("a report is recorded on or after the day it was made"),
        )
    if note is not None:
        note = clean(note, "--note", multiline=True)

    warnings: list[str] = []

    def edit(task: Task, document: CommentedMap) -> str:
        unit = _reporter(repo, task, by)
        report = NewReport(day, percent, note=note, unit=unit, value=value, status=status)
        refuse_duplicate(task, report)
        warnings[:] = report_warnings(task, report)
        before = progress_layout.run_of(document.get("progress"), unit, canonical_in(repo, task.plan_id))
        last = str(before[-1].get("date", "")) if before and isinstance(before[-1], dict) else ""
        if last and day.isoformat() < last:
            # Keyed by unit, only the unit's own last report bars an earlier date: say whose it is.
            message = (
                _("date {date} is before {unit}'s last report on {ref} ({last})")
                if progress_layout.is_keyed(document.get("progress"))
                else _("date {date} is before the last report of {ref} ({last})")
            )
            raise DubanError(
                message.format(date=day.isoformat(), unit=unit, ref=task.ref, last=last),
                hint=_("reports are kept in date order"),
            )
        lead = reading.Leads(effective_lead(task, repo.lineage(task)), canonical_in(repo, task.plan_id))
        for_task = lead.speaks_for_task(Report(day, percent, by=unit))
        new_status = add_report(
            document,
            day,
            percent,
            note=note,
            unit=unit,
            value=value,
            status=_status_after(task, lead, Report(day, percent, note, unit, value, status))
            if for_task
            else task.status,
            given=status,
            keys=progress_keys(repo, task),
            canonical=canonical_in(repo, task.plan_id),
        )
        shown_percent = f"{percent:g}"
        if for_task:
            lines = [
                f"{task.ref}: 进度 {shown_percent}%({vocabulary.chinese('status', new_status)})" + about(task, unit),
                "",
            ]
        else:  # a supporting unit's own part: the task's percent and status stay its leads'
            lines = [
                f"{task.ref}: {one_line(unit or '')}（配合）进度 {shown_percent}%"
                + (f"（{vocabulary.chinese('status', status)}）" if status else "")
                + about(task),
                "",
            ]
        if note:
            lines += [one_line(note), ""]
        lines += [f"Task: {task.ref}"]
        if unit:
            lines.append(f"Reported-by: {one_line(unit)}")
        lines += [
            f"Percent: {shown_percent}",
            f"Status: {new_status}",
            f"Report-date: {day.isoformat()}",
            f"Recorded-At: {now.isoformat(timespec='seconds')}",
        ]
        lines += [f"{one_line(key)}: {one_line(value)}" for key, value in trailers]
        return "\n".join(lines) + "\n"

    recorded = TaskWriter(repo).change(ref, edit, touches=("progress", "status"))
    return dataclasses.replace(recorded, warnings=tuple(warnings))


def _status_after(task: Task, lead: reading.Leads, report: Report) -> str:
    """The task's status once a lead's report is added (docs/reading.md rules 3-4): the
    status it gives, over the one last given (a done from a figure of 100 ends when the
    figure falls; one someone said stands); done while the percent is 100."""
    measure = reading.figure_against(task.indicators)
    given = reading.given_status(task.status, task.progress, lead, measure)
    later = [r for r in reading.lead_reports(task.progress, lead) if r.date > report.date]
    if not (later and (report.status is None or any(r.status for r in later))):
        given = reading.next_given(given, report)  # else typed in late: a later date's status stands
    decided = reading.deciding_report((*task.progress, report), lead, figure=measure)
    return reading.shown_status(given, measure(decided) if decided is not None else 0.0)
