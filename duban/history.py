"""Reading the record: a task's commits, the plan-wide log of reports, what changed between two
dates field by field, the plan as it stood on a date, and who last changed each field.

Each query is one `git log` (or one ls-tree plus one cat-file --batch), never a process
per commit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duban import yamlio
from duban.errors import DubanError
from duban.gitstore import Commit, Git
from duban.i18n import _
from duban.model import TASK_FIELDS, Task, natural_key
from duban.repository import PLANS, TASKS, Repository


def _git(repo: Repository) -> Git:
    git = Git(repo.root)
    git.check_repository()
    return git


def _day(text: str | None, name: str) -> str | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise DubanError(_("{option} {text!r} is not a date").format(option=name, text=text),
                         hint=_("write it as YYYY-MM-DD")) from None


def task_history(repo: Repository, ref: str, patch: bool = False, color: bool = False) -> list[Commit]:
    """The task's commits, newest first, following renames."""
    task = repo.resolve(ref)
    git = _git(repo)
    return git.file_log(git.relative(task.path), patch=patch, color=color)


def plan_log(repo: Repository, plan_id: str | None = None, since: str | None = None,
             until: str | None = None, unit: str | None = None) -> list[Commit]:
    """Commits touching task files, newest first; `unit` keeps those reported by that unit."""
    git = _git(repo)
    if not git.has_commits():
        return []
    args = []
    if since:
        args.append(f"--since={_day(since, 'since')} 00:00:00")
    if until:
        args.append(f"--until={_day(until, 'until')} 23:59:59")
    folder = f"{PLANS}/{plan_id}/{TASKS}" if plan_id else PLANS
    if plan_id:
        repo.plan(plan_id)
    commits = git.log(*args, paths=[folder])
    if unit:
        wanted = _canonical_units(repo, unit)
        commits = [c for c in commits if c.trailers.get("Reported-by") in wanted]
    return commits


def _canonical_units(repo: Repository, name: str) -> set[str]:
    names = {name}
    for plan in repo.plans():
        found = plan.units.resolve(name)
        if found is not None:
            names |= {found.name, *found.aliases}
    return names


def tasks_as_of(repo: Repository, plan_id: str, when: str) -> list[Task]:
    """The plan's tasks as they stood at the end of day `when` (from git, not the work tree)."""
    git = _git(repo)
    day = _day(when, "--as-of")
    revision = git.commit_before(day) if day else None
    if revision is None:
        raise DubanError(_("the repository has no commit on or before {date}").format(date=when),
                         hint=_("`duban log` shows the dates it has"))
    repo.plan(plan_id)
    prefix = f"{PLANS}/{plan_id}/{TASKS}/"
    from duban.cache import digest, paused_gc

    cache = repo.parse_cache()
    # git names the tasks folder at that commit by a hash of every file's name and bytes: a
    # snapshot of the tasks built for that tree serves every later look at the same state.
    tree = git.run("rev-parse", "--verify", "-q", f"{revision}:{prefix.rstrip('/')}", check=False).stdout.strip()
    snapshot_key = digest(b"tree:" + tree.encode()) if tree else None
    slot = f"{plan_id}.as-of"
    if snapshot_key is not None:
        stored = cache.tasks(slot, snapshot_key, plan_id, repo.root)
        if stored is not None:
            return stored
    with paused_gc():
        tasks = _build_tasks_as_of(repo, git, plan_id, revision, prefix)
    if snapshot_key is not None:
        cache.put_tasks(slot, snapshot_key, tasks, [repo.display(task.path) for task in tasks])
    return tasks


def _build_tasks_as_of(repo: Repository, git: Git, plan_id: str, revision: str, prefix: str) -> list[Task]:
    from duban import schemas
    from duban.cache import digest

    files = git.read_files(revision, prefix)
    # The parse cache is keyed by content, so a blob read from git hits the same entries
    # as the file it was committed from.
    cache = repo.parse_cache().slot(plan_id)
    tasks = []
    for path, text in files.items():
        if not path.endswith((".yaml", ".yml")):
            continue
        key = digest(text.encode("utf-8"))
        doc = cache.get(key)
        if doc is None:
            try:
                doc = yamlio.load_fast(text, path)
            except yamlio.YamlError:
                continue
            if isinstance(doc, dict) and schemas.is_valid(schemas.TASK, doc):
                cache.put(key, doc)
        if isinstance(doc, dict) and "id" in doc:
            try:
                tasks.append(Task.from_document(doc, plan_id, repo.root / path))
            except (KeyError, TypeError, ValueError):
                continue  # not a valid task at that date: `duban validate` would have said so
    cache.save()
    tasks.sort(key=lambda t: natural_key(t.id))
    return tasks


def task_text_as_of(repo: Repository, ref: str, when: str) -> str:
    """The task file's text as committed at the end of day `when`."""
    task = repo.resolve(ref)
    git = _git(repo)
    revision = git.commit_before(_day(when, "--as-of"))  # type: ignore[arg-type]
    text = git.show_file(revision, git.relative(task.path)) if revision else None
    if text is None:
        raise DubanError(_("{ref} did not exist on {date}").format(ref=ref, date=when))
    return text


# ---- diff between dates --------------------------------------------------------------------

@dataclass
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass
class TaskChange:
    ref: str
    kind: str  # added, removed, changed
    new_reports: list[dict[str, Any]] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"ref": self.ref, "kind": self.kind, "new_reports": self.new_reports,
                "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in self.changes]}


def _documents(git: Git, revision: str | None, folder: str,
               paths: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """Task documents at `revision`: all under `folder`, or only `paths` (one cat-file either way)."""
    if revision is None:
        return {}
    if paths is None:
        files = git.read_files(revision, folder)
    else:
        ordered = sorted(paths)
        files = {p: t for p, t in zip(ordered, git.cat_files([f"{revision}:{p}" for p in ordered])) if t is not None}
    out = {}
    for path, text in files.items():
        try:
            doc = yamlio.load_fast(text, path)
        except yamlio.YamlError:
            continue
        if isinstance(doc, dict):
            out[path] = doc
    return out


def diff_between(repo: Repository, since: str, until: str, plan_id: str | None = None) -> list[TaskChange]:
    """What changed from the start of `since` to the end of `until`, task by task, field by field."""
    git = _git(repo)
    start, end = _day(since, "--since"), _day(until, "--until")
    if start > end:  # type: ignore[operator]
        raise DubanError(_("--since {since} is after --until {until}").format(since=since, until=until))
    before_day = (dt.date.fromisoformat(start) - dt.timedelta(days=1)).isoformat()  # type: ignore[arg-type]
    old_rev, new_rev = git.commit_before(before_day), git.commit_before(end)  # type: ignore[arg-type]
    folder = f"{PLANS}/{plan_id}/" if plan_id else f"{PLANS}/"
    changed_paths: set[str] | None = None
    if old_rev and new_rev:
        changed = git.out("diff", "--name-only", "--no-renames", "-z", old_rev, new_rev, "--", folder).split("\0")
        changed_paths = {p for p in changed if "/tasks/" in p and p.endswith((".yaml", ".yml"))}
        if not changed_paths:
            return []
    old = _documents(git, old_rev, folder, changed_paths)
    new = _documents(git, new_rev, folder, changed_paths)
    results = []
    for path in sorted(set(old) | set(new), key=lambda p: (p.split("/")[1], natural_key(Path(p).stem))):
        if "/tasks/" not in path:
            continue
        ref = f"{path.split('/')[1]}/{Path(path).stem}"
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        if before is None:
            results.append(TaskChange(ref, "added", list(after.get("progress", []))))  # type: ignore[union-attr]
            continue
        if after is None:
            results.append(TaskChange(ref, "removed"))
            continue
        change = TaskChange(ref, "changed", _new_reports(before.get("progress", []), after.get("progress", [])))
        for key in sorted(set(before) | set(after), key=_field_order):
            if key == "progress" or before.get(key) == after.get(key):
                continue
            if key == "milestones":
                for quarter in sorted(set(before.get(key) or {}) | set(after.get(key) or {})):
                    b, a = (before.get(key) or {}).get(quarter), (after.get(key) or {}).get(quarter)
                    if a != b:
                        change.changes.append(FieldChange(f"milestones.{quarter}", b, a))
            else:
                change.changes.append(FieldChange(key, before.get(key), after.get(key)))
        if change.new_reports or change.changes:
            results.append(change)
    return results


def _field_order(key: str) -> tuple[int, str]:
    return (TASK_FIELDS.index(key) if key in TASK_FIELDS else len(TASK_FIELDS), key)


def _new_reports(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen = [dict(r) for r in before]
    fresh = []
    for report in after:
        if report in seen:
            seen.remove(report)
        else:
            fresh.append(report)
    return fresh


# ---- blame by field ---------------------------------------------------------------------------

@dataclass
class FieldBlame:
    field: str
    sha: str
    author: str
    date: str
    summary: str
    reported_by: str | None = None


def blame_fields(repo: Repository, ref: str) -> list[FieldBlame]:
    """For each field of the task, the newest commit whose version changed its value.

    Versions are compared field by field (not line by line), so a removed unit or a
    deleted milestone is credited to the commit that removed it.
    """
    task = repo.resolve(ref)
    git = _git(repo)
    commits = git.file_log(git.relative(task.path))
    if not commits:
        raise DubanError(_("{ref} has no commits yet").format(ref=ref), hint=_("commit the file first"))
    objects = [f"{c.sha}:{c.paths[-1] if c.paths else git.relative(task.path)}" for c in commits]
    texts = git.cat_files(objects)
    versions = []
    for commit, text in zip(commits, texts):
        try:
            doc = yamlio.load_fast(text, commit.sha) if text is not None else None
        except yamlio.YamlError:
            doc = None
        versions.append((commit, doc if isinstance(doc, dict) else {}))
    current = versions[0][1]
    blames = []
    for key in current:
        # Newest first: the field was last changed by the newest commit whose parent differs.
        owner = versions[-1][0]
        for (commit, doc), (_newer, older) in zip(versions, versions[1:]):
            if doc.get(key) != older.get(key):
                owner = commit
                break
        blames.append(FieldBlame(field=key, sha=owner.sha, author=owner.author, date=owner.date[:10],
                                 summary=owner.subject, reported_by=owner.trailers.get("Reported-by")))
    return blames
