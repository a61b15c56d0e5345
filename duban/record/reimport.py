"""Re-importing a plan over its recorded work: `import --replace` rebuilds the plan from the
document but keeps every report and the status of each task that still exists.

`plan_replacement` reads the plan folder as it is, refuses while any of its files is not
committed (a hand edit would otherwise be gone for good), and says which recorded work the
new document has no task for. `carry_over` then writes the reports and statuses into the
freshly imported tasks, before they are written, and `carry_over_plan` the office's own
work on the plan: its plan.yaml settings (a title, issuer or reporting day corrected by
hand, a circular: block) and each field a `duban set` changed (a unit added, a due date);
the document gives the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from duban import progress as progress_layout
from duban.errors import DubanError
from duban.i18n import _
from duban.model import TASK_FIELDS
from duban.states import Status
from duban.store import yamlio
from duban.store.gitstore import Git
from duban.store.repository import Repository

KEPT = ("status", "progress")
# plan.yaml's keys the office corrects by hand after an import (a file name read as the title,
# the reporting day): its value stands over the document's. Keys the import never writes
# (circular:) are kept whatever they are; units and areas are the union, the office's first.
OFFICE_SETTINGS = ("title", "issuer", "issued", "document_number", "index_number", "reporting", "roles")


@dataclass
class Replacement:
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)  # task id -> the fields carried over
    dropped: dict[str, int] = field(default_factory=dict)  # task id -> reports it has
    unreadable: list[str] = field(default_factory=list)
    plan: dict[str, Any] = field(default_factory=dict)  # plan.yaml as it is
    set_fields: dict[str, dict[str, Any]] = field(default_factory=dict)  # task id -> fields `set` changed, now

    def carry_over_plan(self, plan: dict[str, Any], tasks: list[dict[str, Any]]) -> list[str]:
        """The office's plan.yaml settings into the new `plan`, and the fields `duban set`
        changed into the new `tasks`; what was kept, in words, for the summary."""
        kept: list[str] = []
        office_only = [key for key in self.plan if key not in plan]
        for key, value in self.plan.items():
            if key in ("units", "areas"):
                names = {entry.get("name") for entry in value if isinstance(entry, dict)}
                plan[key] = [*value, *(entry for entry in plan.get(key, ()) if entry.get("name") not in names)]
            elif key not in plan or (key in OFFICE_SETTINGS and plan[key] != value):
                plan[key] = value
                kept.append(f"plan.yaml {key}")
        # Keys only the office wrote go back where it put them: after the key before them there.
        order = [key for key in plan if key not in office_only]
        for key in office_only:
            earlier = list(self.plan)[: list(self.plan).index(key)]
            previous = next((k for k in reversed(earlier) if k in order), None)
            order.insert(order.index(previous) + 1 if previous is not None else 0, key)
        ordered = {key: plan[key] for key in order}
        plan.clear()
        plan.update(ordered)
        for task in tasks:
            changed = self.set_fields.get(str(task.get("id")), {})
            for name, value in changed.items():
                if task.get(name) != value:
                    if value is None:
                        task.pop(name, None)
                    else:
                        task[name] = value
                    kept.append(f"{task.get('id')}.{name}")
        return kept

    def carry_over(self, tasks: list[dict[str, Any]]) -> int:
        """Put the kept reports and statuses into the new tasks; returns the reports kept.
        Reports of tasks the new document lacks are in `dropped`."""
        new_ids = {str(task.get("id")) for task in tasks}
        self.dropped = {
            task_id: len(progress_layout.flat(fields.get("progress")))
            for task_id, fields in self.kept.items()
            if task_id not in new_ids
            and (progress_layout.flat(fields.get("progress")) or fields.get("status") not in (None, Status.NOT_STARTED))
        }
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
        return [
            _("task {id} is not in the new document: its {count} reports and status would be dropped").format(
                id=task_id, count=count
            )
            for task_id, count in sorted(self.dropped.items())
        ]


def plan_replacement(repo: Repository, plan_id: str) -> Replacement:
    """What the plan folder holds that a rebuild must keep; refuses while it has files that
    are not committed."""
    folder = repo.plans_folder / plan_id
    replacement = Replacement()
    if not folder.is_dir():
        return replacement
    git = repo.git
    under_git = git.run("rev-parse", "--is-inside-work-tree", check=False).returncode == 0
    if under_git:
        changed = [path for _code, path in git.status(f"plans/{plan_id}", untracked="all")]
        if changed:
            raise DubanError(
                _("plans/{plan} has changes that are not committed ({first}{more}); --replace would lose them").format(
                    plan=plan_id,
                    first=changed[0],
                    more=_(" and {count} more").format(count=len(changed) - 1) if len(changed) > 1 else "",
                ),
                hint=_(
                    "commit them (git add -- plans/{plan} && git commit) or drop them "
                    "(git restore -SW -- plans/{plan}), then import again"
                ).format(plan=plan_id),
            )
    try:
        loaded = yamlio.load_fast((folder / "plan.yaml").read_text(encoding="utf-8"), "plan.yaml")
    except (OSError, UnicodeDecodeError, yamlio.YamlError):
        loaded = None
    replacement.plan = loaded if isinstance(loaded, dict) else {}
    set_names = _set_by_task(git, plan_id) if under_git else {}
    for path in sorted((folder / "tasks").glob("*.yaml")):
        try:
            doc = yamlio.load_fast(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError, yamlio.YamlError):
            replacement.unreadable.append(path.name)
            continue
        if isinstance(doc, dict):
            replacement.kept[path.stem] = {key: doc[key] for key in KEPT if key in doc}
            replacement.set_fields[path.stem] = {
                name: doc.get(name) for name in set_names.get(path.stem, ()) if name not in KEPT
            }
    if replacement.unreadable:
        raise DubanError(
            _("cannot read {files} in plans/{plan}, so its reports could not be kept").format(
                files=", ".join(replacement.unreadable[:5]), plan=plan_id
            ),
            hint=_("fix the files (duban validate shows where), then import again"),
        )
    return replacement


def _set_by_task(git: Git, plan_id: str) -> dict[str, set[str]]:
    """task id -> the fields a `duban set` changed (its commits' `Set: field=value` trailers)."""
    found: dict[str, set[str]] = {}
    log = git.run(
        "log",
        "--format=%x1e%(trailers:key=Task,valueonly)%x1f%(trailers:key=Set,valueonly)",
        "--",
        f"plans/{plan_id}/tasks",
        check=False,
    ).stdout
    for record in log.split("\x1e"):
        task, _sep, sets = record.partition("\x1f")
        ref = task.strip()
        if not ref.startswith(f"{plan_id}/"):
            continue
        for line in sets.splitlines():
            name = line.split("=", 1)[0].strip().split(".", 1)[0]
            if name:
                found.setdefault(ref.split("/", 1)[1], set()).add(name)
    return found
