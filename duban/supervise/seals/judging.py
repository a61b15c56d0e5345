"""The seals a clone judges lateness by (the one it remembers, else the office's tag), and
the reports each holds: by its list, or for a late seal, by what was recorded by its deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from duban.errors import DubanError
from duban.model import Task
from duban.store.layout import git_folder, may_have_seals
from duban.store.repository import Repository
from duban.supervise.report_identity import identity_in
from duban.supervise.seals.memory import MEMORY, Memory
from duban.supervise.seals.office import Office, not_the_office, office
from duban.supervise.seals.tags import Seal, checked_git, tag_seals

if TYPE_CHECKING:
    from duban.store.gitstore import Git


@dataclass
class Judged:
    """The seals lateness is judged by, and what was found on the way."""

    seals: dict[str, Seal]  # tag name -> the seal judged by
    tags: dict[str, Seal]  # tag name -> what the tag holds now
    rejected: dict[str, str] = field(default_factory=dict)  # tag name -> why the tag is not a seal
    office: Office = field(default_factory=Office)


def judged(repo: Repository, plan_id: str | None = None, git: Git | None = None) -> Judged:
    """For each sealed deadline, the seal this clone judges by: the one it remembers, else the
    tag when it is the office's (it is then remembered)."""
    git = git or checked_git(repo)
    memory = Memory(git.git_dir())
    tags = tag_seals(git, plan_id)
    names = set(tags) | {n for n in memory.seen if not plan_id or n.split("/")[2:3] == [plan_id]}
    result = Judged({}, tags)
    if not names:
        return result
    result.office = office(git, memory)
    for name in sorted(names):
        first = memory.remembered(name)
        if first is not None and not not_the_office(git, first, result.office, memory):
            result.seals[name] = first
            continue
        current = tags.get(name)
        if current is None:
            continue
        why = not_the_office(git, current, result.office, memory)
        if why:
            result.rejected[name] = why
            continue
        result.seals[name] = current
        memory.remember(current)
    memory.save()
    return result


def seals(repo: Repository, plan_id: str | None = None) -> list[Seal]:
    """The plan's seals (every plan's without `plan_id`) this clone judges by, oldest first."""
    if not _may_have(repo):
        return []
    try:
        git = checked_git(repo)
    except DubanError:
        return []
    return sorted(judged(repo, plan_id, git).seals.values(), key=lambda s: (s.plan_id, s.deadline))


def _may_have(repo: Repository) -> bool:
    git_dir = git_folder(repo.root)
    return may_have_seals(repo.root) or (git_dir is not None and (git_dir / MEMORY / "state.json").exists())


def identities(repo: Repository, git: Git, plan_id: str, revision: str) -> dict[str, list[str]]:
    """task id -> the identities of its reports at `revision` (one per report, repeats kept)."""
    # Deferred: loads duban.record.history (3 duban modules in all) only when this runs
    from duban.record.history import _snapshot

    plan = repo.plan(plan_id)
    tasks, _problems = _snapshot(repo, git, plan_id, revision, "seal")
    return {t.id: [identity_in(plan, t.id, r) for r in t.progress] for t in tasks}


def held_by(repo: Repository, git: Git, seal: Seal) -> dict[str, set[str]]:
    if seal.held is not None:
        return {task_id: set(ids) for task_id, ids in seal.held.items()}
    if git.run("cat-file", "-e", f"{seal.commit}^{{commit}}", check=False).returncode != 0:
        return {}
    return {task_id: set(ids) for task_id, ids in identities(repo, git, seal.plan_id, seal.commit).items()}


def sealed_reports(repo: Repository, plan_id: str) -> dict[str, dict[str, set[str]]]:
    """For each sealed deadline of the plan: task id -> the identities of the reports it holds."""
    if not _may_have(repo):
        return {}
    try:
        git = checked_git(repo)
    except DubanError:
        return {}
    found = judged(repo, plan_id, git).seals
    return {item.deadline: held_by(repo, git, item) for item in found.values()}


def for_task(sealed: dict[str, dict[str, set[str]]], task: Task) -> dict[str, set[str]]:
    """deadline -> the task's reports in that seal (an empty set when the seal lacks the task)."""
    return {deadline: tasks.get(task.id, set()) for deadline, tasks in sealed.items()}


def recorded_by(git: Git, head: str, deadline: str) -> list[str]:
    """The newest commits of HEAD's history recorded by the end of `deadline`: each commit's
    day is the later of its own recording day (Recorded-At, committer date) and its parents'
    (a commit is never made before the commits it follows)."""
    text = git.out(
        "log",
        "--topo-order",
        "--reverse",
        "--format=%H%x1f%P%x1f%cI%x1f%(trailers:key=Recorded-At,valueonly,separator=%x20)",
        head,
    )
    day: dict[str, str] = {}
    parents_of: dict[str, list[str]] = {}
    for line in text.splitlines():
        parts = line.split("\x1f")
        if len(parts) < 3:
            continue
        sha, parents, committed = parts[0], parts[1].split(), parts[2][:10]
        recorded = (parts[3].split() or [""])[0][:10] if len(parts) > 3 else ""
        day[sha] = max([committed, recorded, *(day.get(p, "") for p in parents)])
        parents_of[sha] = parents
    inside = {sha for sha, when in day.items() if when <= deadline}
    followed = {p for sha in inside for p in parents_of[sha]}
    return sorted(inside - followed)


def late_holding(repo: Repository, git: Git, plan_id: str, commit: str, deadline: str) -> dict[str, list[str]]:
    """What a late seal on `commit` holds: the reports of `commit` that the record held by the deadline."""
    now = identities(repo, git, plan_id, commit)
    earlier: dict[str, set[str]] = {}
    for frontier in recorded_by(git, commit, deadline):
        for task_id, ids in identities(repo, git, plan_id, frontier).items():
            earlier.setdefault(task_id, set()).update(ids)
    return {task_id: [i for i in ids if i in earlier.get(task_id, set())] for task_id, ids in now.items()}
