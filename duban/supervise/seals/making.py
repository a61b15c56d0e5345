"""Making a seal (`duban seal`): on the shared branch's tip, at a passed deadline, never over
a tag that exists, signed where the office names its keys."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from duban.errors import DubanError
from duban.i18n import _
from duban.model import natural_key
from duban.store.repository import Repository
from duban.supervise.seals.judging import identities, judged, late_holding
from duban.supervise.seals.memory import Memory
from duban.supervise.seals.office import SIGNERS, not_the_office, office
from duban.supervise.seals.tags import FORMAT, REMOTE_SEALS, Seal, checked_git, parse, read_objects, tag_name

if TYPE_CHECKING:
    from duban.store.gitstore import Git


def _message(
    plan_id: str,
    deadline: str,
    commit: str,
    sealed_at: str,
    late: bool,
    previous: Seal | None,
    holding: dict[str, list[str]],
) -> str:
    lines = [
        f"督办 报送截止封存 {plan_id} {deadline}",
        "",
        f"Plan: {plan_id}",
        f"Deadline: {deadline}",
        f"Commit: {commit}",
        f"Sealed-At: {sealed_at}",
        f"Late: {'yes' if late else 'no'}",
        f"Previous: {previous.deadline + ' ' + previous.object if previous else 'none'}",
        f"Seal-Format: {FORMAT}",
        f"Reports: {sum(map(len, holding.values()))}",
        "",
    ]
    lines += [
        f"{task_id}\t{' '.join(sorted(ids))}"
        for task_id, ids in sorted(holding.items(), key=lambda i: natural_key(i[0]))
        if ids
    ]
    return "\n".join(lines) + "\n"


def _shared_branch(git: Git, fetch: bool, timeout: float | None) -> None:
    """Refuse to seal a HEAD that is not the shared branch's tip (fetched first)."""
    # Deferred: loads duban.record (11 duban modules in all; yaml) only when this runs
    from duban.record import sync as sharing

    branch = git.out("rev-parse", "--abbrev-ref", "HEAD").strip()
    if branch == "HEAD":
        raise DubanError(
            _("HEAD is detached: a seal is made on the shared branch"), hint=_("git switch <branch> first")
        )
    if not git.run("config", f"branch.{branch}.merge", check=False).stdout.strip():
        return  # no shared branch: the record is this clone's
    try:
        upstream = sharing._upstream(git, branch, None)
    except DubanError:
        return
    if fetch:
        fetched = sharing.fetch(git, upstream.remote, timeout or sharing.timeout_from_environment())
        if fetched:
            raise DubanError(
                _("cannot fetch from {remote}: {reason}").format(remote=upstream.remote, reason=fetched),
                hint=_(
                    "a seal must hold the shared record: seal once the remote answers, or with "
                    "--no-fetch to seal what this clone fetched last"
                ),
            )
    if not sharing._exists(git, upstream.tracking_ref):
        return
    behind = sharing._count(git, f"HEAD..{upstream.tracking_ref}")
    ahead = sharing._count(git, f"{upstream.tracking_ref}..HEAD")
    if behind:
        raise DubanError(
            _(
                "HEAD is {count} commit(s) behind {remote}/{branch}: a seal now would leave out reports "
                "the units pushed"
            ).format(count=behind, remote=upstream.remote, branch=upstream.branch),
            hint=_("run duban sync, then seal"),
        )
    if ahead:
        raise DubanError(
            _("HEAD has {count} commit(s) that {remote}/{branch} lacks: a seal holds the shared record").format(
                count=ahead, remote=upstream.remote, branch=upstream.branch
            ),
            hint=_("run duban sync, then seal"),
        )


def seal(
    repo: Repository,
    plan_id: str,
    deadline: dt.date | None = None,
    today: dt.date | None = None,
    late: bool = False,
    fetch: bool = True,
    timeout: float | None = None,
) -> Seal:
    """Tag HEAD as the record at the plan's reporting deadline (default: the latest passed)."""
    # Deferred: loads duban.record.commit_message and 1 more (6 duban modules in all) only when this runs
    from duban.record.commit_message import recording_time
    from duban.supervise.lights import reporting_deadlines

    git = checked_git(repo)
    plan = repo.plan(plan_id)
    now = recording_time()
    today = today or now.date()
    if not git.has_commits():
        raise DubanError(_("the repository has no commits to seal"), hint=_("commit the plan first"))
    if plan.reporting is None:
        raise DubanError(
            _("plan {plan} has no reporting deadline to seal").format(plan=plan_id),
            hint=_("set reporting.day_of_month in its plan.yaml"),
        )
    if deadline is None:
        passed = reporting_deadlines(plan, today)
        if not passed:
            raise DubanError(_("no reporting deadline of {plan} has passed yet").format(plan=plan_id))
        deadline = passed[-1]
    elif deadline not in (owed := reporting_deadlines(plan, dt.date(plan.year + 1, 12, 31))):
        raise DubanError(
            _("{date} is not a reporting deadline of {plan}").format(date=deadline.isoformat(), plan=plan_id),
            hint=_("its reporting deadlines: {dates}").format(dates=", ".join(day.isoformat() for day in owed) or "—"),
        )
    if deadline > today:
        raise DubanError(
            _("the deadline {date} has not passed yet").format(date=deadline.isoformat()),
            hint=_("seal it on or after that day"),
        )
    name = tag_name(plan_id, deadline)
    memory = Memory(git.git_dir())
    _refuse_existing(git, memory, name)
    _shared_branch(git, fetch, timeout)
    _refuse_existing(git, memory, name)  # the fetch may have brought one
    if today > deadline and not late:
        raise DubanError(
            _(
                "the deadline {date} passed {days} day(s) ago: a seal made now would make every report typed in "
                "since then look on time"
            ).format(date=deadline.isoformat(), days=(today - deadline).days),
            hint=_(
                "seal it with --late: a late seal holds only the reports recorded by {date} (by their commits, "
                "never earlier than the commits they follow), so reports typed in after the deadline stay late "
                "and those before it are judged as without a seal"
            ).format(date=deadline.isoformat()),
        )
    late = today > deadline
    the_office = office(git, memory)
    signing = git.run("config", "--get", "user.signingkey", check=False).stdout.strip()
    if the_office.signers is not None and not signing:
        raise DubanError(
            _("the office signs its seals ({file}), and git has no signing key here").format(file=SIGNERS),
            hint=_("set the office's key: git config user.signingkey <key> (and gpg.format ssh for an ssh key)"),
        )
    if now.date() != today:  # a day given (a test, a record made up afterwards) is the day it was sealed
        now = dt.datetime.combine(today, now.timetz())
    head = git.head_commit()
    deadline_text = deadline.isoformat()
    holding = late_holding(repo, git, plan_id, head, deadline_text) if late else identities(repo, git, plan_id, head)
    earlier = [s for s in judged(repo, plan_id, git).seals.values() if s.deadline < deadline_text]
    previous = max(earlier, key=lambda s: s.deadline) if earlier else None
    message = _message(plan_id, deadline_text, head, now.isoformat(timespec="seconds"), late, previous, holding)
    made = git.run("tag", "-s" if signing else "-a", "-F", "-", name, head, input=message, check=False)
    if made.returncode != 0:
        raise DubanError(
            _("git could not make the tag {tag}: {reason}").format(
                tag=name, reason=(made.stderr.strip().splitlines() or ["?"])[-1]
            ),
            hint=_("check git's signing setup (user.signingkey, gpg.format)") if signing else None,
        )
    object_id = git.out("rev-parse", f"refs/tags/{name}").strip()
    raw = read_objects(git, [object_id])[0] or b""
    result = parse(name, object_id, raw)
    why = not_the_office(git, result, the_office, memory)
    if why:
        git.run("tag", "-d", name, check=False)
        raise DubanError(
            _("the seal was not kept: {reason}").format(reason=why),
            hint=_("sign with a key {file} names").format(file=SIGNERS),
        )
    memory.remember(result, made_here=True)
    memory.save()
    return result


def _refuse_existing(git: Git, memory: Memory, name: str) -> None:
    # Deferred: loads duban.record.sync (11 duban modules in all; yaml) only when this runs
    from duban.record.sync import _exists

    for ref, where in (
        (f"refs/tags/{name}", _("here")),
        *((f"{REMOTE_SEALS}/{r}/{name.removeprefix('duban/seal/')}", r) for r in git.out("remote").split()),
    ):
        if not _exists(git, ref):
            continue
        object_id = git.out("rev-parse", ref).strip()
        if memory.made_here(name, object_id):
            raise DubanError(
                _("{tag} already exists").format(tag=name), hint=_("a seal is never moved; `duban verify` checks it")
            )
        raw = read_objects(git, [object_id])[0] or b""
        other = parse(name, object_id, raw)
        raise DubanError(
            _("a tag {tag} exists ({where}) that this office did not make: {who}, {signed}").format(
                tag=name, where=where, who=other.tagger or "?", signed=_("signed") if other.signed else _("not signed")
            ),
            hint=_(
                "check it with duban verify; a tag that is not the office's is deleted here and on the remote "
                "(git tag -d {tag}; git push origin :refs/tags/{tag}) before sealing"
            ).format(tag=name),
        )
