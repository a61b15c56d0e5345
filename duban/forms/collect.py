"""`duban collect`: returned forms checked against the repository, previewed, and each filled
row recorded as the unit's report through record_progress, as `duban progress` records it.

What happens to a form (docs/guide/forms.md):

- refused, nothing of it recorded: it cannot be read, it is not a duban form, its signed block
  was changed or was written by another office, it is for another plan, period or unit than
  asked (or its file is named for another unit), its plan or period is no longer the
  repository's, a cell outside the input area was changed (a fixed cell, a row or a cell
  added), a task the form did not ask about, a percent not a number or outside 0–100, a value
  or a status that cannot be read, a report date missing, unreadable, after the day of
  collection or before the unit's own last report on a task, a row with text but no percent
  where the unit has never reported on the task;
- partly taken: rows left empty are not reports; a row on a task withdrawn since the form was
  written (no longer in the plan, cancelled, or the unit no longer one of its units) is not
  recorded, with a note naming it; the rest is recorded;
- recognised: a file collected before (by its hash) records nothing; a row identical to a
  report the unit already has records nothing; a row that differs from the report the same
  form gave before (a corrected form sent again) withdraws that report and records the new
  one, both commits in the history.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from duban.errors import DubanError, UnknownRef
from duban.forms import signing
from duban.forms.checked import Action, Checked, Outcome
from duban.forms.contents import chinese_date, choose_deadline, period_words
from duban.forms.layout import date_window
from duban.forms.reader import FilledRow, FormProblem, ReadForm, file_hash, read_form
from duban.i18n import _
from duban.model import Plan, Task, effective_lead
from duban.record.report_checks import numeric_target, own_reports
from duban.states import Status
from duban.store.repository import Repository
from duban.supervise import deadlines

FORM_SUFFIXES = (".xlsx", ".xlsm")
CONVERTED_SUFFIXES = (".xls", ".et", ".ods")


def form_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, and the forms in the folders named (not their subfolders), by name;
    an office program's lock files (~$…) and hidden files are passed over."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in (*FORM_SUFFIXES, *CONVERTED_SUFFIXES)
                and not p.name.startswith(("~$", "."))
            )
        elif path.exists():
            found.append(path)
        else:
            raise DubanError(_("{path} does not exist").format(path=path))
    return list(dict.fromkeys(found))


def _converted(path: Path) -> bytes | None:
    """An .xls, .et or .ods form as .xlsx bytes, through LibreOffice; None where it cannot."""
    # Deferred: loads duban.importing.legacy (3 duban modules in all) only when this runs
    from duban.importing.legacy import CONVERT_TIMEOUT, soffice

    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="duban-form-") as work:
        folder = Path(work)
        copy = folder / ("form" + path.suffix.lower())
        copy.write_bytes(path.read_bytes())
        try:
            subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless",
                    "--convert-to",
                    "xlsx",
                    "--outdir",
                    str(folder / "out"),
                    str(copy),
                ],
                capture_output=True,
                timeout=CONVERT_TIMEOUT,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return None
        out = folder / "out" / "form.xlsx"
        return out.read_bytes() if out.is_file() else None


def read_forms(repo: Repository, paths: Iterable[Path]) -> list[ReadForm]:
    key = signing.office_key(repo)
    forms = []
    for path in form_files(paths):
        if path.suffix.lower() in CONVERTED_SUFFIXES:
            data = _converted(path)
            if data is None:
                form = ReadForm(path, "")
                form.problem(
                    None,
                    _("a {kind} file is read through LibreOffice, which could not convert it; save it as .xlsx").format(
                        kind=path.suffix.lower()
                    ),
                )
                forms.append(form)
                continue
            form = read_form(path, key, data)

            form.sha256 = file_hash(path.read_bytes())
        else:
            form = read_form(path, key)
        forms.append(form)
    return forms


class _Record:
    """What the plan's history says of collected forms (the Form-hash and Form-id trailers)."""

    def __init__(self, repo: Repository, plan_id: str) -> None:
        # Deferred: loads duban.record.history only when this runs
        from duban.record.history import plan_log

        self.files: dict[str, str] = {}
        self.reports: dict[tuple[str, str], tuple[str, str, str]] = {}
        for commit in plan_log(repo, plan_id):  # newest first
            trailers = commit.trailers
            if "Form-hash" in trailers:
                self.files.setdefault(trailers["Form-hash"], commit.sha)
            if "Form-id" in trailers and "Report-date" in trailers:
                self.reports.setdefault(
                    (trailers["Form-id"], trailers.get("Task", "")),
                    (trailers["Report-date"], trailers.get("Percent", ""), trailers.get("Reported-by", "")),
                )


def _names_other_unit(plan: Plan, stem: str, unit: str) -> str | None:
    """The unit a file's name names, when it names one of the plan's units and not the form's."""
    own = plan.units.resolve(unit)
    spellings = {unit, *(own.aliases if own else ())}
    if any(s and s in stem for s in spellings):
        return None
    named = [u.name for u in plan.units if len(u.name) >= 2 and u.name in stem]
    return max(named, key=len) if named else None


def check(
    repo: Repository,
    forms: list[ReadForm],
    today: dt.date,
    plan_id: str | None = None,
    period: str | None = None,
    unit: str | None = None,
    date: dt.date | None = None,
) -> list[Checked]:
    """Each form checked against the repository and its history; what it would record."""

    git = repo.git
    records: dict[str, _Record] = {}
    checked = []
    for form in forms:
        result = Checked(form)
        checked.append(result)
        if form.problems or form.plan_id is None:
            continue
        if form.plan_id not in repo.plan_ids():
            form.problem(None, _("plan {plan} is not in this repository").format(plan=form.plan_id))
            continue
        if plan_id and form.plan_id != plan_id:
            form.problem(
                None, _("this is a form of plan {plan}, not of {asked}").format(plan=form.plan_id, asked=plan_id)
            )
            continue
        plan = repo.plan(form.plan_id)
        deadline = next((d for d in deadlines.periods(plan) if d.day == form.deadline), None)
        if deadline is None or form.period != (deadline.first, deadline.last):
            form.problem(
                None,
                _("the form is for a reporting period the plan no longer has (due {day})").format(
                    day=form.deadline.isoformat() if form.deadline else "?"
                ),
            )
            continue
        if period:
            asked = choose_deadline(plan, today, period)
            if asked != deadline:
                form.problem(
                    None,
                    _("this is the form of {period}, not of {asked}").format(
                        period=period_words(deadline), asked=period_words(asked)
                    ),
                )
                continue
        if git.run("cat-file", "-e", f"{form.base}^{{commit}}", check=False).returncode != 0:
            form.problem(
                None,
                _("the form was written from a revision this repository does not have ({base})").format(
                    base=(form.base or "?")[:10]
                ),
            )
            continue
        known = plan.units.resolve(form.unit or "")
        if known is None:
            form.problem(
                None, _("the form's unit {unit} is not a unit of plan {plan}").format(unit=form.unit, plan=plan.id)
            )
            continue
        if unit:
            asked_unit = plan.units.resolve(unit)
            if asked_unit is None or asked_unit.name != known.name:
                form.problem(None, _("this is the form of {unit}, not of {asked}").format(unit=known.name, asked=unit))
                continue
        other = _names_other_unit(plan, form.path.stem, known.name)
        if other:
            form.problem(
                None, _("the file is named for {other}, but the form is {unit}'s").format(other=other, unit=known.name)
            )
            continue
        if form.plan_id not in records:
            records[form.plan_id] = _Record(repo, form.plan_id)
        record = records[form.plan_id]
        result.collected_in = record.files.get(form.sha256)
        _check_rows(repo, plan, deadline, known.name, form, result, record, today, date)
    return checked


def _check_rows(
    repo: Repository,
    plan: Plan,
    deadline: deadlines.Deadline,
    unit: str,
    form: ReadForm,
    result: Checked,
    record: _Record,
    today: dt.date,
    date: dt.date | None,
) -> None:
    filled = form.filled
    if not filled:
        return
    day = form.date or date
    if day is None:
        form.problem(form.date_cell, _("{label} is empty").format(label="填报日期"))
        return
    earliest, latest = date_window(deadline.opens, deadline.day)
    if form.date is not None and not earliest <= form.date <= latest:
        # 6月24日 typed into a date cell is given the current year by Excel, WPS and LibreOffice
        form.problem(
            form.date_cell,
            _(
                "{label} {date} is not a day this form can be filled in ({first} to {last}); a day typed without its "
                "year is given the current year by the spreadsheet program: write the year too, such as {example}"
            ).format(
                label="填报日期",
                date=chinese_date(form.date),
                first=chinese_date(earliest),
                last=chinese_date(latest),
                example=chinese_date(deadline.day),
            ),
        )
        return
    if day > today:
        form.problem(
            form.date_cell,
            _("{label} {date} is after the day of collection ({today})").format(
                label="填报日期", date=chinese_date(day), today=chinese_date(today)
            ),
        )
        return
    if day < deadline.opens:
        result.notes.append(
            FormProblem(
                form.name,
                form.date_cell,
                _(
                    "{label} {date} is before this period's window (from {opens}): the reports answer an earlier "
                    "deadline"
                ).format(label="填报日期", date=chinese_date(day), opens=chinese_date(deadline.opens)),
            )
        )
    for row in filled:
        ref = f"{plan.id}/{row.task_id}"
        try:
            task = repo.resolve(ref)
        except UnknownRef:
            result.notes.append(
                FormProblem(
                    form.name,
                    row.cells["percent"],
                    _("task {id} is no longer in the plan; this row is not recorded").format(id=row.task_id),
                )
            )
            continue
        lead = effective_lead(task, repo.lineage(task))
        own = {plan.units.own_name(n) for n in (*lead, *task.support)}
        if task.status == Status.CANCELLED:
            result.notes.append(
                FormProblem(
                    form.name,
                    row.cells["percent"],
                    _("task {id} was cancelled; this row is not recorded").format(id=row.task_id),
                )
            )
            continue
        if unit not in own:
            result.notes.append(
                FormProblem(
                    form.name,
                    row.cells["percent"],
                    _("{unit} is no longer a unit of task {id}; this row is not recorded").format(
                        unit=unit, id=row.task_id
                    ),
                )
            )
            continue
        action = _action(plan, task, lead, unit, row, form, day, record)
        if action is not None:
            result.actions.append(action)


def _action(
    plan: Plan,
    task: Task,
    lead: tuple[str, ...],
    unit: str,
    row: FilledRow,
    form: ReadForm,
    day: dt.date,
    record: _Record,
) -> Action | None:
    mine = own_reports(task, unit, lead, plan.units.own_name)
    percent, value = row.percent, row.value
    if percent is None:
        if not mine:
            form.problem(
                row.cells["percent"],
                _("{header} is empty, and {unit} has not reported on task {id} before").format(
                    header="完成进度", unit=unit, id=row.task_id
                ),
            )
            return None
        percent = mine[-1].percent
        if value is None:
            value = mine[-1].value
    if not 0 <= percent <= 100:
        return None  # the reader said so
    if row.value_percent:
        target = numeric_target(task)
        unit_word = str((target or {}).get("unit") or "")
        if unit_word.strip() not in ("%", "％"):
            form.problem(
                row.cells["value"],
                _(
                    "{header} was written as a percent, but the target of task {id} is "
                    "counted in {unit}: write the figure in {unit}"
                ).format(header="完成值", id=row.task_id, unit=unit_word or _("plain numbers")),
            )
            return None
    note = row.note or None
    action = Action(form, row, task.ref, unit, percent, value, row.status, note, day, "new")
    for report in mine:
        if (
            report.date == day
            and report.percent == percent
            and report.value == value
            and (report.note or None) == note
            and report.status == row.status
        ):
            action.kind = "same"
            return action
    earlier = record.reports.get((form.form_id or "", task.ref))
    if earlier is not None:
        date, shown_percent, by = earlier
        for report in reversed(mine):
            if (
                report.date.isoformat() == date
                and f"{report.percent:g}" == shown_percent
                and plan.units.own_name(by) == unit
            ):
                action.kind, action.replaces = "correct", report
                break
    rest = [r for r in mine if r is not action.replaces]
    if rest and rest[-1].date > day:
        form.problem(
            form.date_cell,
            _("{label} {date} is before {unit}'s last report on task {id} ({last})").format(
                label="填报日期",
                date=chinese_date(day),
                unit=unit,
                id=row.task_id,
                last=chinese_date(rest[-1].date),
            ),
        )
        return None
    return action


def record(repo: Repository, checked: list[Checked], today: dt.date) -> list[Outcome]:
    """Record every action of the forms that were not refused, one commit each (a correction
    is a withdrawal and a report). A failure stops that form; what it recorded stays, and a
    second collect recognises it."""
    # Deferred: loads duban.record.recording and 1 more (6 duban modules in all) only when this runs
    from duban.record.recording import record_progress
    from duban.record.undo import withdraw_report

    outcomes = []
    for result in checked:
        for action in result.to_record:
            outcome = Outcome(action)
            outcomes.append(outcome)
            form = action.form
            try:
                if action.replaces is not None:
                    outcome.withdrawn = withdraw_report(
                        repo,
                        action.ref,
                        action.replaces.date.isoformat(),
                        f"更正：{form.name} 重新报送",
                        by=action.unit,
                        note=action.replaces.note if action.replaces.note else None,
                    )
                outcome.recorded = record_progress(
                    repo,
                    action.ref,
                    action.percent,
                    note=action.note,
                    status=action.status,
                    date=action.day.isoformat(),
                    by=action.unit,
                    value=action.value,
                    today=today,
                    trailers=(("Form", form.name), ("Form-hash", form.sha256), ("Form-id", form.form_id or "")),
                )
            except DubanError as error:
                outcome.error = str(error)
                break
    return outcomes
