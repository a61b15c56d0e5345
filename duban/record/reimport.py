"""Re-importing a plan over its recorded work: `import --replace` rebuilds the plan from the
document but keeps every report and the status of each task that still exists.

`plan_replacement` reads the plan folder as it is, refuses while any of its files is not
committed (a hand edit would otherwise be gone for good), and says which recorded work the
new document has no task for. `carry_over` then writes the reports and statuses into the
freshly imported tasks, before they are written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duban import progress as progress_layout
from duban.store import yamlio
from duban.errors import DubanError
from duban.store.gitstore import Git
from duban.i18n import _
from duban.model import TASK_FIELDS

KEPT = ("status", "progress")


@dataclass
class Replacement:
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)  # task id -> the fields carried over
    dropped: dict[str, int] = field(default_factory=dict)          # task id -> reports it has
    unreadable: list[str] = field(default_factory=list)

    def carry_over(self, tasks: list[dict[str, Any]]) -> int:
        """Put the kept reports and statuses into the new tasks; returns the reports kept.
        Reports of tasks the new document lacks are in `dropped`."""
        new_ids = {str(task.get("id")) for task in tasks}
        self.dropped = {task_id: len(progress_layout.flat(fields.get("progress"))) for task_id, fields in self.kept.items()
                        if task_id not in new_ids and (progress_layout.flat(fields.get("progress")) or fields.get("status") not in
                                                       (None, "not_started"))}
        carried = 0
        for task in tasks:
            old = self.kept.get(str(task.get("id")))
            if not old:
                continue
            for key in KEPT:
                if key in old:
                    task[key] = old[key]
            carried += len(progress_layout.flat(old.get("progress")))
            ordered = sorted(task, key=lambda k: TASK_FIELDS.index(k) if k in TASK_FIELDS else len(TASK_FIELDS))
            reordered = {key: task[key] for key in ordered}
            task.clear()
            task.update(reordered)
        return carried

    def describe_dropped(self) -> list[str]:
        return [_("task {id} is not in the new document: its {count} reports and status would be dropped").format(
            id=task_id, count=count) for task_id, count in sorted(self.dropped.items())]


def plan_replacement(root: Path, plan_id: str) -> Replacement:
    """What the plan folder holds that a rebuild must keep; refuses while it has files that
    are not committed."""
    folder = root / "plans" / plan_id
    replacement = Replacement()
    if not folder.is_dir():
        return replacement
    git = Git(root)
    if git.run("rev-parse", "--is-inside-work-tree", check=False).returncode == 0:
        changed = [line[3:] for line in git.out("status", "--porcelain=v1", "--untracked-files=all", "--",
                                                 f"plans/{plan_id}").splitlines() if line.strip()]
        if changed:
            raise DubanError(_("plans/{plan} has changes that are not committed ({first}{more}); "
                               "--replace would lose them").format(
                plan=plan_id, first=changed[0], more=_(" and {count} more").format(count=len(changed) - 1)
                if len(changed) > 1 else ""),
                hint=_("commit them (git add -- plans/{plan} && git commit) or drop them "
                       "(git restore -SW -- plans/{plan}), then import again").format(plan=plan_id))
    for path in sorted((folder / "tasks").glob("*.yaml")):
        try:
            doc = yamlio.load_fast(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError, yamlio.YamlError):
            replacement.unreadable.append(path.name)
            continue
        if isinstance(doc, dict):
            replacement.kept[path.stem] = {key: doc[key] for key in KEPT if key in doc}
    if replacement.unreadable:
        raise DubanError(_("cannot read {files} in plans/{plan}, so its reports could not be kept").format(
            files=", ".join(replacement.unreadable[:5]), plan=plan_id),
            hint=_("fix the files (duban validate shows where), then import again"))
    return replacement
