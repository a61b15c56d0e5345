"""Deadline seals: the supervision office tags the shared branch at each reporting deadline,
and lateness is then judged by what the seal holds, not by dates anyone could type.

A seal is an annotated git tag `duban/seal/<plan-id>/<deadline>` on the commit the record
had reached at the deadline, signed (`git tag -s`) where the office's git has a signing key
configured. A report answers a sealed deadline on time when the sealed tree holds it; one
dated before the deadline but entered after the seal was entered late, whatever its date
says. `verify` checks that every report a seal holds is still in the record, unchanged, and
that each sealed commit is still in HEAD's history (a rewritten history is named).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Task
from duban.store.layout import SEAL_REFS, may_have_seals
from duban.store.repository import Repository
from duban.supervise.lights import sealed_key

if TYPE_CHECKING:
    from duban.store.gitstore import Git


@dataclass(frozen=True)
class Seal:
    plan_id: str
    deadline: str      # YYYY-MM-DD
    tag: str           # duban/seal/<plan>/<deadline>
    commit: str
    signed: bool


@dataclass
class Finding:
    seal: Seal
    ref: str
    message: str

    def format(self) -> str:
        return f"{self.seal.tag}: {self.ref}: {self.message}"


@dataclass
class Verification:
    seals: list[Seal] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reports_checked: int = 0


def tag_name(plan_id: str, deadline: dt.date) -> str:
    return f"duban/seal/{plan_id}/{deadline.isoformat()}"


def _git(repo: Repository) -> Git:
    from duban.store.gitstore import Git

    git = Git(repo.root)
    git.check_repository()
    return git


def seals(repo: Repository, plan_id: str | None = None) -> list[Seal]:
    """The plan's seals (every plan's without `plan_id`), oldest deadline first."""
    if not may_have_seals(repo.root):
        return []  # and gitstore's import spared too
    from duban.store.gitstore import Git

    git = Git(repo.root)
    try:
        git.check_repository()
    except DubanError:
        return []
    where = f"{SEAL_REFS}/{plan_id}/" if plan_id else f"{SEAL_REFS}/"
    text = git.out("for-each-ref", "--format=%(refname)%09%(objecttype)%09%(*objectname)%09%(contents:signature)",
                   where)
    found = []
    for line in text.split("\n"):
        parts = line.split("\t")
        if len(parts) < 3 or parts[1] != "tag":
            continue  # a lightweight tag is not a seal: it has no tagger and no date
        name = parts[0].removeprefix("refs/tags/")
        pieces = name.split("/")
        if len(pieces) != 4:
            continue
        found.append(Seal(plan_id=pieces[2], deadline=pieces[3], tag=name, commit=parts[2],
                          signed=len(parts) > 3 and "BEGIN" in parts[3]))
    return sorted(found, key=lambda s: (s.plan_id, s.deadline))


def seal(repo: Repository, plan_id: str, deadline: dt.date | None = None, today: dt.date | None = None) -> Seal:
    """Tag HEAD as the record at the plan's reporting deadline (default: the latest passed)."""
    from duban.supervise.lights import reporting_deadlines

    git = _git(repo)
    plan = repo.plan(plan_id)
    today = today or dt.date.today()
    if not git.has_commits():
        raise DubanError(_("the repository has no commits to seal"), hint=_("commit the plan first"))
    if plan.reporting is None:
        raise DubanError(_("plan {plan} has no reporting deadline to seal").format(plan=plan_id),
                         hint=_("set reporting.day_of_month in its plan.yaml"))
    if deadline is None:
        passed = reporting_deadlines(plan, today)
        if not passed:
            raise DubanError(_("no reporting deadline of {plan} has passed yet").format(plan=plan_id))
        deadline = passed[-1]
    elif deadline not in (owed := reporting_deadlines(plan, dt.date(plan.year + 1, 12, 31))):
        raise DubanError(_("{date} is not a reporting deadline of {plan}").format(date=deadline.isoformat(), plan=plan_id),
                         hint=_("its reporting deadlines: {dates}").format(
                             dates=", ".join(day.isoformat() for day in owed) or "—"))
    if deadline > today:
        raise DubanError(_("the deadline {date} has not passed yet").format(date=deadline.isoformat()),
                         hint=_("seal it on or after that day"))
    name = tag_name(plan_id, deadline)
    if git.run("rev-parse", "--verify", "-q", f"refs/tags/{name}", check=False).returncode == 0:
        raise DubanError(_("{tag} already exists").format(tag=name), hint=_("a seal is never moved; `duban verify` checks it"))
    head = git.out("rev-parse", "HEAD").strip()
    signing = git.run("config", "--get", "user.signingkey", check=False).stdout.strip()
    message = (f"督办 报送截止封存 {plan_id} {deadline.isoformat()}\n\nPlan: {plan_id}\nDeadline: {deadline.isoformat()}\n"
               f"Sealed-At: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}\n")
    git.run("tag", "-s" if signing else "-a", "-F", "-", name, head, input=message)
    return Seal(plan_id, deadline.isoformat(), name, head, bool(signing))


def sealed_reports(repo: Repository, plan_id: str) -> dict[str, dict[str, set[tuple[str, str]]]]:
    """For each sealed deadline of the plan: task id -> the (date, unit) of the reports it holds."""
    found = seals(repo, plan_id)
    if not found:
        return {}
    from duban.record.history import _snapshot  # with the YAML loader: only when there is a seal

    git = _git(repo)
    plan = repo.plan(plan_id)
    out: dict[str, dict[str, set[tuple[str, str]]]] = {}
    for item in found:
        tasks, _problems = _snapshot(repo, git, plan_id, item.commit)
        out[item.deadline] = {t.id: {sealed_key(plan, r.date, r.by) for r in t.progress} for t in tasks}
    return out


def for_task(sealed: dict[str, dict[str, set[tuple[str, str]]]], task: Task) -> dict[str, set[tuple[str, str]]]:
    """deadline -> the task's reports in that seal (an empty set when the seal lacks the task)."""
    return {deadline: tasks.get(task.id, set()) for deadline, tasks in sealed.items()}


def _own_name(plan: Any, report: Any) -> Any:
    """The report with its unit's own name: one typed with an alias and later kept under the
    unit's name (duban migrate) is unchanged."""
    return replace(report, by=plan.units.own_name(report.by)) if report.by else report


def verify(repo: Repository, plan_id: str | None = None) -> Verification:
    """Every report each seal holds is still in HEAD's record, unchanged; each sealed commit
    is still an ancestor of HEAD."""
    from duban.record.history import _snapshot

    git = _git(repo)
    result = Verification(seals=seals(repo, plan_id))
    if not result.seals:
        return result
    head = git.out("rev-parse", "HEAD").strip()
    current: dict[str, dict[str, Task]] = {}
    for item in result.seals:
        if git.run("merge-base", "--is-ancestor", item.commit, head, check=False).returncode != 0:
            result.findings.append(Finding(item, item.plan_id, _("the sealed commit {sha} is not in the history of "
                                                                 "HEAD: the history was rewritten").format(sha=item.commit[:10])))
        if item.signed and git.run("verify-tag", item.tag, check=False).returncode != 0:
            result.findings.append(Finding(item, item.plan_id, _("the seal's signature does not verify")))
        if item.plan_id not in current:
            current[item.plan_id] = {t.id: t for t in _snapshot(repo, git, item.plan_id, head)[0]}
        sealed_tasks, _problems = _snapshot(repo, git, item.plan_id, item.commit)
        plan = repo.plan(item.plan_id)
        for task in sealed_tasks:
            now = current[item.plan_id].get(task.id)
            remaining = [_own_name(plan, r) for r in now.progress] if now else []
            for report in task.progress:
                result.reports_checked += 1
                if _own_name(plan, report) in remaining:
                    remaining.remove(_own_name(plan, report))
                    continue
                what = _("report of {date}{by} ({percent}%) was changed or removed after the seal").format(
                    date=report.date, by=f" [{report.by}]" if report.by else "", percent=f"{report.percent:g}")
                result.findings.append(Finding(item, task.ref, what))
    return result
