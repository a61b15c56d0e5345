"""Recording changes to a task: a progress report, a field set, an edited file; each is
validated, written atomically and committed alone, touching only that task's file.

The commit message is for people and scripts alike: the subject in the plan's language,
Chinese (every plan duban reads is a Chinese document, whatever the interface speaks), and
the trailers in stable English keys and stored values:

    2019-changning/18: 进度 50%(进行中) 建交委 · 推进轨道交通建设…

    <note>

    Task: 2019-changning/18
    Reported-by: 建交委
    Percent: 50
    Status: in_progress
    Report-date: 2019-06-25

The subject names the reporting unit and the start of the task's title, so that a reviewer
on a forge, without duban, reads who reported on what. Values users type are flattened to one
line each, so they cannot add lines or trailers.
"""
from __future__ import annotations

import dataclasses
import os
import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from duban import progress as progress_layout, vocabulary
from duban.store import yamlio
from duban.dates import parse_day
from duban.errors import DubanError
from duban.store.files import replace_file
from duban.store.gitstore import Git
from duban.i18n import _
from duban.store import writable
from duban.store.leftovers import tidy_files, tidy_plans
from duban.store.lineform import LineForm
from duban.store.locking import repository_lock
from duban.text.hygiene import clean
from duban import reading
from duban.model import TARGET_TYPES, TASK_FIELDS, Report, Task, effective_lead
from duban.record.report_checks import NewReport, refuse_duplicate, report_warnings
from duban.problems import Problem
from duban.store.repository import Repository
from duban.record.scaffold import ensure_merge_driver
from duban.validate.validation import check_task_text

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(value: object) -> str:
    """A user's value made safe for a commit message: one line, no control characters."""
    return _CONTROL.sub(" ", str(value)).strip()


_TITLE_IN_SUBJECT = 16  # characters of a task's title in a commit subject; a subject stays one line


def about(task: Task, unit: str | None = None) -> str:
    """The end of a commit subject: the unit, when one reported, and the start of the task's
    title (' 建交委 · 推进轨道交通建设…')."""
    title = one_line(task.title)
    if len(title) > _TITLE_IN_SUBJECT:
        title = title[:_TITLE_IN_SUBJECT] + "…"
    return (f" {one_line(unit)}" if unit else "") + (f" · {title}" if title else "")


@dataclass
class Recorded:
    ref: str
    sha: str
    message: str
    path: Path
    warnings: tuple[str, ...] = ()  # what the clerk should look at twice (report_checks)


class InvalidEdit(DubanError):
    """The edited text has problems; they are listed so the editor can be reopened."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line, col=first.col,
                         hint=f"[{first.rule}]" + (_(" and {count} more").format(count=len(problems) - 1)
                                                   if len(problems) > 1 else ""))
        self.problems = problems


class TaskWriter:
    """Writes and commits one task file of a repository, under the repository lock."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.git = repo.git

    def _preflight(self, task: Task) -> None:
        self.git.check_repository()
        state = self.git.state_in_progress()
        if state:
            from duban.record.sync_recovery import Marker

            # A merge duban sync stopped on is finished by duban sync, which checks that the
            # resolution keeps every report; git merge --continue would skip that.
            hint = (_("resolve the conflicts, git add the files, then run duban sync") if Marker(self.git).read()
                    else _("finish it (git {state} --continue or git commit) or abort it first").format(state=state))
            raise DubanError(_("a git {state} is in progress in {root}").format(state=state, root=self.repo.root),
                             hint=hint)
        if not self.git.on_branch():
            raise DubanError(_("HEAD is detached: a commit here would belong to no branch"),
                             hint=_("git switch <branch> first (git switch - goes back to the last one)"))
        lock = self.git.git_dir() / "index.lock"
        if lock.exists():  # named first: the hints below (git restore, git commit) cannot run past it
            raise DubanError(_("git's index is locked (.git/index.lock exists)"),
                             hint=_("another git command is running, or one was killed: if none is "
                                    "running, delete {name} and try again").format(name=lock))
        ensure_merge_driver(self.git)
        tidy_files([task.path.parent])  # a killed write's temporary file (N21): under the lock, no writer runs
        shown = self.repo.display(task.path)
        if task.path.is_symlink():
            # A write would replace the link with a copy of the task it leads to, under this name
            # (a second task with the other's id: audit N15).
            raise DubanError(_("{path} is a symbolic link; duban does not write through it").format(path=shown),
                             hint=_("record it on the task the link leads to ({target}), or put that file itself "
                                    "in the link's place").format(target=os.readlink(task.path)))
        status = self.git.file_status(task.path)
        if status == "??":
            plan = self.repo.display(task.path.parent.parent)  # a fresh import: commit the whole plan
            raise DubanError(_("{path} has never been committed").format(path=shown),
                             hint=_("commit the plan first: git add -- {plan} && git commit -m \"导入 {plan}\"")
                             .format(plan=plan))
        if status:
            raise DubanError(_("{path} has changes that are not committed").format(path=shown),
                             hint=_("see them with `git diff HEAD -- {path}`; commit them with `git commit -- {path}` "
                                    "or drop them with `git restore -SW -- {path}`, then try again").format(path=shown))

    def commit_text(self, task: Task, text: str, message: str) -> Recorded:
        found = check_task_text(task.path, text)
        problems = [p for p in found if p.is_error]
        if problems:
            raise InvalidEdit(problems)
        old = task.path.read_bytes()
        # A warning this change brings (a due before the plan was issued) is said with the commit.
        before = {p.message for p in check_task_text(task.path, old.decode("utf-8", "replace"))} \
            if any(not p.is_error for p in found) else set()
        new_warnings = tuple(p.message for p in found if not p.is_error and p.message not in before)
        data = LineForm.of(old).encode(text)  # the file's own line endings and BOM kept (N19)
        if old == data:
            raise DubanError(_("{ref} already has these values; nothing was committed").format(ref=task.ref))
        write_atomically(task.path, data)
        try:
            sha = self.git.commit_paths([task.path], message)
        except BaseException as error:
            if self._landed(task, data):
                # The commit is in (Ctrl-C reached duban after git finished): keep the file as
                # committed rather than leave a change that undoes it.
                return Recorded(ref=task.ref, sha=self.git.out("rev-parse", "HEAD").strip(),
                                message=message, path=task.path)
            self._put_back(task, old, error)
            raise
        return Recorded(ref=task.ref, sha=sha, message=message, path=task.path, warnings=new_warnings)

    def _landed(self, task: Task, data: bytes) -> bool:
        try:
            return self.git.show_file("HEAD", self.git.relative(task.path)) == data.decode("utf-8")
        except BaseException:
            return False

    def _clean(self, task: Task) -> bool:
        try:  # without optional locks: on a full disk git cannot write even its lock file
            result = self.git.run("--no-optional-locks", "status", "--porcelain", "--",
                                  self.git.relative(task.path), check=False)
        except DubanError:
            return False
        return result.returncode == 0 and not result.stdout.strip()

    def _put_back(self, task: Task, old: bytes, cause: BaseException) -> None:
        """The commit failed: the old file back and its index entry as HEAD has it, so
        nothing is left staged. When even that fails (a full disk), say so truthfully."""
        shown = self.repo.display(task.path)
        unstaged = self.git.run("reset", "--quiet", "--", self.git.relative(task.path), check=False).returncode == 0
        try:
            write_atomically(task.path, old)
            restored = True
        except DubanError:
            restored = False
        if not (unstaged and restored) and not self._clean(task):
            raise DubanError(_("the commit failed ({cause}) and {path} could not be put back as it was").format(
                cause=cause, path=shown),
                hint=_("the new version is written or staged but not committed: once the cause is fixed, "
                       "`git restore -SW -- {path}` puts back the committed one").format(path=shown)) from cause

    def change(self, ref: str, edit: Any, touches: tuple[str, ...] | None = None) -> Recorded:
        """Load `ref` round-trip, let `edit(task, document)` change it and return the message, commit.

        `touches` names the fields the edit may change; the write is refused when any other
        field would read differently afterwards (YAML 1.1 and 1.2 disagree on a few plain
        scalars, such as 000_521e3, which a dump would rewrite as a number)."""
        self.git.check_repository()
        with repository_lock(self.git.git_dir()):
            tidy_plans(self.repo.root)  # a plan a killed import moved aside is back before it is looked up
            task = self.repo.resolve(ref)  # under the lock: another process may have written
            self._preflight(task)
            shown = self.repo.display(task.path)
            # Read as validate reads it (a BOM dropped, CRLF as LF: commit_text writes the file's
            # own form back); refused, in validate's words, when the writer reads it otherwise.
            text = yamlio.decode(task.path.read_bytes(), shown).replace("\r\n", "\n")
            writable.check(text, shown)
            document = yamlio.load_round_trip(text, shown)
            message = edit(task, document)
            new_text = yamlio.dump_round_trip(document)
            _same_elsewhere(text, new_text, touches or (), shown)
            return self.commit_text(task, new_text, message)


def _same_elsewhere(old: str, new: str, touched: tuple[str, ...], shown: str) -> None:
    """DubanError when a field outside `touched` reads differently in `new` than in `old`."""
    try:
        before, after = yamlio.load_fast(old, shown), yamlio.load_fast(new, shown)
    except yamlio.YamlError:
        return  # the new text's own problems are reported by the validation that follows
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return
    for key in before.keys() | after.keys():
        if key not in touched and before.get(key) != after.get(key):
            raise DubanError(_("writing {path} would also change its field {field!r}").format(path=shown, field=key),
                             hint=_("a value there reads differently to YAML readers; quote it and try again "
                                    "(`duban validate` points at it)"))


def _cannot_write(path: Path, error: OSError) -> DubanError:
    return DubanError(_("cannot write {path}: {reason}").format(path=path, reason=error.strerror),
                      hint=_("check the folder's permissions and free space; nothing was changed"))


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and a rename: old or new, never half.

    A failure (read-only folder, full disk) leaves the old file as it was and is reported
    as one line."""
    try:
        replace_file(path, data)
    except OSError as error:
        raise _cannot_write(path, error) from None


def _put(document: CommentedMap, key: str, value: Any) -> None:
    """Set a field; a new one goes where TASK_FIELDS puts it, after the fields before it."""
    if key in document:
        document[key] = value
        return
    rank = TASK_FIELDS.index(key) if key in TASK_FIELDS else len(TASK_FIELDS)
    keys = list(document)
    position = next((i for i, k in enumerate(keys)
                     if k in TASK_FIELDS and TASK_FIELDS.index(k) > rank), len(keys))
    document.insert(position, key, value)


def _resolve_unit(repo: Repository, plan_id: str, name: str, among: tuple[str, ...] = ()) -> str:
    """The unit `name` writes: its name or alias, its pinyin initials, else, as a query reads
    it (lead:jtj, lead:交通局), a part of its name or the initials of a part, when that names
    one unit, or one of `among` (the task's units) only."""
    plan = repo.plan(plan_id)
    unit = plan.units.resolve(name) or unit_by_initials(plan, name)
    if unit is not None:
        return unit.name
    several = units_by_initials(plan, name)
    if several:
        raise DubanError(_("{name!r} is the initials of several units: {names}").format(
            name=name, names="、".join(u.name for u in several)), hint=_("write the unit's name"))
    spelled = units_spelled(plan, name)
    if len(spelled) > 1 and among:
        spelled = [u for u in spelled if u.name in among] or spelled
    if len(spelled) == 1:
        return str(spelled[0].name)
    if spelled:
        raise DubanError(_("{name!r} names several units: {names}").format(
            name=name, names="、".join(u.name for u in spelled)), hint=_("write the unit's name"))
    suggestions = plan.units.suggest(name)
    hint = (_("did you mean {names}?").format(names=_(" or ").join(repr(s) for s in suggestions)) if suggestions
            else _("`duban units --plan {plan}` lists them").format(plan=plan_id))
    raise DubanError(_("unknown unit {name} in plan {plan}").format(name=repr(name), plan=plan_id), hint=hint)


def units_spelled(plan: Any, name: str) -> list[Any]:
    """The units a query's `lead:NAME` finds: NAME a part of the name or of an alias, or the
    pinyin initials of a part (jtj in 县交通局)."""
    from duban.text.pinyin import text_matches

    if not name.strip():
        return []
    return [unit for unit in plan.units if any(text_matches(name.strip(), n) for n in (unit.name, *unit.aliases))]


def units_by_initials(plan: Any, name: str) -> list[Any]:
    """The units whose name or alias `name` spells in pinyin initials (fgw: 发改委). When a
    rare reading makes several match (czj: 财政局, and 体育局 by 体's rare cuì), those the
    common readings spell are kept."""
    name = unicodedata.normalize("NFKC", name).strip()  # ＦＧＷ, typed with the input method still on
    if not (name.isascii() and name.isalpha()):
        return []
    from duban.text.pinyin import prefer_common_readings, text_matches

    found = {unit.name: unit for unit in plan.units
             if any(text_matches(name, n) and len(n) == len(name) for n in (unit.name, *unit.aliases))}
    return prefer_common_readings(name, list(found.values()), lambda u: (u.name, *u.aliases), whole=True)


def unit_by_initials(plan: Any, name: str) -> Any:
    """The one unit `name` spells in pinyin initials (units_by_initials), if only one."""
    found = units_by_initials(plan, name)
    return found[0] if len(found) == 1 else None


def _status_key(status: str) -> str:
    """A status written as its key or its Chinese word (延期, 进行中)."""
    key = vocabulary.resolve("status", status)
    if key is None:
        close = vocabulary.suggest("status", status)
        raise DubanError(_("unknown status {value!r}").format(value=status),
                         hint=(_("did you mean {word}?").format(word=close) + " " if close else "")
                         + _("one of {options}").format(options=vocabulary.choices("status")))
    return key


def subject_words(fields: list[str]) -> str:
    """Field names of a commit subject, in Chinese: 状态、节点目标 Q2."""
    words = []
    for name in fields:
        head, _dot, tail = name.partition(".")
        words.append(vocabulary.chinese("field", head) + (f" {tail}" if tail else ""))
    return "、".join(words)


def parse_date(text: str | None, today: dt.date | None = None, option: str = "--date",
               year: int | None = None) -> dt.date:
    """The day typed (today when none), a day without its year in `year` (the plan's)."""
    if text is None:
        return today or dt.date.today()
    return parse_day(text, option, year=year, today=today)


def _plan_year(repo: Repository, ref: str) -> int | None:
    """The year of the plan `ref` is in (a day typed without its year is in it); None when
    the ref names no task, which the edit itself then says."""
    try:
        return repo.plan(repo.task_file(ref)[0]).year
    except DubanError:
        return None


def recording_time() -> dt.datetime:
    """Now, as the commit will say: git's GIT_COMMITTER_DATE when it is set (an import of old
    records, or a test standing for another day), else the clock."""
    import os

    given = os.environ.get("GIT_COMMITTER_DATE", "")
    try:
        moment = dt.datetime.fromisoformat(given) if given else dt.datetime.now().astimezone()
    except ValueError:
        return dt.datetime.now().astimezone()
    return moment if moment.tzinfo is not None else moment.astimezone()  # keep the offset it was given


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
        raise DubanError(_("name the reporting unit of {ref} with --by").format(ref=task.ref),
                         hint=_("its units: {units}").format(units="、".join(own) or _("none")))
    unit = _resolve_unit(repo, task.plan_id, by, tuple(own))
    if own and unit not in own:
        raise DubanError(_("{unit} is neither lead nor support of {ref}").format(unit=unit, ref=task.ref),
                         hint=_("its units: {units}").format(units="、".join(own)))
    return unit


def record_progress(repo: Repository, ref: str, percent: float, note: str | None = None,
                    status: str | None = None, date: str | None = None, by: str | None = None,
                    value: float | None = None, today: dt.date | None = None,
                    trailers: tuple[tuple[str, str], ...] = ()) -> Recorded:
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
        raise DubanError(_("--value {value} is too large").format(value=f"{value:g}"),
                         hint=_("give the figure in the target's unit (万元, 亿元)"))
    if status is not None:
        status = _status_key(status)
    now = recording_time()
    recorded_on = today or now.date()
    day = parse_date(date, recorded_on, year=_plan_year(repo, ref) if date else None)
    if day > recorded_on:
        raise DubanError(_("report date {date} is after today ({today})").format(
            date=day.isoformat(), today=recorded_on.isoformat()),
            hint=_("a report is recorded on or after the day it was made"))
    if note is not None:
        note = clean(note, "--note", multiline=True)

    warnings: list[str] = []

    def edit(task: Task, document: CommentedMap) -> str:
        unit = _reporter(repo, task, by)
        report = NewReport(day, percent, note=note, unit=unit, value=value, status=status)
        refuse_duplicate(task, report)
        warnings[:] = report_warnings(task, report)
        before = progress_layout.run_of(document.get("progress"), unit, _canonical_in(repo, task.plan_id))
        last = str(before[-1].get("date", "")) if before and isinstance(before[-1], dict) else ""
        if last and day.isoformat() < last:
            raise DubanError(_("date {date} is before the last report of {ref} ({last})").format(
                date=day.isoformat(), ref=task.ref, last=last), hint=_("reports are kept in date order"))
        lead = reading.Leads(effective_lead(task, repo.lineage(task)), _canonical_in(repo, task.plan_id))
        for_task = lead.speaks_for_task(Report(day.isoformat(), percent, by=unit))
        new_status = add_report(document, day, percent, note=note, unit=unit, value=value,
                                status=_status_after(task, lead, Report(day.isoformat(), percent, note, unit, value,
                                                                        status)) if for_task else task.status,
                                given=status, keys=progress_keys(repo, task),
                                canonical=_canonical_in(repo, task.plan_id))
        shown_percent = f"{percent:g}"
        if for_task:
            lines = [f"{task.ref}: 进度 {shown_percent}%({vocabulary.chinese('status', new_status)})"
                     + about(task, unit), ""]
        else:  # a supporting unit's own part: the task's percent and status stay its leads'
            lines = [f"{task.ref}: {one_line(unit or '')}（配合）进度 {shown_percent}%"
                     + (f"（{vocabulary.chinese('status', status)}）" if status else "") + about(task), ""]
        if note:
            lines += [one_line(note), ""]
        lines += [f"Task: {task.ref}"]
        if unit:
            lines.append(f"Reported-by: {one_line(unit)}")
        lines += [f"Percent: {shown_percent}", f"Status: {new_status}", f"Report-date: {day.isoformat()}",
                  f"Recorded-At: {now.isoformat(timespec='seconds')}"]
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


def add_report(document: CommentedMap, day: dt.date, percent: float, *, status: str,
               note: str | None = None, unit: str | None = None, value: float | None = None,
               given: str | None = None, keys: list[str] | None = None, canonical: Any = None) -> str:
    """Append a report to a round-trip task document and set the task's status; only the new
    report's lines and the status line change. A status `given` with the report is kept on
    the report too: it belongs to the report's date (docs/reading.md rule 4).

    The file's layout is kept (duban/progress.py): in the keyed layout the report goes at the
    end of its unit's reports, without `by`; in a legacy list, at the end of the list with its
    `by`. A task with no reports yet is written keyed when it has units (`keys`)."""
    entry = CommentedMap()
    entry["date"] = day
    entry["percent"] = int(percent) if float(percent).is_integer() else percent
    if value is not None:
        # A whole number is written as one (5500, not 5500.0), but only where a float holds
        # it exactly: 1e308 stays 1e308, not a 309-digit integer.
        entry["value"] = int(value) if float(value).is_integer() and abs(value) < 2 ** 53 else value
    if note:
        entry["note"] = note.strip()
    if given:
        entry["status"] = given
    progress = document.get("progress")
    if progress is None and unit and keys:
        progress = CommentedMap((key, None) for key in keys)
        _put(document, "progress", progress)
    if progress_layout.is_keyed(progress) and unit:
        key = progress_layout.key_of(unit, progress, canonical)
        if key is None:  # a unit the keys do not name yet (a sub-item's inherited lead): after the others
            key = unit
            progress[key] = None
        if progress[key] is None:
            progress[key] = CommentedSeq()
        progress[key].append(entry)
    else:
        if progress_layout.is_keyed(progress):
            raise DubanError(_("a report without a reporting unit cannot go into the reports kept by unit"),
                             hint=_("name the unit with --by"))
        if unit:
            entry["by"] = unit
        if progress is None:
            progress = CommentedSeq()
            _put(document, "progress", progress)
        progress.append(entry)
    if document.get("status") != status:
        document["status"] = status
    return status


def _canonical_in(repo: Repository, plan_id: str) -> Any:
    """A function giving a unit name's canonical name in the plan (the name itself when unknown)."""
    return repo.plan(plan_id).units.own_name


def progress_keys(repo: Repository, task: Task, lead: Any = None, support: Any = None) -> list[str]:
    """The keys a task's reports are kept under: its (effective) lead units, then its support
    units, by canonical name. `lead`/`support` give the values about to be written."""
    own_lead = tuple(task.lead if lead is None else lead)
    current = replace(task, lead=own_lead, support=tuple(task.support if support is None else support))
    units = (*effective_lead(current, repo.lineage(task)), *current.support)
    return progress_layout.unit_keys(units, _canonical_in(repo, task.plan_id))


def _keep_keys_in_step(repo: Repository, task: Task, document: CommentedMap) -> None:
    """After lead or support changed: every unit of the task has its key, in the task's order;
    a key of a unit no longer on the task goes only when it holds no report."""
    progress = document.get("progress")
    if not progress_layout.is_keyed(progress):
        return
    canonical = _canonical_in(repo, task.plan_id)
    wanted = progress_keys(repo, task, document.get("lead") or (), document.get("support") or ())
    for key in [k for k in progress if progress_layout.key_of(k, wanted, canonical) is None]:
        if not progress[key]:
            del progress[key]
    for index, key in enumerate(wanted):
        if progress_layout.key_of(key, progress, canonical) is not None:
            continue
        later = [list(progress).index(k) for k in wanted[index + 1:] if k in progress]
        progress.insert(later[0] if later else len(progress), key, None)


SETTABLE = ("title", "text", "area", "section", "category", "type", "status", "due", "lead", "support")
_REQUIRED = ("title", "text", "area", "status")  # what every task has: never set empty
_FULL_WIDTH_EQUALS = str.maketrans({"＝": "=", "．": "."})


def _field_key(name: str) -> str:
    """A field written as its key or its Chinese word: 状态 is status, 节点目标.Q2 is milestones.Q2."""
    head, dot, tail = name.partition(".")
    key = vocabulary.resolve("field", head) if head and not head.isascii() else head
    if (key or head) == "milestones" and tail:
        tail = vocabulary.resolve("quarter", tail) or tail  # 里程碑.二季度 is milestones.Q2
    return f"{key or head}{dot}{tail}"


def _settable() -> str:
    return _("fields: {fields}, milestones.Q1..Q4").format(fields=", ".join(SETTABLE))


def set_fields(repo: Repository, ref: str, assignments: list[str]) -> Recorded:
    """Apply FIELD=VALUE assignments (lead/support take 、- or comma-separated units,
    milestones.Q2=... sets one milestone; an empty value removes an optional field)."""
    parsed: list[tuple[str, str]] = []
    for assignment in assignments:
        field, sep, value = assignment.translate(_FULL_WIDTH_EQUALS).partition("=")
        field = _field_key(field.strip())
        if not sep or not field:
            raise DubanError(_("{text!r} is not FIELD=VALUE").format(text=assignment), hint=_settable())
        if field not in SETTABLE and not re.fullmatch(r"milestones\.(Q[1-4]|\d{4}-\d{2}-\d{2})", field):
            raise DubanError(_("cannot set {field!r}").format(field=field), hint=_settable())
        multiline = field in ("text",) or field.startswith("milestones.")
        value = clean(value, field, multiline=multiline).strip()
        if not value and field in _REQUIRED:
            raise DubanError(_("{field} cannot be empty").format(field=vocabulary.shown("field", field)),
                             hint=_("give the new value: {example}").format(example=f"{field}=…"))
        parsed.append((field, value))

    def edit(task: Task, document: CommentedMap) -> str:
        changes = []
        for field, value in parsed:
            if field == "lead" and not re.sub(r"[、,，;；\s]", "", value) and not task.parent:
                # An empty lead leaves nobody accountable (a script's unset variable); only a
                # subtask may drop its own lead, to follow its parent's.
                raise DubanError(_("{field} cannot be empty").format(field=vocabulary.shown("field", "lead")),
                                 hint=_("give the new value: {example}").format(example="lead=…"))
            if field.startswith("milestones."):
                key = field.split(".", 1)[1]
                milestones = document.get("milestones")
                if value:
                    if milestones is None:
                        milestones = CommentedMap()
                        _put(document, "milestones", milestones)
                    milestones[key] = value
                elif milestones is not None and key in milestones:
                    del milestones[key]
                    if not milestones:
                        del document["milestones"]
            elif field in ("lead", "support"):
                names = [_resolve_unit(repo, task.plan_id, n) for n in re.split(r"[、,，;；]", value) if n.strip()]
                if names:
                    _put(document, field, CommentedSeq(names))
                elif field in document:
                    del document[field]
                _keep_keys_in_step(repo, task, document)
            elif field == "type" and value and vocabulary.resolve("type", value.rstrip("类")) not in TARGET_TYPES:
                raise DubanError(_("unknown type {value!r}").format(value=value), hint=_("A, B or C"))
            elif field == "type" and value:
                value = vocabulary.resolve("type", value.rstrip("类")) or value
                _put(document, field, value)
            elif field == "status":
                value = _status_key(value)
                _put(document, field, value)
            elif field == "due" and value:
                # The trailer says the day as stored (2019-09-30), not as typed (2019年9月30日).
                day = parse_date(value, option=vocabulary.shown("field", "due"), year=repo.plan(task.plan_id).year)
                _put(document, "due", day)
                value = day.isoformat()
            elif value:
                _put(document, field, value)
            elif field in document and field not in _REQUIRED:
                del document[field]
            changes.append(f"{field}={one_line(value)}")
        lines = [f"{task.ref}: 修改 {subject_words([c.split('=')[0] for c in changes])}{about(task)}", ""]
        lines += [f"Task: {task.ref}"] + [f"Set: {change}" for change in changes]
        return "\n".join(lines) + "\n"

    touched = tuple({field.split(".", 1)[0] for field, _value in parsed})
    if {"lead", "support"} & set(touched):
        touched += ("progress",)  # the reports' keys follow the task's units
    return TaskWriter(repo).change(ref, edit, touches=touched)


class EditConflict(DubanError):
    """The file changed while it was being edited, and the two changes touch the same field.
    The edited text is kept in `saved`, so nothing typed is lost."""

    def __init__(self, ref: str, fields: list[str], saved: Path) -> None:
        super().__init__(_("{ref} changed while it was being edited ({fields} changed on both sides); "
                           "nothing was committed").format(ref=ref, fields=", ".join(fields)),
                         hint=_("your edited text is kept in {saved}: edit the task again and copy "
                                "what you changed from there").format(saved=saved))
        self.fields = fields
        self.saved = saved


def apply_edit(repo: Repository, ref: str, new_text: str, base_text: str | None = None) -> Recorded | None:
    """Commit an edited task file; None when nothing changed. InvalidEdit lists problems.

    `base_text` is the text the editor was opened on. The file is read again under the
    repository lock: when another process committed to it meanwhile (a report, a sync),
    the edit is merged into the new version field by field, like a sync, so the report
    recorded meanwhile stays; when both changed the same field, EditConflict keeps the
    edited text in a file and nothing is committed."""
    task = repo.resolve(ref)
    writer = TaskWriter(repo)
    writer.git.check_repository()
    with repository_lock(writer.git.git_dir()):
        writer._preflight(task)
        current = task.path.read_text(encoding="utf-8")
        if base_text is not None and current != base_text and new_text != base_text:
            new_text = _merge_edit(writer.git, task, base_text, current, new_text)
        if current == new_text or (base_text is not None and new_text == base_text):
            return None
        changed = fields_changed(current, new_text)
        words = f" {subject_words(changed)}" if changed else ""
        message = (f"{task.ref}: 编辑{words}{about(task)}\n\nTask: {task.ref}\n"
                   f"Edited: {', '.join(changed) or 'whole file'}\n")
        return writer.commit_text(task, new_text, message)


def fields_changed(before: str, after: str) -> list[str]:
    """The task's fields whose values an edit changed, in the file's order (progress when a
    report was added, changed or removed); [] when either text does not read."""
    from duban.store import yamlio

    try:
        old, new = yamlio.load_fast(before, "before"), yamlio.load_fast(after, "after")
    except yamlio.YamlError:
        return []
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    return [key for key in dict.fromkeys([*new, *old]) if old.get(key) != new.get(key)]


def _merge_edit(git: Git, task: Task, base: str, current: str, edited: str) -> str:
    from duban.record.merging import merge_texts

    result = merge_texts(base, current, edited)
    if result.clean:
        return result.text
    saved = git.git_dir() / f"duban-edit-{task.plan_id}-{task.path.stem}.yaml"
    replace_file(saved, edited.encode("utf-8"))
    raise EditConflict(task.ref, result.conflicts, saved)
