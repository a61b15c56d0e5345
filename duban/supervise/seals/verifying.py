"""Verifying the seals (`duban verify`): each is the office's and the one this clone saw
first, the remotes hold the same, every report it holds is still in the record, and no passed
deadline after the first seal lacks one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Task
from duban.store.repository import Repository
from duban.supervise.report_identity import identity_in
from duban.supervise.seals.judging import Judged, held_by, identities, judged, late_holding
from duban.supervise.seals.memory import MEMORY, Memory
from duban.supervise.seals.office import SIGNERS, not_the_office, office
from duban.supervise.seals.tags import Seal, checked_git, describe, remote_seals, tag_name

if TYPE_CHECKING:
    from duban.store.gitstore import Git


@dataclass
class Finding:
    seal: Seal | None
    ref: str
    message: str
    tag: str = ""

    def format(self) -> str:
        return f"{self.seal.tag if self.seal else self.tag}: {self.ref}: {self.message}"


@dataclass
class Verification:
    seals: list[Seal] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reports_checked: int = 0


def verify(repo: Repository, plan_id: str | None = None, today: dt.date | None = None) -> Verification:
    """Every seal is the office's and the one this clone saw first, and the remote holds the
    same; every report each seal holds is still in HEAD's record, unchanged; each sealed commit
    is still an ancestor of HEAD; no deadline after the first seal lacks one."""
    # Deferred: loads duban.record.commit_message only when this runs
    from duban.record.commit_message import recording_time

    git = checked_git(repo)
    today = today or recording_time().date()
    found = judged(repo, plan_id, git)
    result = Verification(seals=sorted(found.seals.values(), key=lambda s: (s.plan_id, s.deadline)))
    memory = Memory(git.git_dir())  # as judged() left it
    if not found.seals and not found.tags and not memory.seen:
        found.office = office(git, memory)  # no seal at all: were there to be some?
    add = result.findings.append
    if memory.unreadable:
        add(
            Finding(
                None,
                MEMORY,
                _("the record of the seals this clone has seen (.git/{folder}) cannot be read").format(folder=MEMORY),
                tag=".git",
            )
        )
    for problem in found.office.findings:
        add(Finding(None, SIGNERS, problem, tag=SIGNERS))
    for name, why in sorted(found.rejected.items()):
        tag = found.tags[name]
        add(Finding(tag, tag.plan_id, _("not a seal of the office: {why}").format(why=why)))
    result.findings.extend(_seals_seen_changed(found, memory, plan_id))
    for remote in git.out("remote").split():
        result.findings.extend(_remote_differs(git, remote, found, memory, plan_id))
    head = git.head_commit()
    current_tasks: dict[str, dict[str, Task]] = {}
    by_plan: dict[str, dict[str, Seal]] = {}
    for item in result.seals:
        by_plan.setdefault(item.plan_id, {})[item.deadline] = item
        if git.run("merge-base", "--is-ancestor", item.commit, head, check=False).returncode != 0:
            add(
                Finding(
                    item,
                    item.plan_id,
                    _("the sealed commit {sha} is not in the history of HEAD: the history was rewritten").format(
                        sha=item.commit[:10]
                    ),
                )
            )
            continue
        if found.office.signers is None and item.signed and not _verified_by_git(git, item):
            add(Finding(item, item.plan_id, _("the seal's signature does not verify")))
        if item.plan_id not in current_tasks:
            # Deferred: loads duban.record.history only when this runs
            from duban.record.history import _snapshot

            current_tasks[item.plan_id] = {t.id: t for t in _snapshot(repo, git, item.plan_id, head, "record")[0]}
        if item.held is not None and not _lists_what_it_held(repo, git, item):
            add(Finding(item, item.plan_id, _("the reports it lists are not those its commit held by the deadline")))
        result.findings.extend(_reports_lost(repo, git, item, current_tasks[item.plan_id], result))
        if item.previous:
            day, _space, object_id = item.previous.partition(" ")
            before = by_plan.get(item.plan_id, {}).get(day) or found.seals.get(tag_name(item.plan_id, day))
            if before is None or before.object != object_id:
                add(
                    Finding(
                        item,
                        item.plan_id,
                        _("it follows the seal of {day} ({object}), which this clone lacks or holds otherwise").format(
                            day=day, object=object_id[:10]
                        ),
                    )
                )
    result.findings.extend(_missing(repo, found, plan_id, today))
    memory.save()
    return result


def _seals_seen_changed(found: Judged, memory: Memory, plan_id: str | None) -> list[Finding]:
    """The seals this clone saw first that are now deleted, or whose tag now holds another object."""
    findings = []
    for name, entry in sorted(memory.seen.items()):
        if plan_id and name.split("/")[2:3] != [plan_id]:
            continue
        first, current = found.seals.get(name), found.tags.get(name)
        seen = (
            describe(first)
            if first is not None and first.object == entry.get("object")
            else str(entry.get("object", "?"))[:10]
        )
        if current is None:
            findings.append(
                Finding(
                    first,
                    name.split("/")[2],
                    _("the seal this clone saw ({seal}) was deleted").format(seal=seen),
                    tag=name,
                )
            )
        elif current.object != entry.get("object"):
            findings.append(
                Finding(
                    first,
                    name.split("/")[2],
                    _("the tag was replaced: this clone saw {first}, the tag now holds {now}").format(
                        first=seen, now=describe(current)
                    ),
                    tag=name,
                )
            )
    return findings


def _remote_differs(git: Git, remote: str, found: Judged, memory: Memory, plan_id: str | None) -> list[Finding]:
    """Where the remote's seals differ from this clone's: another tag under a seal's name, a tag
    there that is not the office's, a seal it held once and no longer holds."""
    findings = []
    there = remote_seals(git, remote, plan_id)
    for name, seal_there in sorted(there.items()):
        mine = found.seals.get(name)
        if mine is not None and seal_there.object != mine.object:
            findings.append(
                Finding(
                    mine,
                    mine.plan_id,
                    _("{remote} holds another tag under this name: {other}").format(
                        remote=remote, other=describe(seal_there)
                    ),
                )
            )
        elif mine is None and name not in found.rejected:
            why = not_the_office(git, seal_there, found.office, memory)
            if why:
                findings.append(
                    Finding(
                        seal_there,
                        seal_there.plan_id,
                        _("{remote} holds a tag that is not a seal of the office: {why}").format(
                            remote=remote, why=why
                        ),
                    )
                )
    for name, object_id in sorted(memory.remote.get(remote, {}).items()):
        if plan_id and name.split("/")[2:3] != [plan_id]:
            continue
        if name not in there:
            findings.append(
                Finding(
                    found.seals.get(name),
                    name.split("/")[2],
                    _("{remote} no longer holds this seal (it held {object}): deleted there").format(
                        remote=remote, object=object_id[:10]
                    ),
                    tag=name,
                )
            )
    return findings


def _lists_what_it_held(repo: Repository, git: Git, item: Seal) -> bool:
    """The reports a seal lists are those its commit held by the deadline (a late seal: those
    reported by the deadline, as the commit has them)."""
    at_commit = identities(repo, git, item.plan_id, item.commit)
    expected = late_holding(repo, git, item.plan_id, item.commit, item.deadline) if item.late else at_commit
    held = item.held or {}
    return {k: sorted(v) for k, v in expected.items() if v} == {k: sorted(v) for k, v in held.items() if v}


def _reports_lost(
    repo: Repository, git: Git, item: Seal, current_tasks: dict[str, Task], result: Verification
) -> list[Finding]:
    """Each report the seal holds that HEAD's record no longer holds unchanged; every report
    looked at is counted in `result.reports_checked`."""
    # Deferred: loads duban.record.history only when this runs
    from duban.record.history import _snapshot

    plan = repo.plan(item.plan_id)
    held = held_by(repo, git, item)
    now_ids: dict[str, list[str]] = {
        t_id: [identity_in(plan, t_id, r) for r in t.progress] for t_id, t in current_tasks.items()
    }
    sealed_tasks = {t.id: t for t in _snapshot(repo, git, item.plan_id, item.commit, "seal")[0]}
    findings = []
    for task_id, ids in sorted(held.items()):
        remaining = list(now_ids.get(task_id, []))
        task = sealed_tasks.get(task_id)
        reports = {identity_in(plan, task_id, r): r for r in task.progress} if task else {}
        for identity in sorted(ids):
            result.reports_checked += 1
            if identity in remaining:
                remaining.remove(identity)
                continue
            report = reports.get(identity)
            what = (
                _("report of {date}{by} ({percent}%) was changed or removed after the seal").format(
                    date=report.date.isoformat(),
                    by=f" [{report.by}]" if report.by else "",
                    percent=f"{report.percent:g}",
                )
                if report
                else _("report {identity} was changed or removed after the seal").format(identity=identity)
            )
            findings.append(Finding(item, f"{item.plan_id}/{task_id}", what))
    return findings


def _verified_by_git(git: Git, item: Seal) -> bool:
    return git.run("verify-tag", item.object, check=False).returncode == 0


def _missing(repo: Repository, found: Judged, plan_id: str | None, today: dt.date) -> list[Finding]:
    """Deadlines that passed (before today) with no seal, after the office began to seal: its
    first seal, or the day its signers file was committed."""
    # Deferred: loads duban.supervise.lights only when this runs
    from duban.supervise.lights import reporting_deadlines

    findings = []
    plans = (
        [plan_id]
        if plan_id
        else sorted({s.plan_id for s in found.seals.values()} | ({*repo.plan_ids()} if found.office.since else set()))
    )
    for plan in plans:
        try:
            the_plan = repo.plan(plan)
        except DubanError:
            continue
        if the_plan.reporting is None:
            continue
        days = [s.deadline for s in found.seals.values() if s.plan_id == plan]
        named = [s.previous.split()[0] for s in found.seals.values() if s.plan_id == plan and s.previous]
        # From the plan's first seal (or the one its first seal follows); with none left at all,
        # from the day the office's key was committed.
        starts = [d for d in (*days, *named) if d] or ([found.office.since] if found.office.since else [])
        if not starts:
            continue
        start = min(starts)
        # Without the office's key, only the gaps up to its last seal; with it, every deadline
        # since the key was committed (a deleted latest seal is then named in a fresh clone too).
        until = (
            today - dt.timedelta(days=1)
            if found.office.since
            else dt.date.fromisoformat(max(d for d in (*days, *named) if d) if (days or named) else start)
        )
        sealed = set(days)
        for deadline in reporting_deadlines(the_plan, until):
            day = deadline.isoformat()
            if day >= start and day not in sealed:
                findings.append(
                    Finding(
                        None,
                        plan,
                        _(
                            "the deadline {day} has no seal of the office: it was deleted, "
                            "or not made (duban seal --late)"
                        ).format(day=day),
                        tag=tag_name(plan, day),
                    )
                )
    return findings
