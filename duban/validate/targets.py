"""Which files a `duban validate` checks: the paths it is given, grouped by plan folder, and
how a path is shown in a problem."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from duban.i18n import _
from duban.problems import Problem, RuleId
from duban.store.layout import PLAN_FILE, PLANS, TASK_SUFFIXES, TASKS

ALL = None  # "every task file of the plan"


def shown_path(path: Path | str, cwd: str | None = None) -> str:
    """A path as the user gave it or relative to the current folder (the message prefix);
    `cwd`, the current folder with its separator, when the caller has it."""
    text = str(path)
    cwd = cwd if cwd is not None else os.getcwd() + os.sep
    if text.startswith(cwd):  # the common case, without relpath's cost on 10,000 files
        return text[len(cwd) :]
    try:
        return os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return text


def targets(paths: Iterable[Path]) -> tuple[dict[Path, set[Path] | None], list[Problem]]:
    """Group requested paths by plan folder: {plan folder: task files, or ALL}."""
    wanted: dict[Path, set[Path] | None] = {}
    problems: list[Problem] = []

    def add_plan(folder: Path, task: Path | None = None) -> None:
        if task is None:
            wanted[folder] = ALL
        elif folder not in wanted:
            wanted[folder] = {task}
        elif wanted[folder] is not ALL:
            wanted[folder].add(task)  # type: ignore[union-attr]

    for raw in paths:
        path = Path(os.path.abspath(raw))  # not resolve(): a symlink is judged by where it sits
        if not path.exists():
            problems.append(Problem(shown_path(raw), _("no such file or folder"), RuleId.MISSING_FILE))
        elif path.is_dir():
            if (path / PLANS).is_dir():
                path = path / PLANS
            if path.name == PLANS:
                for folder in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
                    add_plan(folder)
            elif path.name == TASKS and (path.parent / PLAN_FILE).exists():
                add_plan(path.parent)
            else:
                add_plan(path)
        elif path.name == PLAN_FILE:
            wanted.setdefault(path.parent, set())
        elif path.suffix in TASK_SUFFIXES and path.parent.name == TASKS:
            add_plan(path.parent.parent, path)
        else:
            problems.append(
                Problem(
                    shown_path(raw),
                    _("not part of a plan: duban checks plans/<plan-id>/plan.yaml and plans/<plan-id>/tasks/<id>.yaml"),
                    RuleId.NOT_A_PLAN_FILE,
                )
            )
    return wanted, problems
