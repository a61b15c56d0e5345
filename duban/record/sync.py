"""`duban sync`: pull the other units' commits (merging task files field by field), then push ours.

sync follows the branch's upstream (`branch.<name>.remote` and `.merge`), fetches outside
the repository lock with a time limit, merges without committing, checks the merged plans
and commits only a merge that adds no validation error. A sync that is interrupted (killed,
a stale lock, a conflict left for a person) is recognised by the next one through a marker
in .git (see duban.record.sync_recovery), which recovers what it left or explains what to do.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from duban.errors import DubanError
from duban.i18n import _, ngettext
from duban.record import sync_recovery
from duban.record.scaffold import register_merge_driver
from duban.record.sync_recovery import Marker
from duban.store.checkpoints import step
from duban.store.gitstore import Git
from duban.store.leftovers import tidy
from duban.store.repository import Repository

DEFAULT_TIMEOUT = 120.0  # seconds for one fetch or push; DUBAN_SYNC_TIMEOUT overrides it


@dataclass
class SyncResult:
    remote: str
    branch: str
    pulled: int
    pushed: int
    merged: bool
    recovered: str = ""
    seal_warnings: list[str] = field(default_factory=list)  # the remote's seals that differ from this clone's

    def describe(self) -> str:
        if self.pulled:
            pulled = ngettext("pulled {count} commit", "pulled {count} commits", self.pulled).format(count=self.pulled)
            pulled += _(" (merged)") if self.merged else ""
        else:
            pulled = _("nothing to pull")
        pushed = (
            ngettext("pushed {count} commit", "pushed {count} commits", self.pushed).format(count=self.pushed)
            if self.pushed
            else _("nothing to push")
        )
        line = f"{self.remote}/{self.branch}: {pulled}, {pushed}"
        return f"{self.recovered}\n{line}" if self.recovered else line


@dataclass
class Upstream:
    remote: str
    branch: str  # the branch's name on the remote
    configured: bool  # branch.<name>.merge names it, on this remote
    has_upstream: bool = True  # the branch has an upstream at all (else the push sets it)

    @property
    def tracking_ref(self) -> str:
        return f"refs/remotes/{self.remote}/{self.branch}"


def timeout_from_environment() -> float:
    text = os.environ.get("DUBAN_SYNC_TIMEOUT", "")
    try:
        return float(text) if text and float(text) > 0 else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


def _upstream(git: Git, branch: str, remote: str | None) -> Upstream:
    remotes = git.out("remote").split()
    configured_remote = git.run("config", f"branch.{branch}.remote", check=False).stdout.strip()
    merge = git.run("config", f"branch.{branch}.merge", check=False).stdout.strip()
    chosen = remote or configured_remote or ("origin" if "origin" in remotes else (remotes[0] if remotes else None))
    if chosen is None or chosen not in remotes:
        raise DubanError(
            _("no remote {remote!r} to sync with").format(remote=chosen)
            if chosen
            else _("this repository has no remote"),
            hint=_("add the shared repository: git remote add origin <url>"),
        )
    if merge.startswith("refs/heads/") and configured_remote == chosen:
        return Upstream(chosen, merge.removeprefix("refs/heads/"), True)
    return Upstream(chosen, branch, False, has_upstream=bool(merge))


def _check_no_other_branch(git: Git, upstream: Upstream, branch: str) -> None:
    """With no upstream set, sync would create a branch on the remote that nobody else
    follows: refuse when the remote already has branches and none has this name (H4)."""
    if upstream.configured or _exists(git, upstream.tracking_ref):
        return
    prefix = f"refs/remotes/{upstream.remote}/"
    names = [
        ref.removeprefix(prefix)
        for ref in git.out("for-each-ref", "--format=%(refname)", prefix).split()
        if ref != prefix + "HEAD"
    ]
    if names:
        shown = ", ".join(names[:5])
        raise DubanError(
            _(
                "{remote} has no branch {branch} (it has {names}); sync would start a new branch "
                "that the other units do not see"
            ).format(remote=upstream.remote, branch=branch, names=shown),
            hint=_("share the existing branch: git branch --set-upstream-to={remote}/{name}, then sync again").format(
                remote=upstream.remote, name=names[0]
            ),
        )


def _exists(git: Git, ref: str) -> bool:
    return git.run("rev-parse", "--verify", "-q", ref, check=False).returncode == 0


def _count(git: Git, revisions: str) -> int:
    return int(git.out("rev-list", "--count", revisions).strip())


def sync(repo: Repository, remote: str | None = None, timeout: float | None = None) -> SyncResult:
    git = repo.git
    git.check_repository()
    limit = timeout or timeout_from_environment()
    branch = git.out("rev-parse", "--abbrev-ref", "HEAD").strip()
    if branch == "HEAD":
        raise DubanError(_("HEAD is detached: sync works on a branch"), hint=_("git switch <branch> first"))
    with repo.write_lock():
        tidy(repo.root)  # what killed writers left in plans/ (N21)
        recovered = sync_recovery.recover(git, repo)
        sync_recovery.check_index_lock(git)  # a killed git's lock first: nothing can be cleaned up past it
        sync_recovery.check_clean(git)
        register_merge_driver(git)  # clones do not carry git config: make sure the driver is there
    upstream = _upstream(git, branch, remote)
    # The fetch changes only remote-tracking refs: it runs without the lock, so a stalled
    # remote never stops this clone's other writers, and it stops after `limit` seconds.
    failed = fetch(git, upstream.remote, limit)
    if failed:
        raise DubanError(_("cannot fetch from {remote}: {reason}").format(remote=upstream.remote, reason=failed))
    _check_no_other_branch(git, upstream, branch)
    # Deferred: loads duban.supervise.seals.remote (8 duban modules in all) only when this runs
    from duban.supervise.seals.remote import after_fetch

    seal_warnings, seal_pushes = after_fetch(repo, git, upstream.remote)
    with repo.write_lock():
        recovered = sync_recovery.recover(git, repo) or recovered  # another sync may have run meanwhile
        sync_recovery.check_index_lock(git)
        sync_recovery.check_clean(git)
        has_remote_branch = _exists(git, upstream.tracking_ref)
        pulled, merged = (
            merge_in(git, repo, upstream.tracking_ref, f"{upstream.remote}/{upstream.branch}")
            if has_remote_branch
            else (0, False)
        )
        pushed = _count(git, f"{upstream.tracking_ref}..HEAD") if has_remote_branch else _count(git, "HEAD")
        head = git.head_commit()
        if pushed and has_remote_branch:
            _check_merges_to_push(git, upstream)
    # The push, like the fetch, runs without the lock (N6): it sends the commit checked above by
    # its id, so a commit made meanwhile waits for the next sync, and a stalled remote never
    # holds this clone's other writers for the time limit.
    if pushed:
        _push(git, upstream, limit, head)
    if seal_pushes:  # after the branch, so a seal never reaches the remote before its commit
        # Deferred: loads duban.supervise.seals.remote (8 duban modules in all) only when this runs
        from duban.supervise.seals.remote import push_seals

        seal_warnings += push_seals(git, upstream.remote, seal_pushes, limit)
    return SyncResult(upstream.remote, upstream.branch, pulled, pushed, merged, recovered, seal_warnings)


def merge_in(git: Git, repo: Repository, ref: str, label: str) -> tuple[int, bool]:
    """Merge `ref` into HEAD as sync merges a remote's branch (the caller holds the lock and has
    recovered and checked the clone): a fast-forward, or a merge with duban's driver checked and
    committed by sync_recovery.conclude. Returns (commits brought in, whether a merge was made).
    `duban sync --from FILE` merges a bundle's head through here too."""
    pulled = _count(git, f"HEAD..{ref}")
    merged = False
    if pulled:
        ahead = _count(git, f"{ref}..HEAD")
        theirs = git.out("rev-parse", ref).strip()
        if ahead:
            _merge(git, repo, ref, theirs, label)
            merged = True
        else:
            _fast_forward(git, ref, theirs)
        # Keep changed-path filters current: `git log -- path` (duban history) stays fast.
        git.run("commit-graph", "write", "--reachable", "--changed-paths", "--split", check=False)
    return pulled, merged


def fetch(git: Git, remote: str, limit: float) -> str:
    """Fetch `remote` as configured, and its seals into duban's refs for them (every seal tag
    as the remote holds it now, replaced or deleted ones too); "" or why it failed."""
    # Deferred: loads duban.supervise.seals.tags (3 duban modules in all) only when this runs
    from duban.supervise.seals.tags import REMOTE_SEALS

    refspecs = git.run("config", "--get-all", f"remote.{remote}.fetch", check=False).stdout.split() or [
        f"+refs/heads/*:refs/remotes/{remote}/*"
    ]
    # The remote's seals as it holds them now: last time's are dropped first, so one deleted
    # there is missing here too (this clone's memory still names it).
    stale = git.out("for-each-ref", "--format=%(refname)", f"{REMOTE_SEALS}/{remote}/").split()
    if stale:
        git.run("update-ref", "--stdin", input="".join(f"delete {ref}\n" for ref in stale), check=False)
    fetched = git.run_bounded(
        "fetch", "--quiet", remote, *refspecs, f"+refs/tags/duban/seal/*:{REMOTE_SEALS}/{remote}/*", timeout=limit
    )
    return _last_line(fetched.stderr) if fetched.returncode != 0 else ""


def _check_merges_to_push(git: Git, upstream: Upstream) -> None:
    """A merge made outside sync (git commit after a killed merge, a hand resolution) is
    pushed only if it kept every report both of its parents added."""
    for line in git.out("rev-list", "--merges", "--parents", f"{upstream.tracking_ref}..HEAD").splitlines():
        sha, *parents = line.split()
        if len(parents) == 2:
            sync_recovery.check_reports(git, parents[0], parents[1], sha)


def _fast_forward(git: Git, ref: str, theirs: str) -> None:
    Marker(git).write("merging", theirs)
    result = git.run("merge", "--ff-only", "--quiet", ref, check=False)
    if result.returncode != 0:
        sync_recovery.abandon_merge(git)
        raise _merge_failure(result.stderr, _put_back_files(git), sync_recovery.unwritable_folder(git, theirs))
    step("merge:fast-forwarded")
    Marker(git).remove()


def _merge(git: Git, repo: Repository, ref: str, theirs: str, message: str) -> None:
    Marker(git).write("merging", theirs)
    result = git.run("merge", "--no-ff", "--no-commit", "--quiet", ref, check=False, env={"GIT_MERGE_AUTOEDIT": "no"})
    if result.returncode != 0:
        conflicted = sync_recovery.conflicted_files(git)
        if conflicted:
            Marker(git).write("stopped", theirs)
            raise sync_recovery.conflict_error(conflicted)
        sync_recovery.abandon_merge(git)
        raise _merge_failure(result.stderr, _put_back_files(git), sync_recovery.unwritable_folder(git, theirs))
    step("merge:merged")
    sync_recovery.conclude(git, repo, theirs, message=message)


_UNTRACKED = re.compile(r"untracked working tree files would be overwritten by merge:\n((?:\t.*\n?)+)")


def _put_back_files(git: Git) -> list[str]:
    """After a merge git could not finish (a full disk), the task files it changed in the work
    tree, put back as HEAD has them; those that could not be put back (N10)."""
    changed = [path for _code, path in git.status("plans")]
    if changed:
        git.run("checkout", "-q", "HEAD", "--", *changed, check=False)
        changed = [path for _code, path in git.status("plans")]
    return changed


def _merge_failure(stderr: str, left: list[str] | None = None, unwritable: Path | None = None) -> DubanError:
    """What stopped a merge git could not finish; `left`, the files that could not be put back;
    `unwritable`, a folder the merge had to write in and may not (git says only "Merge with
    strategy ort failed" or "unable to unlink": N20)."""
    untracked = _UNTRACKED.search(stderr)
    if untracked:
        files = [line.strip() for line in untracked.group(1).splitlines() if line.strip()]
        return DubanError(
            _("the merge would overwrite files that git does not track: {files}").format(files=", ".join(files[:5])),
            hint=_("move them out of the way (or add and commit them), then sync again; nothing was changed"),
        )
    if "unrelated histories" in stderr:
        return DubanError(
            _("this repository and the remote have no commit in common"),
            hint=_(
                "every unit after the first clones the shared repository "
                "(git clone <url>, then duban init in the clone) instead of running duban init"
            ),
        )
    if unwritable is not None and not left:
        return DubanError(
            _("cannot write in {folder}: permission denied").format(folder=unwritable),
            hint=_(
                "the merge needs to change files there: give yourself write access (chmod u+w), "
                "then sync again; nothing was changed"
            ),
        )
    if left:
        return DubanError(
            _("git merge failed: {reason}").format(reason=_last_line(stderr)),
            hint=_(
                "the merge stopped half-way and {files} could not be put back: free some space, "
                "then `git restore --source=HEAD --staged --worktree {files}` and sync again"
            ).format(files=" ".join(left[:5])),
        )
    return DubanError(
        _("git merge failed: {reason}").format(reason=_last_line(stderr)),
        hint=_("nothing was changed; the merge was undone"),
    )


def _last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not line.lstrip().startswith("hint:")]
    return (lines[-1] if lines else "?").removeprefix("fatal: ").removeprefix("error: ")


def _push(git: Git, upstream: Upstream, limit: float, head: str) -> None:
    command = ["push", "--quiet", "--porcelain"]
    if not upstream.has_upstream:
        command.append("--set-upstream")
        head = "HEAD"  # --set-upstream needs the branch by name; a first push has no one to race
    result = git.run_bounded(*command, upstream.remote, f"{head}:refs/heads/{upstream.branch}", timeout=limit)
    if result.returncode == 0:
        return
    text = result.stderr + result.stdout
    if "refusing to update checked out branch" in text or "branch is currently checked out" in text:
        raise DubanError(
            _("the remote has branch {branch} checked out, so git refuses to push to it").format(
                branch=upstream.branch
            ),
            hint=_("share a bare repository (git clone --bare) instead"),
        )
    if "unpacker error" in text or "unpack failed" in text or "No space left" in text:
        raise DubanError(
            _("the remote could not store the commits ({reason})").format(reason=_last_line(text)),
            hint=_("its disk may be full: tell whoever keeps the shared repository; your commits are kept here"),
        )
    if "pre-receive hook declined" in text or "hook declined" in text:
        # The shared repository's guard (duban guard) said why, one line per refused commit.
        reasons = [
            line.partition("remote:")[2].strip()
            for line in text.splitlines()
            if line.startswith("remote:") and line.partition("remote:")[2].strip()
        ]
        raise DubanError(
            _("the shared repository refused the push: {reasons}").format(
                reasons="; ".join(reasons) or _last_line(text)
            ),
            hint=_(
                "your commits are kept here; take the refused one back with duban undo, "
                "or ask the office to make the change"
            ),
        )
    # A lost race reads "rejected" (fetch first) or, when both pushes reach the remote at once,
    # "cannot lock ref" / "failed to update ref" / "incorrect old value" (N18): one message for all.
    if any(
        words in text
        for words in (
            "[rejected]",
            "fetch first",
            "non-fast-forward",
            "cannot lock ref",
            "failed to update ref",
            "incorrect old value",
        )
    ):
        raise DubanError(
            _("push was refused: someone pushed meanwhile"), hint=_("run duban sync again; your commits are kept")
        )
    raise DubanError(
        _("push failed: {reason}").format(reason=_last_line(result.stderr)),
        hint=_("your commits are kept here; sync again once the remote accepts them"),
    )
