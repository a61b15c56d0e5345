"""A plan's task files on disk: listed from one directory scan, in the order people number
them, and a symlink out of the repository told apart (duban does not follow one)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from duban.model import natural_key
from duban.store.layout import TASK_SUFFIXES


class TaskEntry(NamedTuple):
    stem: str  # the task id the file name gives
    path: str
    is_link: bool


def scan_tasks(tasks_folder: Path) -> list[TaskEntry]:
    """The task files of a folder, unsorted, from one directory scan: the file types come with
    the listing, so a folder of 10,000 files costs no stat call per file (a symlink costs one)."""
    try:
        with os.scandir(tasks_folder) as listing:
            return [
                TaskEntry(entry.name[: entry.name.rindex(".")], entry.path, entry.is_symlink())
                for entry in listing
                if entry.name.endswith(TASK_SUFFIXES) and not entry.name.startswith(".") and entry.is_file()
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []


def task_files(tasks_folder: Path) -> list[Path]:
    """The task files of a folder, in the order people number them."""
    entries = scan_tasks(tasks_folder)
    entries.sort(key=lambda entry: natural_key(entry.stem))
    return [Path(entry.path) for entry in entries]


def outside_link(path: Path, root: Path) -> Path | None:
    """Where `path` leads when it is a symlink out of `root`, else None. Only the path itself
    is examined (one lstat when it is no link); callers check the plan folder once."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve()
        target.relative_to(root.resolve())
    except ValueError:
        return target
    except OSError:
        return None
    return None
