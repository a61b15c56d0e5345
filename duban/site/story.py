"""A task's whole story in words: every commit that changed its file, with what it changed
as a reader says it (a report added, withdrawn or corrected; 状态 from 进行中 to 受阻; a
unit added), never as YAML.

The commits are the plan's log (duban.record.history.plan_log, one `git log`); each changed
file is read as its commit left it and as its first parent had it, all in one `git cat-file
--batch`. A merge that only joined two units' reports adds no story of its own: the commits
it joined are in the log with their reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from duban import progress as progress_layout
from duban.errors import DubanError
from duban.i18n import _
from duban.model import TASK_FIELDS
from duban.store.layout import PLANS, TASKS
from duban.store.repository import Repository
from duban.vocabulary import chinese, shown


@dataclass
class Change:
    """One commit's change to one task."""

    sha: str
    date: str  # the commit's author date, ISO 8601
    author: str
    subject: str
    recorded_at: str  # Recorded-At, else the author date
    unit: str | None  # Reported-by
    report_date: str | None  # Report-date
    reason: str | None  # Reason (a withdrawal's, an undo's)
    kind: str  # created, changed, removed
    lines: list[str] = field(default_factory=list)  # the change in words, one a line


def stories(repo: Repository, plan_id: str) -> dict[str, list[Change]]:
    """task id -> its changes, oldest first. Empty where the plan has no git history.

    Commits never change, so each commit's changes are kept in the cache by its hash (in the
    interface's language): a rebuild after a month's reports reads and describes only the
    commits made since, not the whole year again."""
    # Deferred: loads duban.record.history only when this runs
    from duban.record.history import plan_log

    try:
        commits = plan_log(repo, plan_id)
    except DubanError:
        return {}
    kept = _KeptStories(repo, plan_id)
    told = kept.load()
    new = [commit for commit in commits if commit.sha not in told]
    if new:
        told.update(_tell(repo, plan_id, new))
        kept.save(told)
    found: dict[str, list[Change]] = {}
    for commit in reversed(commits):
        for task_id, change in told.get(commit.sha, ()):
            found.setdefault(task_id, []).append(change)
    return found


def _tell(repo: Repository, plan_id: str, commits: list[Any]) -> dict[str, list[tuple[str, Change]]]:
    """commit hash -> (task id, its change) for each task file each of `commits` changed;
    every file read as its commit left it and as its first parent had it, in one cat-file."""
    # Deferred: loads duban.store only when this runs
    from duban.store import yamlio
    from duban.supervise.entries import document_of

    folder = f"{PLANS}/{plan_id}/{TASKS}/"
    told: dict[str, list[tuple[str, Change]]] = {commit.sha: [] for commit in commits}
    wanted = [
        (commit, path)
        for commit in reversed(commits)
        for path in commit.paths
        if path.startswith(folder) and path.endswith((".yaml", ".yml"))
    ]
    if not wanted:
        return told
    git = repo.git
    objects = [f"{sha}:{path}" for commit, path in wanted for sha in (commit.sha, commit.sha + "^")]
    texts = git.cat_files(objects)
    parsed: dict[str, dict[str, Any]] = {}

    def document(text: str | None, path: str) -> dict[str, Any] | None:
        if text is None:
            return None
        if text not in parsed:
            # Parsed once for the introductions too, or taken from a view's parse cache.
            try:
                doc = document_of(repo, plan_id, text, path)
            except yamlio.YamlError:
                doc = {"__unreadable__": True}
            parsed[text] = doc if isinstance(doc, dict) else {"__unreadable__": True}
        return parsed[text]

    for index, (commit, path) in enumerate(wanted):
        after = document(texts[2 * index], path)
        before = document(texts[2 * index + 1], path)
        if after is None and before is None:
            continue
        task_id = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        kind = "created" if before is None else "removed" if after is None else "changed"
        trailers = commit.trailers
        change = Change(
            commit.sha,
            commit.date,
            commit.author,
            commit.subject,
            trailers.get("Recorded-At") or commit.date,
            trailers.get("Reported-by"),
            trailers.get("Report-date"),
            trailers.get("Reason"),
            kind,
        )
        change.lines = describe(before, after)
        told[commit.sha].append((task_id, change))
    return told


def _unpacked(fields: tuple[Any, ...]) -> Change:
    change = Change(*fields[:9])
    change.lines = list(fields[9])
    return change


class _KeptStories:
    """stories' changes by commit hash, in the plan's cache folder, one file a language (the
    changes are told in words). A damaged or older file is read as empty: told again."""

    FORMAT = 1

    def __init__(self, repo: Repository, plan_id: str) -> None:
        # Deferred: loads duban.i18n only when this runs
        from duban.i18n import language

        self.tag = (self.FORMAT, language())
        self.path = repo.parse_cache().log_file(f"stories:{plan_id}:{language()}")

    def load(self) -> dict[str, list[tuple[str, Change]]]:
        # Deferred: loads marshal only when this runs
        import marshal

        from duban.store.files import read_checked

        if self.path is None:
            return {}
        try:
            tag, rows = marshal.loads(read_checked(self.path))
            if tuple(tag) != self.tag or not isinstance(rows, dict):
                return {}
            return {sha: [(task_id, _unpacked(fields)) for task_id, fields in changes] for sha, changes in rows.items()}
        except (OSError, EOFError, ValueError, TypeError, IndexError):
            return {}

    def save(self, told: dict[str, list[tuple[str, Change]]]) -> None:
        # Deferred: loads marshal only when this runs
        import marshal

        from duban.store.files import checksummed, replace_file

        if self.path is None:
            return
        rows = {
            sha: [
                (
                    task_id,
                    (
                        c.sha,
                        c.date,
                        c.author,
                        c.subject,
                        c.recorded_at,
                        c.unit,
                        c.report_date,
                        c.reason,
                        c.kind,
                        tuple(c.lines),
                    ),
                )
                for task_id, c in changes
            ]
            for sha, changes in told.items()
        }
        try:
            replace_file(self.path, checksummed(marshal.dumps((list(self.tag), rows))), durable=False)
        except OSError:
            pass  # a read-only repository goes without


# ---- the words ---------------------------------------------------------------------------------


def report_words(report: dict[str, Any]) -> str:
    """One report as a sentence: 2019-06-24 建交委 45%（状态：受阻；数值 5500）：note."""
    parts = [
        str(report.get("date", "")),
        str(report.get("by") or _("(no unit named)")),
        _percent(report.get("percent")),
    ]
    details = []
    if report.get("status"):
        details.append(_("status {status}").format(status=_status(str(report["status"]))))
    if report.get("value") is not None:
        details.append(_("figure {value}").format(value=_number(report["value"])))
    text = " ".join(p for p in parts if p)
    if details:
        text += "（" + "；".join(details) + "）"
    note = str(report.get("note") or "").strip()
    return text + ("：" + note if note else "")


def describe(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The change from `before` to `after` (task documents; None for no file) in words."""
    if before is not None and before.get("__unreadable__") or after is not None and after.get("__unreadable__"):
        return [_("the file could not be read at this commit (not valid YAML)")]
    if before is None and after is not None:
        lines = [_("the task was entered: {title}").format(title=str(after.get("title", "")))]
        lines += [_("with a report: {report}").format(report=report_words(r)) for r in _reports(after)]
        return lines
    if after is None:
        return [_("the task's file was removed")]
    assert before is not None
    lines = _report_changes(_reports(before), _reports(after))
    for key in sorted(set(before) | set(after), key=_order):
        if key == "progress" or before.get(key) == after.get(key):
            continue
        old, new = before.get(key), after.get(key)
        if key == "milestones":
            old_m, new_m = old or {}, new or {}
            for quarter in sorted(set(old_m) | set(new_m)):
                if old_m.get(quarter) != new_m.get(quarter):
                    lines.append(
                        _field_change(
                            _("milestone {when}").format(when=_quarter(str(quarter))),
                            old_m.get(quarter),
                            new_m.get(quarter),
                        )
                    )
            continue
        lines.append(
            _field_change(shown("field", key) if key in _FIELD_WORDS else key, _value(key, old), _value(key, new))
        )
    return lines or [_("no change a reader would see (the file's layout only)")]


_FIELD_WORDS = {
    "lead",
    "support",
    "area",
    "section",
    "category",
    "type",
    "status",
    "due",
    "parent",
    "id",
    "title",
    "text",
    "milestones",
    "indicators",
    "source",
}


def _order(key: str) -> tuple[int, str]:
    return (TASK_FIELDS.index(key) if key in TASK_FIELDS else len(TASK_FIELDS), key)


def _reports(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in progress_layout.flat(doc.get("progress")) if isinstance(r, dict)]


def _key(report: dict[str, Any]) -> tuple[str, str]:
    return str(report.get("date", "")), str(report.get("by") or "")


def _frozen(report: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), repr(v)) for k, v in report.items()))


def _report_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """Reports added, withdrawn, or changed in place (same date and unit, other figures)."""
    kept = Counter(_frozen(r) for r in old) & Counter(_frozen(r) for r in new)
    remaining = Counter(kept)
    gone, added = [], []
    for report in old:
        if remaining[_frozen(report)]:
            remaining[_frozen(report)] -= 1
        else:
            gone.append(report)
    remaining = Counter(kept)
    for report in new:
        if remaining[_frozen(report)]:
            remaining[_frozen(report)] -= 1
        else:
            added.append(report)
    lines = []
    for report in added:
        twin = next((r for r in gone if _key(r) == _key(report)), None)
        if twin is not None:
            gone.remove(twin)
            lines.append(_("report corrected: {old} → {new}").format(old=report_words(twin), new=report_words(report)))
        else:
            lines.append(_("new report: {report}").format(report=report_words(report)))
    lines += [_("report taken out: {report}").format(report=report_words(r)) for r in gone]
    return lines


def _field_change(name: str, old: str | None, new: str | None) -> str:
    if not old:
        return _("{field} set to {new}").format(field=name, new=new)
    if not new:
        return _("{field} cleared (was {old})").format(field=name, old=old)
    return _("{field}: {old} → {new}").format(field=name, old=old, new=new)


def _value(key: str, value: Any) -> str | None:
    if value is None or value == "" or value == [] or value == {}:
        return None
    if key == "status":
        return _status(str(value))
    if key == "type":
        return shown("type", str(value))
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "，".join(f"{k}：{_plain(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _status(key: str) -> str:
    return shown("status", key)


def _quarter(key: str) -> str:
    return chinese("quarter", key) if key.startswith("Q") else key


def _percent(value: Any) -> str:
    try:
        return f"{float(value):g}%"
    except (TypeError, ValueError):
        return ""


def _number(value: Any) -> str:
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)
