"""When each report was entered, against the deadline it answers.

A report belongs to its report date (the day the unit reported, `date:` in the file and the
Report-date trailer). duban also records when it wrote the report (the Recorded-At trailer,
the commit's date for reports recorded before that trailer existed). A report entered after
the reporting deadline that follows its date was typed in late: it still counts for its
month, and the circular lists it so the office can see it.

Commits are read from one `git log` over the whole history of the plan's tasks, never cut
by `--since`, so units' clocks do not matter.
"""

from __future__ import annotations

import datetime as dt
import marshal
import re
from dataclasses import dataclass
from typing import Any

from duban import progress as progress_layout
from duban.errors import DubanError
from duban.model import Report, report_of
from duban.store.files import checksummed, read_checked, replace_file
from duban.store.gitstore import Git
from duban.store.repository import Repository
from duban.supervise.lights import deadline_for


@dataclass(frozen=True)
class Entry:
    ref: str
    unit: str | None
    report_date: str
    deadline: str | None  # the reporting deadline the report answers, if the plan has one
    recorded_at: str  # ISO 8601, as duban (or git) recorded it
    sha: str
    author: str

    @property
    def entered_late(self) -> bool:
        return self.deadline is not None and self.recorded_at[:10] > self.deadline

    def as_dict(self) -> dict[str, object]:
        return {
            "ref": self.ref,
            "unit": self.unit,
            "report_date": self.report_date,
            "deadline": self.deadline,
            "recorded_at": self.recorded_at,
            "sha": self.sha,
            "author": self.author,
        }


def entries(repo: Repository, plan_id: str, first: dt.date | None = None, last: dt.date | None = None) -> list[Entry]:
    """Every report commit of the plan whose report date is in [first, last], oldest first."""
    # Deferred: loads duban.record.history (3 duban modules in all) only when this runs
    from duban.record.history import plan_log

    plan = repo.plan(plan_id)
    try:
        commits = plan_log(repo, plan_id)
    except DubanError:
        return []  # no git: nothing was recorded by duban
    found = []
    for commit in reversed(commits):
        day = commit.trailers.get("Report-date")
        ref = commit.trailers.get("Task")
        if not day or not ref:
            continue
        if (first and day < first.isoformat()) or (last and day > last.isoformat()):
            continue
        try:
            deadline = deadline_for(plan, dt.date.fromisoformat(day))
        except ValueError:
            continue  # a hand-written trailer that is not a date
        found.append(
            Entry(
                ref=ref,
                unit=commit.trailers.get("Reported-by"),
                report_date=day,
                deadline=deadline.isoformat() if deadline else None,
                recorded_at=commit.trailers.get("Recorded-At") or commit.date,
                sha=commit.sha,
                author=commit.author,
            )
        )
    return found


@dataclass(frozen=True)
class Introduction:
    """The commit that first brought a report into the record (by its identity)."""

    task_id: str
    identity: str
    unit: str | None
    report_date: str
    sha: str
    recorded_at: str
    author: str
    imported: bool  # it came with its task file (an import), not as an entry


def introductions(repo: Repository, plan_id: str) -> dict[str, Introduction]:
    """identity -> the commit of HEAD's history that first holds that report of the plan:
    one present in a commit's task file and in none of its parents' versions. Every commit is
    read this way, so a report typed with `duban edit`, by hand or in a merge's resolution is
    found as well as one `progress` recorded (N13).

    Commits never change, so the answer is kept in the cache under the HEAD it was read at;
    when HEAD has moved on from that commit (new reports, a sync's merge), only the commits
    since are read and their introductions added to the kept ones."""
    # Deferred: loads duban.record.history only when this runs
    from duban.record.history import checked_git as _git

    try:
        git = _git(repo)
    except DubanError:
        return {}
    head = git.head()
    if head is None:
        return {}
    store = _KeptIntroductions(repo, plan_id)
    kept = store.load()
    if kept is not None and kept[0] == head:
        return kept[1]
    since = (
        kept[0]
        if kept is not None
        and re.fullmatch(r"[0-9a-f]{40,64}", kept[0])
        and git.run("merge-base", "--is-ancestor", kept[0], head, check=False).returncode == 0
        else None
    )
    first = dict(kept[1]) if since is not None and kept is not None else {}
    _introduce(repo, plan_id, git, f"{since}..{head}" if since else head, first)
    store.save(head, first)
    return first


def _introduce(repo: Repository, plan_id: str, git: Git, revisions: str, first: dict[str, Introduction]) -> None:
    """Add to `first` the reports first brought in by the commits of `revisions`, oldest first."""
    # Deferred: loads duban.store.cache.digests and 1 more (5 duban modules in all; yaml) only when this runs
    from duban.store import yamlio
    from duban.supervise.report_identity import identity_in

    plan = repo.plan(plan_id)
    folder = f"plans/{plan_id}/tasks/"
    text = git.out(
        "log",
        "--full-history",
        "--topo-order",
        "--reverse",
        "-c",
        "--name-only",
        "-z",
        "--no-renames",
        "--format=%x1e%H%x1f%P%x1f%cI%x1f%an%x1f%(trailers:key=Recorded-At,valueonly,separator=%x20)",
        revisions,
        "--",
        folder,
    )
    commits = []
    for record in text.split("\x1e"):
        head, _end, names = record.partition("\0")  # -z: a NUL ends the formatted part and each name
        parts = head.split("\x1f")
        if len(parts) < 5:
            continue
        paths = [
            p for p in names.removeprefix("\n").split("\0") if p.startswith(folder) and p.endswith((".yaml", ".yml"))
        ]
        if paths:
            commits.append((parts[0], parts[1].split(), parts[4].strip() or parts[2], parts[3], paths))
    objects = sorted(
        {f"{rev}:{path}" for sha, parents, _at, _who, paths in commits for rev in (sha, *parents) for path in paths}
    )
    blobs = dict(zip(objects, git.cat_files(objects)))
    parsed: dict[str, list[tuple[str, str | None, str]]] = {}

    def reports(rev: str, path: str) -> list[tuple[str, str | None, str]] | None:
        text = blobs.get(f"{rev}:{path}")
        if text is None:
            return None
        if text not in parsed:
            try:
                doc = document_of(repo, plan_id, text, path)
            except yamlio.YamlError:
                doc = None
            found: list[tuple[str, str | None, str]] = []
            if isinstance(doc, dict):
                try:
                    found = [
                        (identity_in(plan, task_id, r), r.by, r.date.isoformat()) for task_id, r in _reports_of(doc)
                    ]
                except (KeyError, TypeError, ValueError, AttributeError):
                    found = []
            parsed[text] = found
        return parsed[text]

    for sha, parents, recorded_at, author, paths in commits:
        for path in paths:
            mine = reports(sha, path)
            if not mine:
                continue
            before = [reports(parent, path) for parent in parents]
            imported = all(version is None for version in before)
            task_id = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            for identity, unit, day in mine:
                if identity in first or any(identity in {i for i, _u, _d in version or ()} for version in before):
                    continue
                first[identity] = Introduction(task_id, identity, unit, day, sha, recorded_at, author, imported)


def _reports_of(doc: dict[str, Any]) -> list[tuple[str, Report]]:
    """The reports of a version of a task file, with its task's id (KeyError without one). A
    version in git was never held to the schema: a report a hand edit wrote wrong (a date
    2019-6-5, no percent) is left out, as it is from every record that passes the schema, and
    the version's other reports are kept whatever else in it is wrong (a due of 2019-6-30): were
    they dropped with it, the version that mends it would seem to bring them in."""
    task_id = str(doc["id"])
    found = []
    for written in progress_layout.flat(doc.get("progress")):
        try:
            found.append((task_id, report_of(written)))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return found


def document_of(repo: Repository, plan_id: str, text: str, path: str) -> Any:
    """A task file's text (a version of it in git) as YAML: from the plan's parse cache where
    a view stored it, else parsed, and, inside selection.views_held(), parsed once for every
    reader of the history (the introductions, the site's stories). Raises yamlio.YamlError."""
    # Deferred: loads duban.store only when this runs
    from duban.store import yamlio
    from duban.store.cache.digests import digest
    from duban.supervise.selection import held

    memo = held(repo).setdefault(("documents", plan_id), {})
    if text in memo:
        found = memo[text]
        if isinstance(found, yamlio.YamlError):
            raise found
        return found
    doc = repo.parse_cache().slot(plan_id).get(digest(text.encode("utf-8")))
    if doc is None:
        try:
            doc = yamlio.load_fast(text, path)
        except yamlio.YamlError as error:
            memo[text] = error
            raise
    memo[text] = doc
    return doc


class _KeptIntroductions:
    """introductions() as read at one HEAD, in the plan's cache folder. A report's identity
    names its unit by the plan's registry, so a changed plan.yaml starts again."""

    FORMAT = 1

    def __init__(self, repo: Repository, plan_id: str) -> None:
        # Deferred: loads duban.store.cache.digests (2 duban modules in all) only when this runs
        from duban.store.cache.digests import digest

        self.path = repo.parse_cache().log_file(f"introductions:{plan_id}")
        try:
            registry = (repo.plan(plan_id).folder / "plan.yaml").read_bytes()
        except OSError:
            registry = b""
        self.tag = (self.FORMAT, digest(registry).hex())

    def load(self) -> tuple[str, dict[str, Introduction]] | None:
        if self.path is None:
            return None
        try:
            tag, head, rows = marshal.loads(read_checked(self.path))
            if tuple(tag) != self.tag or not isinstance(head, str):
                return None
            return head, {row[1]: Introduction(*row) for row in rows}
        except (OSError, EOFError, ValueError, TypeError, IndexError):
            return None

    def save(self, head: str, first: dict[str, Introduction]) -> None:
        if self.path is None:
            return
        rows = [
            (i.task_id, i.identity, i.unit, i.report_date, i.sha, i.recorded_at, i.author, i.imported)
            for i in first.values()
        ]
        try:
            replace_file(self.path, checksummed(marshal.dumps((list(self.tag), head, rows))), durable=False)
        except OSError:
            pass  # a read-only repository goes without


def entered_after_deadline(
    repo: Repository, plan_id: str, first: dt.date | None = None, last: dt.date | None = None
) -> list[Entry]:
    """The reports dated in [first, last] that were entered after the deadline they answer:
    where the office sealed that deadline, those of the record the seal does not hold (by
    their own identity: a second report typed in after the seal with a sealed report's date
    and unit is one); elsewhere those whose commit (its Recorded-At, else its date) is after
    the deadline, whichever command or hand made it."""
    # Deferred: loads duban.supervise.seals.judging (5 duban modules in all) only when this runs
    from duban.supervise.seals.judging import sealed_reports
    from duban.supervise.selection import held as held_in_block

    sealed = sealed_reports(repo, plan_id)
    plan = repo.plan(plan_id)
    low, high = (first.isoformat() if first else ""), (last.isoformat() if last else "9999-12-31")
    # A document of many periods (the site) asks once: the history's introductions and the
    # record's reports do not depend on the period asked about.
    kept = held_in_block(repo).setdefault(("entered after deadline", plan_id), {})
    if not kept:
        kept["found"] = introductions(repo, plan_id)
        kept["in_record"] = _in_record(repo, plan_id) if kept["found"] else set()
    found, in_record = kept["found"], kept["in_record"]
    late = []
    for identity, entry in found.items():
        if not low <= entry.report_date <= high:
            continue
        try:
            deadline = deadline_for(plan, dt.date.fromisoformat(entry.report_date))
        except ValueError:
            continue
        if deadline is None:
            continue
        held = sealed.get(deadline.isoformat())
        if held is not None:
            if identity in in_record and identity not in held.get(entry.task_id, set()):
                late.append(entry)
        elif not entry.imported and entry.recorded_at[:10] > deadline.isoformat() and identity in in_record:
            late.append(entry)
    return [
        Entry(
            ref=f"{plan_id}/{e.task_id}",
            unit=e.unit,
            report_date=e.report_date,
            deadline=(deadline_for(plan, dt.date.fromisoformat(e.report_date)) or dt.date.min).isoformat(),
            recorded_at=e.recorded_at,
            sha=e.sha,
            author=e.author,
        )
        for e in sorted(late, key=lambda e: (e.recorded_at, e.sha, e.task_id))
    ]


def _in_record(repo: Repository, plan_id: str) -> set[str]:
    """The identities of the reports the record (HEAD) holds: a report since withdrawn is no
    longer the record's, and is not listed as entered late (docs/reading.md)."""
    # Deferred: loads duban.errors only when this runs
    from duban.errors import DubanError
    from duban.record.history import _snapshot, checked_git
    from duban.supervise.report_identity import identity_in

    plan = repo.plan(plan_id)
    try:
        tasks = _snapshot(repo, checked_git(repo), plan_id, "HEAD", "record")[0]
    except DubanError:
        tasks = []
    return {identity_in(plan, task.id, report) for task in tasks for report in task.progress}
