"""Where a plan repository's parts are on disk, and finding its root: kept apart from the
repository's reading so that a command can find the root, and start git's look at it, before
it loads the model (cli.context.start_reading)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from duban.errors import RepositoryNotFound
from duban.i18n import _

ENV_VAR = "DUBAN_REPO"
PLANS = "plans"
PLAN_FILE = "plan.yaml"
TASKS = "tasks"
TASK_SUFFIXES = (".yaml", ".yml")
SEAL_REFS = "refs/tags/duban/seal"  # a seal is an annotated tag SEAL_REFS/PLAN-ID/DEADLINE (supervise.seals)
_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1 or SHA-256


def git_folder(root: Path) -> Path | None:
    """The repository's git folder for the work tree at `root`: `.git` itself, or the folder
    a `.git` file names (`gitdir: …`, in a linked work tree or a submodule); None without one.
    Read from the file, as a process would cost ~5 ms on every command."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    try:
        text = dot_git.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith("gitdir:"):
        return None
    folder = (root / text[len("gitdir:") :].strip()).resolve()
    return folder if folder.is_dir() else None


def common_git_folder(git_dir: Path) -> Path:
    """Where the refs shared by every work tree are: the folder a linked work tree's `commondir`
    names, else the git folder itself."""
    try:
        return (git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip()).resolve()
    except (OSError, UnicodeDecodeError):
        return git_dir


def head_from_files(git_dir: Path) -> str | None:
    """HEAD's commit where git's files say it plainly: a detached HEAD's id, or the id in the
    loose file of the branch HEAD names (a branch's file is replaced whole by a rename, so
    it is read as it was before a commit or after, never half). None when they do not say
    it plainly (a packed or reftable branch, a branch with no commit yet, anything else):
    then git must be asked. Recording a report asked git for HEAD six times, each a process."""
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if _OBJECT_ID.fullmatch(head):
            return head
        name = head.removeprefix("ref:").strip()
        parts = name.split("/")
        if not head.startswith("ref:") or parts[:2] != ["refs", "heads"] or ".." in parts or "" in parts:
            return None
        branch = (common_git_folder(git_dir).joinpath(*parts)).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return branch if _OBJECT_ID.fullmatch(branch) else None


def may_have_seals(root: Path) -> bool:
    """False when the repository's own .git plainly holds no seal: spares every `list` the
    git processes of asking, and the seals module's import (a linked work tree or an odd
    layout is always asked)."""
    dot_git = root / ".git"
    if not dot_git.is_dir():
        return True
    if (dot_git / "refs" / "tags" / "duban" / "seal").exists():
        return True
    if (dot_git / "duban-seals" / "state.json").exists():
        return True  # seals this clone saw, deleted since: still judged by (supervise.seals.memory.Memory)
    try:
        return SEAL_REFS.encode() in (dot_git / "packed-refs").read_bytes()
    except OSError:
        return False


def find_root(start: Path | None = None, explicit: str | os.PathLike[str] | None = None) -> Path:
    """The repository root: `explicit`, else $DUBAN_REPO, else the nearest folder with plans/."""
    chosen = explicit or os.environ.get(ENV_VAR)
    if chosen:
        root = Path(chosen).expanduser().resolve()
        if not root.is_dir():
            raise RepositoryNotFound(
                _("{root} does not exist or is not a folder").format(root=root),
                hint=_("check the path given by --repo or DUBAN_REPO"),
            )
        if not (root / PLANS).is_dir():
            raise RepositoryNotFound(
                _("{root} is not a plan repository (it has no {plans}/ folder)").format(root=root, plans=PLANS),
                hint=_("run `duban init` there, or point --repo at one"),
            )
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PLANS).is_dir():
            return folder
    raise RepositoryNotFound(
        _("no plan repository here: no {plans}/ folder in {here} or above").format(plans=PLANS, here=here),
        hint=_("cd into one, pass --repo DIR or set DUBAN_REPO; `duban init` makes one here"),
    )
