"""`duban sync`: pull the other units' commits (merging task files field by field), then push ours."""
from __future__ import annotations

from dataclasses import dataclass

from duban.errors import DubanError
from duban.i18n import _, ngettext
from duban.gitstore import Git
from duban.locking import repository_lock
from duban.repository import Repository
from duban.scaffold import register_merge_driver


@dataclass
class SyncResult:
    remote: str
    branch: str
    pulled: int
    pushed: int
    merged: bool

    def describe(self) -> str:
        if self.pulled:
            pulled = ngettext("pulled {count} commit", "pulled {count} commits", self.pulled).format(count=self.pulled)
            pulled += _(" (merged)") if self.merged else ""
        else:
            pulled = _("nothing to pull")
        pushed = ngettext("pushed {count} commit", "pushed {count} commits", self.pushed).format(count=self.pushed) \
            if self.pushed else _("nothing to push")
        return f"{self.remote}/{self.branch}: {pulled}, {pushed}"


def sync(repo: Repository, remote: str | None = None) -> SyncResult:
    git = Git(repo.root)
    git.check_repository()
    with repository_lock(git.git_dir()):
        state = git.state_in_progress()
        if state:
            raise DubanError(_("a git {state} is in progress").format(state=state),
                             hint=_("finish or abort the {state}, then sync again").format(state=state))
        branch = git.out("rev-parse", "--abbrev-ref", "HEAD").strip()
        if branch == "HEAD":
            raise DubanError(_("HEAD is detached: sync works on a branch"), hint=_("git switch <branch> first"))
        remotes = git.out("remote").split()
        upstream_remote = git.run("config", f"branch.{branch}.remote", check=False).stdout.strip()
        remote = remote or upstream_remote or ("origin" if "origin" in remotes else (remotes[0] if remotes else None))
        if remote is None or remote not in remotes:
            raise DubanError(_("no remote {remote!r} to sync with").format(remote=remote) if remote
                             else _("this repository has no remote"),
                             hint=_("add the shared repository: git remote add origin <url>"))
        dirty = git.out("status", "--porcelain", "--untracked-files=no", "--", "plans")
        if dirty.strip():
            first = dirty.splitlines()[0][3:]
            raise DubanError(_("uncommitted changes in plans/ ({first} …)").format(first=first),
                             hint=_("record them with duban progress/set, commit them, or discard them, then sync"))
        register_merge_driver(git)  # clones do not carry git config: make sure the driver is there
        git.run("fetch", "--quiet", remote)
        remote_ref = f"refs/remotes/{remote}/{branch}"
        has_remote_branch = git.run("rev-parse", "--verify", "-q", remote_ref, check=False).returncode == 0
        pulled = 0
        merged = False
        if has_remote_branch:
            pulled = int(git.out("rev-list", "--count", f"HEAD..{remote_ref}").strip())
            if pulled:
                ahead = int(git.out("rev-list", "--count", f"{remote_ref}..HEAD").strip())
                result = git.run("merge", "--no-edit", "--quiet", remote_ref, check=False)
                if result.returncode != 0:
                    conflicted = git.out("diff", "--name-only", "--diff-filter=U").split()
                    if conflicted:
                        raise DubanError(_("the merge stopped on conflicting edits in {files}").format(
                            files=", ".join(conflicted)),
                            hint=_("both sides changed the same field; edit the files to keep the "
                                   "right value, then `git add` them and `git commit`, or "
                                   "`git merge --abort` to go back; then sync again"))
                    raise DubanError(_("git merge failed: {reason}").format(
                        reason=(result.stderr.strip().splitlines() or ["?"])[-1]))
                merged = ahead > 0
        if pulled:
            # Keep changed-path filters current: `git log -- path` (duban history) stays fast.
            git.run("commit-graph", "write", "--reachable", "--changed-paths", "--split", check=False)
        pushed = int(git.out("rev-list", "--count", f"{remote_ref}..HEAD").strip()) if has_remote_branch \
            else int(git.out("rev-list", "--count", "HEAD").strip())
        if pushed:
            result = git.run("push", "--quiet", "--set-upstream", remote, f"HEAD:refs/heads/{branch}", check=False)
            if result.returncode != 0:
                raise DubanError(_("push was refused: {reason}").format(
                    reason=(result.stderr.strip().splitlines() or ["?"])[-1]),
                    hint=_("someone pushed meanwhile: run duban sync again"))
        return SyncResult(remote, branch, pulled, pushed, merged)
