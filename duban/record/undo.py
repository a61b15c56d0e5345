"""Taking a change back: `undo_last` reverts the last change duban committed in this clone
(a report, a set, an edit) with a revert commit, and `withdraw_report` takes one wrong report
out of a task with the reason recorded. Nothing is rewritten: the wrong change and its
withdrawal both stay in the history, which is what an official record needs.

Undo takes back only what was committed in this clone. A report that arrived from another
unit by `duban sync` is that unit's to take back; taking it back here would push its removal
to everyone at the next sync. What this clone made is read from git's reflog, which git keeps
in each clone and never shares: a `git commit` here leaves an entry "commit: <subject>", a
fetched, merged or fast-forwarded commit never does. A local commit that a rebase rewrote
(`git pull --rebase`) has a new sha but keeps its author, author date and subject, so it is
known by those.

The revert is a field-level merge (duban.record.merging) of "the task before the change" into the
task as it is now, so changes made to the task after the one taken back are kept.
"""

from __future__ import annotations

from typing import Any

from duban import progress as progress_layout
from duban import reading
from duban.errors import DubanError
from duban.i18n import _
from duban.model import Report, Task, day_of, effective_lead
from duban.record.commit_message import about, one_line
from duban.record.merging import merge_texts
from duban.record.writer import Recorded, TaskWriter
from duban.states import Status
from duban.store.gitoutput import FIELD, Commit
from duban.store.gitstore import Git
from duban.store.repository import Repository

SEARCHED = 200  # commits looked at for the last change duban made, and for one that arrived after it

# The reflog entries of a commit made in this clone: `git commit`, with --amend, and a
# repository's first commit. A merge's own commit ("commit (merge)") brings others' commits.
MADE_HERE = ("^commit: ", "^commit (amend): ", "^commit (initial): ")


def _identity(commit: Commit) -> tuple[str, str, str, str]:
    """What a rebase or a cherry-pick keeps of a commit: its author, author date (to the
    second) and subject, which for duban's commits names the task and what changed."""
    return (commit.author, commit.email, commit.date, commit.subject)


class MadeHere:
    """The commits made in this clone, as its reflog records them: HEAD's, and the branch's
    when the clone has other work trees (their commits are in the branch's reflog only).
    Only the fields `_identity` needs are read: a reflog of 3,000 commits takes 0.1 s."""

    FORMAT = FIELD.join(["%H", "%an", "%ae", "%aI", "%s"])

    def __init__(self, git: Git) -> None:
        refs = ["HEAD"]
        git_dir = git.git_dir()
        # No reflog at all: core.logAllRefUpdates is off, and nothing can be known as made here.
        self.kept = (git_dir / "logs" / "HEAD").exists()
        if git_dir.parent.name == "worktrees" or (git_dir / "worktrees").is_dir():
            branch = git.run("symbolic-ref", "-q", "HEAD", check=False).stdout.strip()
            refs += [branch] if branch else []
        text = git.out(
            "log", "-g", f"--format={self.FORMAT}", *(f"--grep-reflog={pattern}" for pattern in MADE_HERE), *refs, "--"
        )
        self.shas: set[str] = set()
        self.identities: set[tuple[str, str, str, str]] = set()
        for line in text.splitlines():
            fields = line.split(FIELD)
            if len(fields) == 5:
                self.shas.add(fields[0])
                self.identities.add((fields[1], fields[2], fields[3], fields[4]))

    def __contains__(self, commit: Commit) -> bool:
        return commit.sha in self.shas or _identity(commit) in self.identities


def _is_change(commit: Commit) -> bool:
    """A commit duban made to one task: a report, a set, an edit, a withdrawal, a revert."""
    return "Task" in commit.trailers and len(commit.paths) == 1


def _day(commit: Commit) -> str:
    return commit.trailers.get("Report-date") or commit.date[:10]


def whose(commit: Commit) -> str:
    """Whose change a commit is and of when: the report's unit and date, else who committed it."""
    return _("{who}, {date}").format(who=commit.trailers.get("Reported-by") or commit.author or "?", date=_day(commit))


def describe(commit: Commit) -> str:
    """Whose change a commit is, in a few words: 商务委's report of 2019-03-24 on
    2019-changning/1, or the subject, who committed it and when."""
    task, unit = commit.trailers.get("Task", ""), commit.trailers.get("Reported-by", "")
    if unit and "Report-date" in commit.trailers:
        return _("{unit}'s report of {date} on {task}").format(unit=unit, date=_day(commit), task=task)
    return _("{subject} by {who} on {date}").format(subject=commit.subject, who=commit.author or "?", date=_day(commit))


def _take_back_hint(commit: Commit) -> str:
    """How to take another clone's change back deliberately, with a record of who did."""
    task, unit = commit.trailers.get("Task", ""), commit.trailers.get("Reported-by", "")
    if unit and "Report-date" in commit.trailers:
        return _(
            "to take that report back, withdraw it with the reason: duban withdraw {task} {date} "
            '--by {unit} --reason "…"'
        ).format(task=task, date=_day(commit), unit=unit)
    return _("to change it back, record it again with duban progress, set or edit on {task}").format(task=task)


def not_made_here(
    commit: Commit, ref: str | None = None, own: Commit | None = None, made: MadeHere | None = None
) -> DubanError:
    """The refusal to take back a change another clone made: whose it is and how to take it
    back on purpose (and how to take back this clone's own last change, `own`)."""
    if ref is None:
        message = _(
            "the last change, {change}, was not made in this clone; duban undo takes back only this clone's own changes"
        ).format(change=describe(commit))
    else:
        message = _(
            "{ref} has no change made in this clone to undo: its last change, {change}, was made elsewhere"
        ).format(ref=ref, change=describe(commit))
    hint = _take_back_hint(commit)
    if own is not None:
        own_task = own.trailers["Task"]
        hint += "; " + _("duban undo {ref} takes back this clone's own last change ({subject})").format(
            ref=own_task, subject=own.subject
        )
    if made is not None and not made.kept:
        hint += "; " + _(
            "git keeps no reflog in this clone, so no change is known as made here: "
            "git config core.logAllRefUpdates true"
        )
    return DubanError(message, hint=hint)


def _newest_arrived(git: Git, made: MadeHere, since: Commit) -> Commit | None:
    """The newest change another clone made that arrived after `since` (by a sync, a pull, a
    merge) and was not taken back: everything HEAD has that `since` does not came after it."""
    reverted: set[str] = set()
    for commit in git.log("-n", str(SEARCHED), "--no-merges", f"{since.sha}..HEAD"):
        if not _is_change(commit) or any(commit.sha.startswith(sha) for sha in reverted):
            continue
        if "Reverts" in commit.trailers:
            reverted.add(commit.trailers["Reverts"])
        if commit not in made:
            return commit
    return None


def last_change(repo: Repository, ref: str | None = None) -> tuple[Commit, str]:
    """The newest change duban made in this clone (to this task, when `ref` is given) that is
    not a revert and has not been reverted, and the path of the file it changed.

    Without `ref`, a change another clone made that arrived after it (by sync) makes this a
    refusal naming that change: undo takes back the last thing that happened here, and that
    was someone else's. With `ref`, only this clone's changes to the task are looked at."""
    writer = TaskWriter(repo)
    git = writer.git
    git.check_repository()
    paths = [git.relative(repo.resolve(ref).path)] if ref else None
    made = MadeHere(git)
    reverted: set[str] = set()
    newest_elsewhere: Commit | None = None
    for commit in git.log("-n", str(SEARCHED), "--no-merges", "HEAD", paths=paths):
        if "Reverts" in commit.trailers:
            reverted.add(commit.trailers["Reverts"])
            if commit not in made:
                newest_elsewhere = newest_elsewhere or commit
            continue
        if not _is_change(commit) or any(commit.sha.startswith(sha) for sha in reverted):
            continue
        if commit not in made:
            newest_elsewhere = newest_elsewhere or commit
            continue
        if ref is None:
            arrived = _newest_arrived(git, made, commit)
            if arrived is not None:
                raise not_made_here(arrived, own=commit)
        return commit, commit.paths[0]
    if newest_elsewhere is not None:
        raise not_made_here(newest_elsewhere, ref, made=made)
    raise DubanError(
        _("found no change made by duban to undo")
        if ref is None
        else _("found no change made by duban to {ref} to undo").format(ref=ref),
        hint=_("duban undoes what progress, set, edit and withdraw committed in this clone"),
    )


def undo_last(
    repo: Repository, ref: str | None = None, reason: str | None = None, expected: str | None = None
) -> Recorded:
    """Revert the last change duban made in this clone (to `ref`, if given) with a new commit.
    `expected`: the sha the caller showed; when the last change is another one by now (a sync
    ran meanwhile), nothing is taken back."""
    writer = TaskWriter(repo)
    writer.git.check_repository()
    with writer.repo.write_lock():
        commit, path = last_change(repo, ref)  # under the lock: a sync cannot slip in between
        if expected is not None and commit.sha != expected:
            raise DubanError(
                _("the last change is no longer {sha} but {change}; nothing was taken back").format(
                    sha=expected[:10], change=describe(commit)
                ),
                hint=_("look at it, then take it back again"),
            )
        task = repo.resolve(commit.trailers["Task"])
        writer.preflight(task)
        before = writer.git.show_file(f"{commit.sha}^", path)
        after = writer.git.show_file(commit.sha, path)
        current = task.path.read_text(encoding="utf-8")
        if before is None or after is None:
            raise DubanError(
                _("commit {sha} added or removed {path}; duban undoes changes to a task").format(
                    sha=commit.sha[:10], path=path
                ),
                hint=_("use git revert {sha}").format(sha=commit.sha[:10]),
            )
        merged = merge_texts(after, current, before)
        if not merged.clean:
            raise DubanError(
                _("{ref} changed since {sha} in the same fields ({fields}), so it cannot be undone on its own").format(
                    ref=task.ref, sha=commit.sha[:10], fields=", ".join(merged.conflicts)
                ),
                hint=_("change the fields back with duban set or duban edit"),
            )
        lines = [f"{task.ref}: 撤销 {commit.subject}", "", f"撤销提交 {commit.sha}。", ""]
        if reason:
            lines += [one_line(reason), ""]
        lines += [f"Task: {task.ref}", f"Reverts: {commit.sha}"]
        if reason:
            lines.append(f"Reason: {one_line(reason)}")
        return writer.commit_text(task, merged.text, "\n".join(lines) + "\n")


def withdraw_report(
    repo: Repository, ref: str, date: str, reason: str, by: str | None = None, note: str | None = None
) -> Recorded:
    """Take the report of `date` (from `by`, and with `note` in its note, when several share
    the date) out of `ref`, with the reason in the commit: the report stays in the history,
    marked as withdrawn. `by` may be an alias or pinyin initials, `date` any form --date takes."""
    # Deferred: loads duban.dates and 1 more (2 duban modules in all) only when this runs
    from duban.dates import parse_day
    from duban.record.typed_values import resolve_unit

    if not reason or not reason.strip():
        raise DubanError(_("a withdrawal needs a reason"), hint=_('--reason "…"'))
    day = parse_day(date, "DATE")
    task = repo.resolve(ref)
    plan = repo.plan(task.plan_id)
    unit_name = resolve_unit(repo, task.plan_id, by) if by else None

    def whose(unit: Any) -> str | None:
        return plan.units.own_name(str(unit)) if unit else None

    def edit(task: Task, document: dict[str, Any]) -> str:
        progress = document.get("progress") or []
        matching = [
            (where, unit, report)
            for where, unit, report in progress_layout.located(progress)
            if str(report.get("date")) == day.isoformat()
            and (unit_name is None or whose(unit) == unit_name)
            and (note is None or note.strip() in str(report.get("note") or ""))
        ]
        if not matching:
            raise DubanError(
                _("{ref} has no report of {date}{by}").format(
                    ref=task.ref, date=day.isoformat(), by=f" ({unit_name})" if unit_name else ""
                )
            )
        if len(matching) > 1:
            if len({whose(unit) for _where, unit, _report in matching}) > 1:
                hint = _("say whose with --by ({units})").format(
                    units=", ".join(dict.fromkeys(str(whose(unit) or "?") for _where, unit, _report in matching))
                )
            else:  # one unit reported twice that day: its notes tell the reports apart
                hint = _("say which with --note, a part of its note ({notes})").format(
                    notes=" / ".join(repr(str(r.get("note") or "")) for _where, _unit, r in matching)
                )
            raise DubanError(
                _("{ref} has {count} reports of {date}").format(
                    ref=task.ref, count=len(matching), date=day.isoformat()
                ),
                hint=hint,
            )
        where, unit, withdrawn = matching[0]
        withdrawn_by = str(unit or "")
        if progress_layout.is_keyed(progress):
            reports = progress[where[0]]
            del reports[where[1]]
            if not reports:
                progress[where[0]] = None  # the unit keeps its key, so its next report lands there
        else:
            del progress[where[0]]
            if not progress:
                del document["progress"]
        lead = reading.Leads(effective_lead(task, repo.lineage(task)), plan.units.own_name)
        status = _status_without(task, lead, withdrawn, str(unit) if unit else None)
        if status != document.get("status"):
            document["status"] = status
        lines = [
            f"{task.ref}: 撤回 {day.isoformat()} 的报送{about(task, withdrawn_by or None)}",
            "",
            one_line(reason),
            "",
            f"Task: {task.ref}",
            f"Withdrawn: {day.isoformat()}" + (f" {one_line(withdrawn_by)}" if withdrawn_by else ""),
            f"Reason: {one_line(reason)}",
        ]
        return "\n".join(lines) + "\n"

    return TaskWriter(repo).change(ref, edit, touches=("progress", "status"))


def _status_without(task: Task, lead: reading.Leads, withdrawn: Any, unit: str | None) -> str:
    """The task's status once a report is withdrawn: where the status came from the reports
    (done at 100 %, in progress, or the status the withdrawn report gave), the remaining lead
    reports give it again (docs/reading.md rule 4); a status the office set stays, and so
    does any status when a supporting unit's report is withdrawn."""
    gone = Report(day_of(str(withdrawn.get("date"))), float(withdrawn.get("percent", 0)), by=unit)
    if not lead.speaks_for_task(gone):
        return task.status
    given = withdrawn.get("status")
    if task.status not in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE) and task.status != given:
        return task.status
    remaining = list(task.progress)
    for index, report in enumerate(remaining):
        if report.date == gone.date and lead.of(report) == lead.of(gone) and report.percent == gone.percent:
            del remaining[index]
            break
    return reading.reported_status(remaining, lead, figure=reading.figure_against(task.indicators))
