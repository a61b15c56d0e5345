"""Whether a plan changed on disk since it was read: what a long-lived reader (the terminal
UI) compares every few seconds, so that another process's report or a `git pull` is seen.

The mark is the plan's folder and plan.yaml's times, every task file's name, time and size (an
editor that writes a file in place changes neither the folder nor HEAD: audit T15), and the
commit HEAD names (not .git/index, which git refreshes on every status). It is read from the
files, never from a git process: it is taken every two seconds.
"""

from __future__ import annotations

import os
from pathlib import Path

from duban.store.layout import PLAN_FILE, PLANS, TASKS, common_git_folder, git_folder, head_from_files

PlanMark = tuple[object, ...]


def plan_mark(root: Path, plan_id: str) -> PlanMark:
    """The plan's mark now: equal to an earlier one when nothing a reader sees has changed."""
    folder = root / PLANS / plan_id
    marks: list[object] = []
    for path in (folder / TASKS, folder / PLAN_FILE):
        try:
            marks.append(os.stat(path).st_mtime_ns)
        except OSError:
            marks.append(None)
    marks.append(head_mark(git_folder(root)))
    marks.append(files_mark(folder / TASKS))
    return tuple(marks)


def files_mark(folder: os.PathLike[str] | str) -> int | None:
    """Every file of `folder` by name, modification time and size (None without the folder)."""
    try:
        with os.scandir(folder) as entries:
            files = []
            for entry in entries:
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                files.append((entry.name, stat.st_mtime_ns, stat.st_size))
    except OSError:
        return None
    return hash(tuple(sorted(files)))


def head_mark(git_dir: Path | None) -> str | None:
    """What HEAD names: its commit where the files say it plainly (layout.head_from_files),
    else HEAD's text and the packed refs' time (a packed branch changes that file)."""
    if git_dir is None:
        return None
    found = head_from_files(git_dir)
    if found is not None:
        return found
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        return head + str(os.stat(common_git_folder(git_dir) / "packed-refs").st_mtime_ns)
    except (OSError, UnicodeDecodeError):
        return None
