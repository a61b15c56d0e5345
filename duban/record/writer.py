"""The task writer: one task file validated, written atomically and committed alone, under
the repository lock, with nothing left staged or half-written when the commit fails."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Task
from duban.problems import Problem
from duban.record.scaffold import ensure_merge_driver
from duban.store import writable, yaml_round_trip, yamlio
from duban.store.files import replace_file
from duban.store.leftovers import tidy_files, tidy_plans
from duban.store.lineform import LineForm
from duban.store.repository import Repository
from duban.validate.validation import check_task_text


@dataclass
class Recorded:
    ref: str
    sha: str
    message: str
    path: Path
    warnings: tuple[str, ...] = ()  # what the clerk should look at twice (report_checks)


class InvalidEdit(DubanError):
    """The edited text has problems; they are listed so the editor can be reopened."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(
            first.message,
            path=first.path,
            line=first.line,
            col=first.col,
            hint=f"[{first.rule}]"
            + (_(" and {count} more").format(count=len(problems) - 1) if len(problems) > 1 else ""),
        )
        self.problems = problems


class TaskWriter:
    """Writes and commits one task file of a repository, under the repository lock."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.git = repo.git

    def preflight(self, task: Task) -> None:
        self.git.check_repository()
        state = self.git.state_in_progress()
        if state:
            # Deferred: loads duban.record.sync_recovery (2 duban modules in all) only when this runs
            from duban.record.sync_recovery import Marker

            # A merge duban sync stopped on is finished by duban sync, which checks that the
            # resolution keeps every report; git merge --continue would skip that.
            hint = (
                _("resolve the conflicts, git add the files, then run duban sync")
                if Marker(self.git).read()
                else _("finish it (git {state} --continue or git commit) or abort it first").format(state=state)
            )
            raise DubanError(
                _("a git {state} is in progress in {root}").format(state=state, root=self.repo.root), hint=hint
            )
        if not self.git.on_branch():
            raise DubanError(
                _("HEAD is detached: a commit here would belong to no branch"),
                hint=_("git switch <branch> first (git switch - goes back to the last one)"),
            )
        lock = self.git.git_dir() / "index.lock"
        if lock.exists():  # named first: the hints below (git restore, git commit) cannot run past it
            raise DubanError(
                _("git's index is locked (.git/index.lock exists)"),
                hint=_(
                    "another git command is running, or one was killed: if none is running, delete {name} and try again"
                ).format(name=lock),
            )
        ensure_merge_driver(self.git)
        tidy_files([task.path.parent])  # a killed write's temporary file (N21): under the lock, no writer runs
        shown = self.repo.display(task.path)
        if task.path.is_symlink():
            # A write would replace the link with a copy of the task it leads to, under this name
            # (a second task with the other's id: audit N15).
            raise DubanError(
                _("{path} is a symbolic link; duban does not write through it").format(path=shown),
                hint=_(
                    "record it on the task the link leads to ({target}), or put that file itself in the link's place"
                ).format(target=os.readlink(task.path)),
            )
        status = self.git.file_status(task.path)
        if status == "??":
            plan = self.repo.display(task.path.parent.parent)  # a fresh import: commit the whole plan
            raise DubanError(
                _("{path} has never been committed").format(path=shown),
                hint=_('commit the plan first: git add -- {plan} && git commit -m "导入 {plan}"').format(plan=plan),
            )
        if status:
            raise DubanError(
                _("{path} has changes that are not committed").format(path=shown),
                hint=_(
                    "see them with `git diff HEAD -- {path}`; commit them with `git commit -- {path}` "
                    "or drop them with `git restore -SW -- {path}`, then try again"
                ).format(path=shown),
            )

    def commit_text(self, task: Task, text: str, message: str) -> Recorded:
        found = check_task_text(task.path, text)
        problems = [p for p in found if p.is_error]
        if problems:
            raise InvalidEdit(problems)
        old = task.path.read_bytes()
        # A warning this change brings (a due before the plan was issued) is said with the commit.
        before = (
            {p.message for p in check_task_text(task.path, old.decode("utf-8", "replace"))}
            if any(not p.is_error for p in found)
            else set()
        )
        new_warnings = tuple(p.message for p in found if not p.is_error and p.message not in before)
        data = LineForm.of(old).encode(text)  # the file's own line endings and BOM kept (N19)
        if old == data:
            raise DubanError(_("{ref} already has these values; nothing was committed").format(ref=task.ref))
        write_atomically(task.path, data)
        try:
            sha = self.git.commit_paths([task.path], message)
        except BaseException as error:
            if self._landed(task, data):
                # The commit is in (Ctrl-C reached duban after git finished): keep the file as
                # committed rather than leave a change that undoes it.
                return Recorded(ref=task.ref, sha=self.git.head_commit(), message=message, path=task.path)
            self._put_back(task, old, error)
            raise
        return Recorded(ref=task.ref, sha=sha, message=message, path=task.path, warnings=new_warnings)

    def _landed(self, task: Task, data: bytes) -> bool:
        try:
            return self.git.show_file("HEAD", self.git.relative(task.path)) == data.decode("utf-8")
        except BaseException:
            return False

    def _clean(self, task: Task) -> bool:
        try:  # without optional locks: on a full disk git cannot write even its lock file
            result = self.git.run(
                "--no-optional-locks", "status", "--porcelain", "--", self.git.relative(task.path), check=False
            )
        except DubanError:
            return False
        return result.returncode == 0 and not result.stdout.strip()

    def _put_back(self, task: Task, old: bytes, cause: BaseException) -> None:
        """The commit failed: the old file back and its index entry as HEAD has it, so
        nothing is left staged. When even that fails (a full disk), say so truthfully."""
        shown = self.repo.display(task.path)
        unstaged = self.git.run("reset", "--quiet", "--", self.git.relative(task.path), check=False).returncode == 0
        try:
            write_atomically(task.path, old)
            restored = True
        except DubanError:
            restored = False
        if not (unstaged and restored) and not self._clean(task):
            raise DubanError(
                _("the commit failed ({cause}) and {path} could not be put back as it was").format(
                    cause=cause, path=shown
                ),
                hint=_(
                    "the new version is written or staged but not committed: once the cause is fixed, "
                    "`git restore -SW -- {path}` puts back the committed one"
                ).format(path=shown),
            ) from cause

    def change(
        self, ref: str, edit: Callable[[Task, CommentedMap], str], touches: tuple[str, ...] | None = None
    ) -> Recorded:
        """Load `ref` round-trip, let `edit(task, document)` change it and return the message, commit.

        `touches` names the fields the edit may change; the write is refused when any other
        field would read differently afterwards (YAML 1.1 and 1.2 disagree on a few plain
        scalars, such as 000_521e3, which a dump would rewrite as a number)."""
        self.git.check_repository()
        with self.repo.write_lock():
            tidy_plans(self.repo.root)  # a plan a killed import moved aside is back before it is looked up
            task = self.repo.resolve(ref)  # under the lock: another process may have written
            self.preflight(task)
            shown = self.repo.display(task.path)
            # Read as validate reads it (a BOM dropped, CRLF as LF: commit_text writes the file's
            # own form back); refused, in validate's words, when the writer reads it otherwise.
            text = yamlio.decode(task.path.read_bytes(), shown).replace("\r\n", "\n")
            writable.check(text, shown)
            document = yaml_round_trip.load_round_trip(text, shown)
            message = edit(task, document)
            new_text = yaml_round_trip.dump_round_trip(document)
            same_elsewhere(text, new_text, touches or (), shown)
            return self.commit_text(task, new_text, message)


def same_elsewhere(old: str, new: str, touched: tuple[str, ...], shown: str) -> None:
    """DubanError when a field outside `touched` reads differently in `new` than in `old`."""
    try:
        before, after = yamlio.load_fast(old, shown), yamlio.load_fast(new, shown)
    except yamlio.YamlError:
        return  # the new text's own problems are reported by the validation that follows
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return
    for key in before.keys() | after.keys():
        if key not in touched and before.get(key) != after.get(key):
            raise DubanError(
                _("writing {path} would also change its field {field!r}").format(path=shown, field=key),
                hint=_(
                    "a value there reads differently to YAML readers; quote it and try again "
                    "(`duban validate` points at it)"
                ),
            )


def _cannot_write(path: Path, error: OSError) -> DubanError:
    return DubanError(
        _("cannot write {path}: {reason}").format(path=path, reason=error.strerror),
        hint=_("check the folder's permissions and free space; nothing was changed"),
    )


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and a rename: old or new, never half.

    A failure (read-only folder, full disk) leaves the old file as it was and is reported
    as one line."""
    try:
        replace_file(path, data)
    except OSError as error:
        raise _cannot_write(path, error) from None
