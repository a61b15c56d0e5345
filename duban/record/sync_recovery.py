"""What `duban sync` leaves in .git while it merges, and how the next sync recovers from it.

Before merging, sync writes .git/duban-sync: `merging <their commit>`. A sync killed while
merging leaves that marker, and the next sync undoes what the killed one half did (the
merge is aborted, files it half checked out are put back, with a copy of each kept) and
merges again. When sync stops for a person (a conflict, a merged plan that does not
validate) the marker says `stopped`; the next sync then checks the person's resolution
(no conflict markers left, no validation error, every report of both sides still there)
and commits it. A merge in progress that sync did not start is only explained. Locks left
by a killed git are named before anything is changed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from duban import progress as progress_layout
from duban.errors import DubanError
from duban.i18n import _
from duban.store import yamlio
from duban.store.checkpoints import step
from duban.store.files import replace_file
from duban.store.gitstore import Git
from duban.store.repository import Repository

MARKER = "duban-sync"
SAVED = "duban-sync-saved"


@dataclass
class State:
    state: str  # "merging" or "stopped"
    theirs: str  # the commit being merged


class Marker:
    def __init__(self, git: Git) -> None:
        self.path = git.git_dir() / MARKER

    def read(self) -> State | None:
        try:
            state, theirs = self.path.read_text(encoding="utf-8").split()[:2]
        except (OSError, ValueError):
            return None
        return State(state, theirs)

    def write(self, state: str, theirs: str) -> None:
        try:
            replace_file(self.path, f"{state} {theirs}\n".encode())
        except OSError as error:
            raise DubanError(
                _("cannot write {path}: {reason}").format(path=self.path, reason=error.strerror),
                hint=_("nothing was changed; free some space (or fix the folder's permissions), then sync again"),
            ) from None

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def check_index_lock(git: Git) -> None:
    """Name a lock a killed git left behind, before anything is merged."""
    git_dir = git.git_dir()
    branch = git.run("symbolic-ref", "-q", "HEAD", check=False).stdout.strip()
    for name in ("index.lock", "HEAD.lock", *([f"{branch}.lock"] if branch else [])):
        lock = git_dir / name
        if lock.exists():
            raise DubanError(
                _("git's lock file {name} exists").format(name=lock),
                hint=_(
                    "another git command is running, or one was killed: if none is running, "
                    "delete {name} and sync again; nothing was changed"
                ).format(name=lock),
            )


def check_clean(git: Git) -> None:
    dirty = git.status("plans")
    if dirty:
        first = dirty[0][1]
        for _code, path in dirty:
            _check_readable(git.root / path)  # git lists a file it cannot read as changed (N20)
        raise DubanError(
            _("uncommitted changes in plans/ ({first} …)").format(first=first),
            hint=_("record them with duban progress/set, commit them, or discard them, then sync"),
        )


def _check_readable(path: Path) -> None:
    try:
        with open(path, "rb"):
            pass
    except FileNotFoundError:
        return  # deleted: a change like any other
    except OSError as error:
        raise DubanError(
            _("cannot read {path}: {reason}").format(path=path, reason=error.strerror),
            hint=_("give yourself read access to it (chmod u+r), then sync again; nothing was changed"),
        ) from None


def unwritable_folder(git: Git, theirs: str) -> Path | None:
    """The first folder a merge of `theirs` would write in that this user cannot write in."""
    changed = git.run("diff", "--name-only", "-z", "--no-renames", "HEAD", theirs, check=False).stdout.split("\0")
    for folder in dict.fromkeys((git.root / name).parent for name in changed if name):
        existing = folder
        while not existing.exists() and existing != git.root:
            existing = existing.parent
        if not os.access(existing, os.W_OK):
            return existing
    return None


def conflicted_files(git: Git) -> list[tuple[str, str]]:
    """(status, path) of the unmerged files: UU both changed, AA both added, DU/UD one deleted."""
    found = []
    for code, path in git.status():
        if code in ("UU", "AA", "DU", "UD", "AU", "UA", "DD"):
            found.append((code, path))
    return found


def conflict_error(conflicted: list[tuple[str, str]]) -> DubanError:
    deleted = [path for code, path in conflicted if code in ("DU", "UD")]
    added = [path for code, path in conflicted if code in ("AA", "AU", "UA")]
    changed = [path for code, path in conflicted if code not in ("DU", "UD", "AA", "AU", "UA")]
    parts = []
    if changed:
        parts.append(_("both sides changed the same field of {files}").format(files=", ".join(changed)))
    if deleted:
        parts.append(_("one side deleted {files} and the other changed it").format(files=", ".join(deleted)))
    if added:
        parts.append(_("both sides added {files}").format(files=", ".join(added)))
    hints = []
    if changed or added:
        hints.append(
            _(
                "the reports of both sides are already merged outside the markers: keep the right "
                "value between <<<<<<< and >>>>>>>, `git add` the files, then run duban sync again, "
                "which checks and commits the merge (or `git merge --abort` to go back)"
            )
        )
    if deleted:
        # A deleted file has no markers: the choice is the whole file (N20).
        hints.append(
            _(
                "to keep the deletion, `git rm` {files}; to keep the task with the other side's "
                "changes, `git add` {files}; then run duban sync again, which checks and commits the "
                "merge (or `git merge --abort` to go back)"
            ).format(files=" ".join(deleted))
        )
    return DubanError(_("the merge stopped: {what}").format(what="; ".join(parts)), hint="; ".join(hints))


def abandon_merge(git: Git) -> None:
    """Undo a merge sync started and could not finish, so no half-merge is left behind."""
    if (git.git_dir() / "MERGE_HEAD").exists():
        git.run("merge", "--abort", check=False)
    Marker(git).remove()


def _remove_leftovers(git: Git) -> None:
    """git writes a merge driver's inputs as .merge_file_* in the work tree; a kill leaves them."""
    for path in git.root.glob(".merge_file_*"):
        if git.run("ls-files", "--error-unmatch", "--", path.name, check=False).returncode != 0:
            path.unlink(missing_ok=True)


def _put_back(git: Git, theirs: str) -> int:
    """Files a killed sync half checked out, put back as HEAD has them; a copy of each changed
    file is kept under .git/duban-sync-saved/. Untracked files are removed only when they are
    exactly the incoming version."""
    entries = git.out("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "plans").split("\0")
    saved = git.git_dir() / SAVED / dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    count = 0
    for entry in entries:
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        file = git.root / path
        if code == "??":
            # Only a file HEAD does not have and the index does not track (any more: an entry
            # listed before it may have been put back above) is the incoming version left
            # behind. A task file HEAD has is never removed from the work tree, even when the
            # index lost its entry and the other side's version is the same: that removal was
            # the work-tree file lost in a kill-heavy run (audit §3.1).
            if (
                git.run("cat-file", "-e", f"HEAD:{path}", check=False).returncode == 0
                or git.run("ls-files", "--error-unmatch", "--", path, check=False).returncode == 0
            ):
                if git.run("cat-file", "-e", f"HEAD:{path}", check=False).returncode == 0:
                    git.run("reset", "-q", "HEAD", "--", path, check=False)  # the index entry back
                continue
            incoming = git.run("cat-file", "blob", f"{theirs}:{path}", check=False)
            if incoming.returncode == 0 and file.is_file() and file.read_bytes() == incoming.stdout.encode("utf-8"):
                file.unlink()
                count += 1
            continue
        if file.is_file():
            target = saved / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)
        if git.run("cat-file", "-e", f"HEAD:{path}", check=False).returncode == 0:
            git.run("checkout", "HEAD", "--", path)
        else:
            git.run("rm", "--cached", "-q", "-f", "--", path, check=False)
            file.unlink(missing_ok=True)
        count += 1
    return count


def recover(git: Git, repo: Repository) -> str:
    """Deal with whatever an earlier sync or git left; returns what was done ('' if nothing)."""
    state = git.state_in_progress()
    marker = Marker(git).read()
    if state is None and marker is None:
        return ""
    check_index_lock(git)
    _remove_leftovers(git)
    if marker is None and state == "merge" and _merges_shared_work(git):
        return _adopt_plain_merge(git, repo)
    if marker is None:
        raise DubanError(
            _("a git {state} is in progress that duban sync did not start").format(state=state),
            hint=_(
                "finish it (git {state} --continue, or git commit) or abort it (git {state} --abort), then sync again"
            ).format(state=state),
        )
    if marker.state == "merging":
        if state not in (None, "merge"):
            raise DubanError(
                _("a git {state} is in progress").format(state=state),
                hint=_("finish or abort the {state}, then sync again").format(state=state),
            )
        abandon_merge(git)
        if (git.git_dir() / "MERGE_HEAD").exists():
            raise DubanError(
                _("an interrupted sync left a merge that git could not undo"),
                hint=_("undo it with `git merge --abort` (or `git reset --merge`), then sync again"),
            )
        restored = _put_back(git, marker.theirs)
        Marker(git).remove()
        return _("an interrupted sync was undone ({count} files put back); merging again").format(count=restored)
    # "stopped": a person was asked to resolve a conflict or fix the merged plan.
    if state is None:
        Marker(git).remove()
        head_parents = git.out("rev-list", "--parents", "-n", "1", "HEAD").split()[1:]
        if marker.theirs in head_parents:  # the person committed the merge with git
            check_reports(git, head_parents[0], marker.theirs, "HEAD")
        return ""
    if state != "merge":
        raise DubanError(
            _("a git {state} is in progress").format(state=state),
            hint=_("finish or abort the {state}, then sync again").format(state=state),
        )
    conflicted = conflicted_files(git)
    if conflicted:
        raise conflict_error(conflicted)
    conclude(git, repo, marker.theirs, message=None)
    return _("the merge you resolved was checked and committed")


def _merge_head(git: Git) -> str:
    return (git.git_dir() / "MERGE_HEAD").read_text(encoding="utf-8").split()[0]


def _merges_shared_work(git: Git) -> bool:
    """Whether the merge in progress brings in commits a remote already has (a `git pull`
    or `git merge origin/main` made without duban's driver), not some private branch."""
    contains = git.run(
        "for-each-ref", "--contains", _merge_head(git), "--format=%(refname)", "refs/remotes", check=False
    )
    return contains.returncode == 0 and bool(contains.stdout.strip())


def _adopt_plain_merge(git: Git, repo: Repository) -> str:
    """Finish a merge plain git started (no driver: a fresh clone's `git pull`, a forge's
    "resolve locally"): each conflicted task file is merged again with duban's driver
    (`git checkout -m` runs it), then the whole merge is checked and committed like sync's own."""
    # Deferred: loads duban.record.scaffold only when this runs
    from duban.record.scaffold import register_merge_driver

    register_merge_driver(git)
    theirs = _merge_head(git)
    for code, path in conflicted_files(git):
        if code != "UU" or "/tasks/" not in path:
            continue
        git.run("checkout", "-m", "--", path, check=False)
        text = (git.root / path).read_text(encoding="utf-8", errors="replace")
        if not any(line.startswith(("<<<<<<< ", ">>>>>>> ")) for line in text.splitlines()):
            git.run("add", "--", path)
    remaining = conflicted_files(git)
    if remaining:
        Marker(git).write("stopped", theirs)
        raise conflict_error(remaining)
    conclude(git, repo, theirs, message=None)
    return _("the merge git had started was finished with duban's merge driver, checked and committed")


def plan_errors(git: Git, repo: Repository) -> list[str]:
    """Validation errors, as `path:line:col: message`, in the plans the merge changes."""
    # Deferred: loads duban.validate.validation (17 duban modules in all) only when this runs
    from duban.validate.validation import validate

    changed = git.names("diff", "--name-only", "--cached", "HEAD", "--", "plans")
    plans = sorted({Path(*Path(path).parts[:2]) for path in changed if len(Path(path).parts) >= 3})
    folders = [git.root / plan for plan in plans if (git.root / plan).is_dir()]
    if not folders:
        return []
    whole = {str(Path(path).parent) for path in changed if Path(path).name == "plan.yaml"}
    report = validate(folders, root=repo.root)
    return [
        problem.format()
        for problem in report.problems
        if problem.is_error and (problem.path in changed or any(problem.path.startswith(plan + "/") for plan in whole))
    ]


_LISTED = 20  # subjects of merged commits a merge's message lists; the rest are counted


def merge_message(git: Git, theirs: str, label: str | None) -> str:
    """A merge's message in the plan's language, for a reviewer on a forge: what was merged
    (`label`: origin/main, a bundle's sender; else the commit) and the subjects it brought."""
    subjects = git.run("log", "--no-merges", "--format=%s", f"HEAD..{theirs}", check=False).stdout.splitlines()
    lines = [f"合并 {label or theirs[:10]}:{len(subjects)} 项记录", ""]
    lines += [f"- {subject}" for subject in subjects[:_LISTED]]
    if len(subjects) > _LISTED:
        lines.append(f"- 另有 {len(subjects) - _LISTED} 项")
    return "\n".join(lines) + "\n"


def conclude(git: Git, repo: Repository, theirs: str, message: str | None) -> None:
    """Check a merge in progress and commit it: no conflict markers, no worktree change left
    out of the index, no new validation error, no report of either side lost."""
    unstaged = git.names("diff", "--name-only", "--", "plans")
    if unstaged:
        Marker(git).write("stopped", theirs)
        raise DubanError(
            _("{files} changed after `git add`").format(files=", ".join(unstaged[:5])),
            hint=_("`git add` them again, then sync"),
        )
    staged = git.names("diff", "--name-only", "--cached", "HEAD", "--", "plans")
    marked = [
        p
        for p in staged
        if (git.root / p).is_file()
        and any(
            line.startswith(("<<<<<<< ", ">>>>>>> "))
            for line in (git.root / p).read_text(encoding="utf-8", errors="replace").splitlines()
        )
    ]
    if marked:
        Marker(git).write("stopped", theirs)
        raise DubanError(
            _("conflict markers are still in {files}").format(files=", ".join(marked)),
            hint=_("keep the right value between <<<<<<< and >>>>>>>, `git add`, then sync again"),
        )
    errors = plan_errors(git, repo)
    if errors:
        Marker(git).write("stopped", theirs)
        shown = "; ".join(errors[:3]) + (
            _(" and {count} more").format(count=len(errors) - 3) if len(errors) > 3 else ""
        )
        raise DubanError(
            _("the merged plan does not validate, so it was not committed or pushed: {problems}").format(
                problems=shown
            ),
            hint=_(
                "fix the files (see duban validate), `git add` them and run duban sync again, "
                "or `git merge --abort` to go back"
            ),
        )
    check_reports(git, "HEAD", theirs, None)
    Marker(git).write("stopped", theirs)  # a failing commit (no identity) leaves it for the next sync
    git.run("commit", "--quiet", "--no-verify", "-F", "-", input=merge_message(git, theirs, message))
    step("merge:committed")
    Marker(git).remove()


def _report_lists(texts: list[str | None]) -> list[list[Any]]:
    lists = []
    for text in texts:
        try:
            doc = yamlio.load_fast(text, "task") if text and text.strip() else {}
        except yamlio.YamlError:
            doc = {}
        lists.append(progress_layout.flat(doc.get("progress")) if isinstance(doc, dict) else [])
    return lists


def check_reports(git: Git, ours: str, theirs: str, result: str | None) -> None:
    """Every report either side added since their common commit is in the result
    (`result` None: the work tree), unless the task file itself is gone. The versions are
    read with one `git cat-file --batch`, so a merge of many files stays quick."""
    base = git.run("merge-base", ours, theirs, check=False).stdout.strip()
    if not base:
        return
    changed: set[str] = set()
    for side in (ours, theirs):
        changed |= {
            p
            for p in git.names("diff", "--name-only", base, side, "--", "plans")
            if p.endswith((".yaml", ".yml")) and "/tasks/" in p
        }
    paths = sorted(changed)
    if result is None:
        paths = [path for path in paths if (git.root / path).exists()]
    revisions = [base, ours, theirs] + ([result] if result else [])
    blobs = git.cat_files([f"{revision}:{path}" for revision in revisions for path in paths])
    by_revision = [blobs[i * len(paths) : (i + 1) * len(paths)] for i in range(len(revisions))]
    if result is None:
        by_revision.append([(git.root / path).read_text(encoding="utf-8", errors="replace") for path in paths])
    old, ours_lists, theirs_lists, kept_lists = (_report_lists(texts) for texts in by_revision)
    for index, path in enumerate(paths):
        if result is not None and by_revision[3][index] is None:
            continue  # the task file is gone from the result: a deletion, not a lost report
        for side, reports in ((ours, ours_lists[index]), (theirs, theirs_lists[index])):
            for report in reports:
                if report not in old[index] and report not in kept_lists[index]:
                    shown = (
                        f"{report.get('date', '?')} {report.get('by', '')}".strip()
                        if isinstance(report, dict)
                        else str(report)
                    )
                    raise DubanError(
                        _("the merge drops the report of {report} in {path}").format(report=shown, path=path),
                        hint=_(
                            "put the report back (it is in commit {sha}), `git add` and sync again; "
                            "if the merge was committed already: git reset --keep HEAD~1, then sync again"
                        ).format(sha=side[:10]),
                    )
