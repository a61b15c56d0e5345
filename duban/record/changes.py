"""What changed in the record between two dates, task by task and field by field (`duban
diff`), and who last changed each field of a task (`duban blame`). A task file that cannot be
read in a version compared is named, never taken for a task added or removed, and never
credits its mending with every field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duban import progress as progress_layout
from duban.errors import DubanError
from duban.i18n import _
from duban.model import TASK_FIELDS, natural_key
from duban.record.history import checked_git, iso_day
from duban.store.gitstore import Git
from duban.store.layout import PLANS, TASKS
from duban.store.repository import Repository

# ---- diff between dates --------------------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass
class TaskChange:
    ref: str
    kind: str  # added, removed, changed, unreadable
    new_reports: list[dict[str, Any]] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    problem: str | None = None  # unreadable: which version of the file, where and what

    def as_dict(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "ref": self.ref,
            "kind": self.kind,
            "new_reports": self.new_reports,
            "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in self.changes],
        }
        if self.problem is not None:
            shown["problem"] = self.problem
        return shown


def _documents(
    git: Git,
    revision: str | None,
    folder: str,
    paths: set[str] | None = None,
    parsed: dict[str, Any] | None = None,
    broken: dict[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Task documents at `revision`: all under `folder`, or only `paths` (one cat-file either way).
    `parsed` (text -> document) spares parsing a file again that is the same in another revision;
    a file that does not load goes to `broken` (path -> where and what), not among the documents."""
    from duban.store import yamlio  # only where files are parsed: a history reads none

    if revision is None:
        return {}
    if paths is None:
        files = git.read_files(revision, folder)
    else:
        ordered = sorted(paths)
        files = {p: t for p, t in zip(ordered, git.cat_files([f"{revision}:{p}" for p in ordered])) if t is not None}
    out = {}
    memo = parsed if parsed is not None else {}
    for path, text in files.items():
        doc = memo.get(text)
        if doc is None:
            try:
                doc = yamlio.load_fast(text, f"{revision[:10]}:{path}")
            except yamlio.YamlError as error:
                if broken is not None:
                    broken.setdefault(path, f"{error.where}: {error.message}")
                continue
            memo[text] = doc
        if isinstance(doc, dict):
            out[path] = doc
        elif broken is not None:
            broken.setdefault(path, f"{revision[:10]}:{path}: " + _("not a mapping of fields"))
    return out


def diff_between(repo: Repository, since: str, until: str, plan_id: str | None = None) -> list[TaskChange]:
    """What changed from the start of `since` to the end of `until`, task by task, field by field.

    The new reports are those of the committed record dated in the period, whenever they
    were typed in; the field changes are those between the commits the record had reached
    by the day before `since` and by `until` (Git.commit_before walks the commit graph).
    """
    git = checked_git(repo)
    start, end = iso_day(since, "--since"), iso_day(until, "--until")
    if start > end:  # type: ignore[operator]
        raise DubanError(_("--since {since} is after --until {until}").format(since=since, until=until))
    before_day = (dt.date.fromisoformat(start) - dt.timedelta(days=1)).isoformat()  # type: ignore[arg-type]
    # Each on the plans' own line of commits; a day before the first of them reads the plans
    # as first committed, so reports typed in after their dates are still found.
    line = f"{PLANS}/{plan_id}" if plan_id else PLANS
    old_rev = git.commit_before(before_day, line, first=True)
    new_rev = git.commit_before(end, line, first=True)  # type: ignore[arg-type]
    head = git.head()
    folder = f"{PLANS}/{plan_id}/" if plan_id else f"{PLANS}/"
    changed_paths: set[str] | None = None
    if old_rev and new_rev:
        changed = git.out("diff", "--name-only", "--no-renames", "-z", old_rev, new_rev, "--", folder).split("\0")
        changed_paths = {p for p in changed if "/tasks/" in p and p.endswith((".yaml", ".yml"))}
        # Reports dated in the period but committed after it: found by their Report-date
        # trailers on the commits since new_rev (the commit graph, not dates).
        # Only the trailers are read: no path limit and no file list, which would diff every
        # commit's tree.
        if head and head != new_rev:
            trailers = "%(trailers:key=Report-date,valueonly)%x1f%(trailers:key=Task,valueonly)%x1e"
            listing = git.out("log", f"--format={trailers}", f"{new_rev}..{head}")
            for entry_text in listing.split("\x1e"):
                day, _sep, ref = (part.strip() for part in entry_text.partition("\x1f"))
                if ref.count("/") == 1 and start <= day <= end:  # type: ignore[operator]
                    plan, task_id = ref.split("/")
                    if not plan_id or plan == plan_id:
                        changed_paths |= {f"{PLANS}/{plan}/{TASKS}/{task_id}{suffix}" for suffix in (".yaml", ".yml")}
        if not changed_paths:
            return []
    parsed: dict[str, Any] = {}
    broken: dict[str, str] = {}  # a file that does not load in a version compared: named, not added or removed
    old = _documents(git, old_rev, folder, changed_paths, parsed, broken)
    new = _documents(git, new_rev, folder, changed_paths, parsed, broken) if new_rev != old_rev else old
    record = _documents(git, head, folder, changed_paths, parsed, broken) if head != new_rev else new
    results = []
    # The record's paths too: a plan committed after the period (typed in from paper later) has
    # no file at either end of it, and its reports dated in the period are its changes.
    paths = set(old) | set(new) | set(broken) | set(record)
    for path in sorted(paths, key=lambda p: (p.split("/")[1], natural_key(Path(p).stem))):
        if "/tasks/" not in path:
            continue
        ref = f"{path.split('/')[1]}/{Path(path).stem}"
        if path in broken:
            results.append(TaskChange(ref, "unreadable", problem=broken[path]))
            continue
        before, after = old.get(path), new.get(path)
        reports = [
            r
            for r in progress_layout.flat((record.get(path) or after or {}).get("progress"))
            if isinstance(r, dict) and start <= str(r.get("date")) <= end  # type: ignore[operator]
        ]
        if before is None and after is None:
            if reports:
                results.append(TaskChange(ref, "changed", reports))
            continue
        if before is None:
            results.append(TaskChange(ref, "added", reports))
            continue
        if after is None:
            results.append(TaskChange(ref, "removed"))
            continue
        change = _changed(ref, before, after, reports)
        if change.new_reports or change.changes:
            results.append(change)
    return results


def _changed(ref: str, before: dict[str, Any], after: dict[str, Any], reports: list[dict[str, Any]]) -> TaskChange:
    """A task in the record at both ends of the period: the reports dated in it that it did not
    hold before, and each field (each milestone) whose value differs."""
    known = [r for r in progress_layout.flat(before.get("progress")) if isinstance(r, dict)]
    change = TaskChange(ref, "changed", _new_reports(known, reports))
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
    return change


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
    from duban.store import yamlio  # only where files are parsed: a history reads none

    task = repo.resolve(ref)
    git = checked_git(repo)
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
        # A version that does not load changed no field: compared across, the commit that broke
        # the file and the one that mended it are not credited with every field it holds.
        if isinstance(doc, dict):
            versions.append((commit, doc))
    if not versions:
        raise DubanError(
            _("no committed version of {ref} can be read").format(ref=ref),
            hint=_("`duban history {ref}` shows its changes").format(ref=ref),
        )
    current = versions[0][1]
    blames = []
    for key in current:
        # Newest first: the field was last changed by the newest commit whose parent differs.
        owner = versions[-1][0]
        for (commit, doc), (_newer, older) in zip(versions, versions[1:]):
            if doc.get(key) != older.get(key):
                owner = commit
                break
        blames.append(
            FieldBlame(
                field=key,
                sha=owner.sha,
                author=owner.author,
                date=owner.date[:10],
                summary=owner.subject,
                reported_by=owner.trailers.get("Reported-by"),
            )
        )
    return blames
