"""What a killed duban leaves in plans/, put right by the next one that writes there.

A write replaces a file through a temporary `.NAME.XXXXXXXX.tmp` beside it (files.replace_file).
`import --replace` builds the new plan in `.PLAN.new-XXXXXXXX/` and swaps it in, moving the
old one to `.PLAN.old-PID/` for the moment between two renames. A SIGKILL between those steps
leaves them behind, and in the worst moment the plan folder itself moved aside (audit N21).
The next duban that holds the repository lock (so no other duban is writing) calls tidy():
it removes them, and puts a plan folder that was moved aside back in its place.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

PLANS = "plans"
# tempfile's names: a prefix, 8 characters of its alphabet, a suffix (files.replace_file).
_TEMPORARY_FILE = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
_MOVED_ASIDE = re.compile(r"\.(?P<plan>.+)\.old-\d+")
_BEING_BUILT = re.compile(r"\..+\.new-[a-z0-9_]{8}")
_BUILT_BEFORE = re.compile(r"\..+\.[a-z0-9_]{8}")  # the name earlier versions gave it


def staging_prefix(plan_id: str) -> str:
    """The prefix of the folder an import builds a plan in (tempfile.mkdtemp adds 8 characters)."""
    return f".{plan_id}.new-"


def moved_aside(plans: Path, plan_id: str) -> Path:
    """Where an import moves the plan it replaces for the moment of the swap."""
    return plans / f".{plan_id}.old-{os.getpid()}"


def _being_built(folder: Path) -> bool:
    if _BEING_BUILT.fullmatch(folder.name):
        return True
    # An earlier version's name is less distinctive: only a folder that holds a plan's parts is taken.
    try:
        return _BUILT_BEFORE.fullmatch(folder.name) is not None and all(
            child.name in ("plan.yaml", "tasks", "source") for child in folder.iterdir()
        )
    except OSError:
        return False


def tidy(root: Path) -> list[str]:
    """Everything killed writers left in `root`/plans (tidy_plans, then tidy_files in every plan
    folder and tasks folder). Only under the repository lock. The names of the plans put back."""
    put_back = tidy_plans(root)
    plans = root / PLANS
    try:
        names = [
            entry.name
            for entry in os.scandir(plans)
            if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
        ]
    except OSError:
        return put_back
    tidy_files(folder for name in names for folder in (plans / name, plans / name / "tasks"))
    return put_back


def tidy_plans(root: Path) -> list[str]:
    """Plan folders that killed imports were building or had moved aside, removed; a plan moved
    aside and never replaced is put back in its place. Only under the repository lock. The
    names of the plans put back."""
    plans = root / PLANS
    try:
        hidden = [
            entry for entry in os.scandir(plans) if entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
        ]
    except OSError:
        return []
    put_back = []
    for entry in hidden:  # first the plans moved aside: one never replaced goes back in its place
        aside = _MOVED_ASIDE.fullmatch(entry.name)
        if aside is None:
            continue
        target = plans / aside.group("plan")
        try:
            if not target.exists():
                os.rename(entry.path, target)
                put_back.append(target.name)
            else:
                shutil.rmtree(entry.path)
        except OSError:
            pass  # a folder it may not change: left for whoever may
    for entry in hidden:  # then the plans being built, which no import will finish now
        if os.path.isdir(entry.path) and _being_built(Path(entry.path)):
            shutil.rmtree(entry.path, ignore_errors=True)
    return put_back


def tidy_files(folders: Iterable[Path]) -> None:
    """Temporary files of killed writes in `folders`, removed. Only under the repository lock."""
    for folder in folders:
        try:
            names = [
                entry.name for entry in os.scandir(folder) if entry.name.startswith(".") and entry.name.endswith(".tmp")
            ]
        except OSError:
            continue
        for name in names:
            if _TEMPORARY_FILE.fullmatch(name):
                try:
                    (folder / name).unlink()
                except OSError:
                    pass
