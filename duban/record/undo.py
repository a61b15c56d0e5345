"""Taking a change back: `undo_last` reverts the last change duban committed (a report, a
set, an edit) with a revert commit, and `withdraw_report` takes one wrong report out of a
task with the reason recorded. Nothing is rewritten: the wrong change and its withdrawal
both stay in the history, which is what an official record needs.

The revert is a field-level merge (duban.record.merging) of "the task before the change" into the
task as it is now, so changes made to the task after the one taken back are kept.
"""
from __future__ import annotations

from typing import Any

from duban import progress as progress_layout
from duban.errors import DubanError
from duban.store.gitstore import Commit
from duban.i18n import _
from duban.store.locking import repository_lock
from duban.record.merging import merge_texts
from duban.model import Task
from duban.record.recording import Recorded, TaskWriter, one_line
from duban.store.repository import Repository

SEARCHED = 200  # commits looked at for the last change duban made


def last_change(repo: Repository, ref: str | None = None) -> tuple[Commit, str]:
    """The newest commit duban made (on this task, when `ref` is given) that is not a revert
    and has not been reverted, and the path of the file it changed."""
    writer = TaskWriter(repo)
    writer.git.check_repository()
    paths = [writer.git.relative(repo.resolve(ref).path)] if ref else None
    reverted: set[str] = set()
    for commit in writer.git.log("-n", str(SEARCHED), "--no-merges", "HEAD", paths=paths):
        if "Reverts" in commit.trailers:
            reverted.add(commit.trailers["Reverts"])
            continue
        if "Task" not in commit.trailers or len(commit.paths) != 1:
            continue
        if any(commit.sha.startswith(sha) for sha in reverted):
            continue
        return commit, commit.paths[0]
    raise DubanError(_("found no change made by duban to undo") if ref is None
                     else _("found no change made by duban to {ref} to undo").format(ref=ref),
                     hint=_("duban undoes what progress, set, edit and withdraw committed"))


def undo_last(repo: Repository, ref: str | None = None, reason: str | None = None) -> Recorded:
    """Revert the last change duban made (to `ref`, if given) with a new commit."""
    commit, path = last_change(repo, ref)
    task = repo.resolve(commit.trailers["Task"])
    writer = TaskWriter(repo)
    with repository_lock(writer.git.git_dir()):
        writer._preflight(task)
        before = writer.git.show_file(f"{commit.sha}^", path)
        after = writer.git.show_file(commit.sha, path)
        current = task.path.read_text(encoding="utf-8")
        if before is None or after is None:
            raise DubanError(_("commit {sha} added or removed {path}; duban undoes changes to a task").format(
                sha=commit.sha[:10], path=path), hint=_("use git revert {sha}").format(sha=commit.sha[:10]))
        merged = merge_texts(after, current, before)
        if not merged.clean:
            raise DubanError(_("{ref} changed since {sha} in the same fields ({fields}), so it cannot be undone "
                               "on its own").format(ref=task.ref, sha=commit.sha[:10],
                                                    fields=", ".join(merged.conflicts)),
                             hint=_("change the fields back with duban set or duban edit"))
        lines = [f"{task.ref}: 撤销 {commit.subject}", "", f'This reverts commit {commit.sha}.', ""]
        if reason:
            lines += [one_line(reason), ""]
        lines += [f"Task: {task.ref}", f"Reverts: {commit.sha}"]
        if reason:
            lines.append(f"Reason: {one_line(reason)}")
        return writer.commit_text(task, merged.text, "\n".join(lines) + "\n")


def withdraw_report(repo: Repository, ref: str, date: str, reason: str, by: str | None = None,
                    note: str | None = None) -> Recorded:
    """Take the report of `date` (from `by`, and with `note` in its note, when several share
    the date) out of `ref`, with the reason in the commit: the report stays in the history,
    marked as withdrawn. `by` may be an alias or pinyin initials, `date` any form --date takes."""
    from duban.dates import parse_day
    from duban.record.recording import _resolve_unit

    if not reason or not reason.strip():
        raise DubanError(_("a withdrawal needs a reason"), hint=_('--reason "…"'))
    day = parse_day(date, "DATE")
    task = repo.resolve(ref)
    plan = repo.plan(task.plan_id)
    unit_name = _resolve_unit(repo, task.plan_id, by) if by else None

    def whose(unit: Any) -> str | None:
        return plan.units.own_name(str(unit)) if unit else None

    def edit(task: Task, document: dict[str, Any]) -> str:
        progress = document.get("progress") or []
        matching = [(where, unit, report) for where, unit, report in progress_layout.located(progress)
                    if str(report.get("date")) == day.isoformat() and (unit_name is None or whose(unit) == unit_name)
                    and (note is None or note.strip() in str(report.get("note") or ""))]
        if not matching:
            raise DubanError(_("{ref} has no report of {date}{by}").format(
                ref=task.ref, date=day.isoformat(), by=f" ({unit_name})" if unit_name else ""))
        if len(matching) > 1:
            if len({whose(unit) for _where, unit, _report in matching}) > 1:
                hint = _("say whose with --by ({units})").format(
                    units=", ".join(dict.fromkeys(str(whose(unit) or "?") for _where, unit, _report in matching)))
            else:  # one unit reported twice that day: its notes tell the reports apart
                hint = _("say which with --note, a part of its note ({notes})").format(
                    notes=" / ".join(repr(str(r.get("note") or "")) for _where, _unit, r in matching))
            raise DubanError(_("{ref} has {count} reports of {date}").format(ref=task.ref, count=len(matching),
                                                                            date=day.isoformat()), hint=hint)
        where, unit, _report = matching[0]
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
        lines = [f"{task.ref}: 撤回 {day.isoformat()} 的报送", "", one_line(reason), "",
                 f"Task: {task.ref}", f"Withdrawn: {day.isoformat()}" + (f" {one_line(withdrawn_by)}" if withdrawn_by else ""),
                 f"Reason: {one_line(reason)}"]
        return "\n".join(lines) + "\n"

    return TaskWriter(repo).change(ref, edit, touches=("progress",))  # the status stays as it is

