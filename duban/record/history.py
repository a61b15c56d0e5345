"""Reading the record: a task's commits, the plan-wide log of reports, what changed between two
dates field by field, the plan as it stood on a date, and who last changed each field.

Each query is one `git log` (or one ls-tree plus one cat-file --batch), never a process
per commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from duban import vocabulary
from duban.dates import parse_day
from duban.errors import DubanError
from duban.i18n import N_, _
from duban.model import Task, effective_lead, natural_key
from duban.problems import Problem
from duban.reading import figure_against, status_as_of, status_on
from duban.store.gitoutput import Commit
from duban.store.gitstore import Git
from duban.store.layout import PLANS, TASKS
from duban.store.repository import Repository

# The trailers duban writes, as the interface names them (a clerk reading the history in
# Chinese saw `Reported-by:` and `Status: in_progress`); another tool's are shown as written.
TRAILER_WORDS = {
    "Task": N_("task"),
    "Reported-by": N_("reported by"),
    "Report-date": N_("report date"),
    "Recorded-At": N_("recorded at"),
    "Percent": N_("percent"),
    "Status": N_("status"),
    "Value": N_("value"),
    "Set": N_("changed"),
    "Reverts": N_("takes back"),
    "Withdrawn": N_("withdrawn"),
    "Reason": N_("reason"),
    "Migrated": N_("migrated"),
    "Files": N_("files"),
    "Form": N_("form"),
    "Form-hash": N_("form hash"),
    "Form-id": N_("form id"),
}


def trailer_shown(key: str, value: str) -> tuple[str, str]:
    """A commit's trailer as people read it: `状态`, `已延期` for `Status: delayed`, and
    `修改`, `状态=已延期` for `Set: status=delayed`."""
    if key == "Status":
        value = vocabulary.shown("status", value)
    elif key == "Set":
        field, sep, new = value.partition("=")
        value = vocabulary.shown("field", field) + sep + (vocabulary.shown("status", new) if field == "status" else new)
    return (_(TRAILER_WORDS[key]) if key in TRAILER_WORDS else key), value


def checked_git(repo: Repository) -> Git:
    git = repo.git
    git.check_repository()
    return git


def iso_day(text: str | None, name: str) -> str | None:
    if text is None:
        return None
    return parse_day(text, name).isoformat()


def task_history(repo: Repository, ref: str, patch: bool = False, color: bool = False) -> list[Commit]:
    """The task's commits, newest first, following renames."""
    _plan_id, path = repo.task_file(ref)
    git = checked_git(repo)
    return git.file_log(git.relative(path), patch=patch, color=color)


def plan_log(
    repo: Repository,
    plan_id: str | None = None,
    since: str | None = None,
    until: str | None = None,
    unit: str | None = None,
) -> list[Commit]:
    """Commits touching task files, newest first; `unit` keeps those reported by that unit.

    `since` and `until` keep a report by its report date (Report-date), any other change by
    its author date. The whole history is walked and the dates compared here: `git log
    --since` stops at the first commit older than the date, which a unit's PC with a slow
    clock puts anywhere, and git reads a year past 2099 as no date at all.
    """
    git = checked_git(repo)
    start, end = iso_day(since, "--since"), iso_day(until, "--until")
    if start and end and start > end:
        raise DubanError(_("--since {since} is after --until {until}").format(since=since, until=until))
    if not git.has_commits():
        return []
    folder = f"{PLANS}/{plan_id}/{TASKS}" if plan_id else PLANS
    if plan_id:
        repo.plan(plan_id)
    commits = git.path_log([folder], repo.parse_cache().log_file(folder))
    if start or end:
        commits = [c for c in commits if (start or "") <= dated(c) <= (end or "9999-12-31")]
    if unit:
        wanted = _canonical_units(repo, unit)
        commits = [c for c in commits if c.trailers.get("Reported-by") in wanted]
    return commits


def office_statuses(repo: Repository, plan_id: str) -> dict[str, tuple[tuple[dt.date, str], ...]]:
    """Task id -> the statuses the office set with `duban set`, as (day, status) oldest first,
    each on the day its commit was made (docs/reading.md rule 4); a set taken back with
    `duban undo` is left out. Read from the plan's log of commits, which is kept between runs,
    once per HEAD in a process: `score` and the circular ask for every deadline's view."""
    try:
        git = checked_git(repo)
        key = (str(repo.root), git.head_commit(), plan_id)
        if key in _OFFICE_STATUSES:
            return _OFFICE_STATUSES[key]
        commits = plan_log(repo, plan_id)
    except DubanError:
        return {}
    reverted = {commit.trailers["Reverts"] for commit in commits if "Reverts" in commit.trailers}
    found: dict[str, list[tuple[dt.date, str]]] = {}
    for commit in reversed(commits):
        ref = commit.trailers.get("Task", "")
        if "/" not in ref or "Report-date" in commit.trailers or commit.sha in reverted:  # undo names the whole id
            continue
        for assignment in commit.sets:
            name, _equals, value = assignment.partition("=")
            if name.strip() == "status" and value.strip():
                found.setdefault(ref.split("/", 1)[1], []).append(
                    (dt.date.fromisoformat(commit.date[:10]), value.strip())
                )
    if len(_OFFICE_STATUSES) > 64:
        _OFFICE_STATUSES.clear()  # a long process (the tests, the TUI) over many HEADs
    _OFFICE_STATUSES[key] = {task_id: tuple(events) for task_id, events in found.items()}
    return _OFFICE_STATUSES[key]


# (root, HEAD, plan) -> office_statuses: commits never change, so one HEAD's answer stands.
_OFFICE_STATUSES: dict[tuple[str, str, str], dict[str, tuple[tuple[dt.date, str], ...]]] = {}


def dated(commit: Commit) -> str:
    """The day a commit belongs to: its report date for a report, else its author date."""
    return commit.trailers.get("Report-date") or commit.date[:10]


def _canonical_units(repo: Repository, name: str) -> set[str]:
    names = {name}
    for plan in repo.plans():
        found = plan.units.resolve(name)
        if found is not None:
            names |= {found.name, *found.aliases}
    return names


def tasks_as_of(repo: Repository, plan_id: str, when: str) -> list[Task]:
    """The plan's tasks as they stood at the end of day `when` (see tasks_and_problems_as_of)."""
    return tasks_and_problems_as_of(repo, plan_id, when)[0]


def tasks_and_problems_as_of(repo: Repository, plan_id: str, when: str) -> tuple[list[Task], list[Problem]]:
    """The plan's tasks at the end of day `when`, and the files that could not be read then.

    A report belongs to its report date, not to the day it was typed in: each task's reports
    are those of the committed record (HEAD) dated on or before `when`, so a June report
    entered on 2 July is in the view of 30 June. The other fields (status, due, units) are
    those of the commit the record had reached by that day on the plan's own line of
    commits (Git.commit_before), or, for a day before the plan's first commit (reports typed
    in after the days they are dated), those of its first commit. A status given with a
    report belongs to the report's date (duban.reading.status_as_of). A task file that does
    not load, or fails the schema, is returned as a problem and never silently left out.
    """
    git = checked_git(repo)
    until = parse_day(when, "--as-of")
    day = until.isoformat()
    revision = git.commit_before(day, f"{PLANS}/{plan_id}", first=True)
    if revision is None:
        raise DubanError(
            _("the repository has no commit on or before {date}").format(date=when),
            hint=_("`duban log` shows the dates it has"),
        )
    repo.plan(plan_id)
    head = git.head_commit()
    office = office_statuses(repo, plan_id)
    if head == revision:
        tasks, problems = _snapshot(repo, git, plan_id, revision)
        by_id = {task.id: task for task in tasks}
        return [_reports_until(task, task, until, by_id, office) for task in tasks], problems
    # Deferred: loads duban.store.cache.digests (2 duban modules in all) only when this runs
    from duban.store.cache.digests import digest

    # The view itself is kept too, under both trees and the day: a later look at the same
    # state loads one snapshot, as a view of one commit does.
    prefix = f"{PLANS}/{plan_id}/{TASKS}"
    trees = [git.object_id(revision, prefix), git.object_id(head, prefix)]
    view_key = digest(f"view:{':'.join(map(str, trees))}:{day}".encode()) if None not in trees else None
    cache = repo.parse_cache()
    if view_key is not None:
        stored = cache.tasks(f"{plan_id}.as-of-view", view_key, plan_id, repo.root)
        if stored is not None:
            return stored, []
    tasks, problems = _snapshot(repo, git, plan_id, revision)
    record = {t.id: t for t in _snapshot(repo, git, plan_id, head, "record")[0]}
    by_id = {task.id: task for task in tasks}
    view = [_reports_until(record.get(task.id, task), task, until, by_id, office) for task in tasks]
    if view_key is not None and not problems:
        cache.put_tasks(f"{plan_id}.as-of-view", view_key, view, [repo.display(task.path) for task in view])
    return view, problems


def _reports_until(
    record: Task, task: Task, day: dt.date, by_id: dict[str, Task], office: dict[str, tuple[tuple[dt.date, str], ...]]
) -> Task:
    """The task of the revision with the record's reports dated by `day`, and its status then:
    where the office set its status with `duban set`, replayed by date with the reports
    (status_on: a set whose commit the revision does not hold, or holds though dated after
    the day, counts by its date); else the revision's, moved by the reports typed in later."""
    kept = tuple(r for r in record.progress if r.date <= day)
    lead = task.lead or effective_lead(task, by_id)
    if office.get(task.id):
        status = status_on(day, office[task.id], kept, lead, figure_against(task.indicators))
        return (
            task
            if kept == task.progress and status == task.status
            else dataclasses.replace(task, progress=kept, status=status)
        )
    if kept == task.progress:
        return task
    status = status_as_of(task.status, task.progress, kept, lead, figure_against(task.indicators))
    return dataclasses.replace(task, progress=kept, status=status)


def _snapshot(
    repo: Repository, git: Git, plan_id: str, revision: str, slot_name: str = "as-of"
) -> tuple[list[Task], list[Problem]]:
    """The plan's tasks at `revision`, kept in the cache slot `slot_name` (one snapshot each:
    the as-of view and the record it takes reports from must not push each other out)."""
    prefix = f"{PLANS}/{plan_id}/{TASKS}/"
    # Deferred: loads duban.memory and 1 more (3 duban modules in all) only when this runs
    from duban.memory import paused as paused_gc
    from duban.store.cache.digests import digest

    cache = repo.parse_cache()
    # git names the tasks folder at that commit by a hash of every file's name and bytes: a
    # snapshot of the tasks built for that tree serves every later look at the same state.
    tree = git.object_id(revision, prefix.rstrip("/"))
    snapshot_key = digest(b"tree:" + tree.encode()) if tree else None
    slot = f"{plan_id}.{slot_name}"
    if snapshot_key is not None:
        stored = cache.tasks(slot, snapshot_key, plan_id, repo.root)
        if stored is not None:
            return stored, []
    with paused_gc():
        tasks, problems = _build_tasks_as_of(repo, git, plan_id, revision, prefix)
    if snapshot_key is not None and not problems:  # a snapshot with problems is built again, to say so again
        cache.put_tasks(slot, snapshot_key, tasks, [repo.display(task.path) for task in tasks])
    return tasks, problems


def _build_tasks_as_of(
    repo: Repository, git: Git, plan_id: str, revision: str, prefix: str
) -> tuple[list[Task], list[Problem]]:
    from duban.store import yamlio  # only where files are parsed: a history reads none
    from duban.store.cache.digests import digest
    from duban.store.checked import as_problem, checked_document

    files = git.read_files(revision, prefix)
    # The parse cache is keyed by content, so a blob read from git hits the same entries
    # as the file it was committed from.
    cache = repo.parse_cache().slot(plan_id)
    tasks = []
    problems = []
    at = revision[:10]
    for path, text in files.items():
        if not path.endswith((".yaml", ".yml")):
            continue
        key = digest(text.encode("utf-8"))
        doc = cache.get(key)
        shown = f"{at}:{path}"
        if doc is None:
            try:  # named as a file of today is named (store/checked.py): where, and what
                doc = checked_document(text, "task", shown)
            except yamlio.YamlError as error:
                problems.append(as_problem(error, shown))
                continue
            cache.put(key, doc)
        tasks.append(Task.from_document(doc, plan_id, repo.root / path))
    cache.save()
    tasks.sort(key=lambda t: natural_key(t.id))
    return tasks, problems


def absent_from_view(ref: str, task_id: str, when: str, problems: Iterable[Problem]) -> DubanError:
    """Why task `task_id` is not in the view of day `when`: its file could not be read in the
    commit of that day (named with where and what, as `validate` names it), or it did not exist."""
    name = f"/tasks/{task_id}."
    for problem in problems:
        if name in problem.path:
            return DubanError(
                _("{ref} could not be read on {date}: {problem}").format(ref=ref, date=when, problem=problem.format()),
                hint=_("its file was broken in the commit of that day; `duban history {ref}` shows its changes").format(
                    ref=ref
                ),
            )
    return DubanError(_("{ref} did not exist on {date}").format(ref=ref, date=when))


def task_text_as_of(repo: Repository, ref: str, when: str) -> str:
    """The task file's text as committed at the end of day `when`."""
    task = repo.resolve(ref)
    git = checked_git(repo)
    revision = git.commit_before(iso_day(when, "--as-of"), f"{PLANS}/{task.plan_id}", first=True)  # type: ignore[arg-type]
    text = git.show_file(revision, git.relative(task.path)) if revision else None
    if text is None:
        raise DubanError(_("{ref} did not exist on {date}").format(ref=ref, date=when))
    return text
