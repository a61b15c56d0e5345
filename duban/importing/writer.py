"""Writing an import: plan.yaml, one file per task, and a copy of the source document.

The folder is built beside the target and swapped in with renames, so an interrupted import
leaves either the old plan or the new one, never half of each (killed between the two renames,
the old one is left moved aside, and the next duban puts it back: store/leftovers.py).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from duban import progress as progress_layout
from duban.errors import DubanError
from duban.i18n import _
from duban.importing.result import ImportResult
from duban.model import Task, Unit, UnitRegistry, effective_lead
from duban.store import leftovers, yaml_round_trip
from duban.text.hygiene import normalised

PLAN_SCHEMA = "../../schema/plan.schema.json"
TASK_SCHEMA = "../../../schema/task.schema.json"
SOURCE_FOLDER = "source"


def render(result: ImportResult) -> dict[str, str]:
    """Relative path -> file text, for every file of the plan folder except the source copy.
    Control and text-direction characters of the document are normalised (hygiene.py), so
    what is imported validates and can be written back and exported."""
    files = {"plan.yaml": yaml_round_trip.dump_document(normalised(result.plan), PLAN_SCHEMA)}
    for task in result.tasks:
        task = with_progress_keys(task, result.tasks, result.plan)
        files[f"tasks/{task['id']}.yaml"] = yaml_round_trip.dump_document(normalised(task), TASK_SCHEMA)
    return files


def with_progress_keys(task: dict[str, Any], tasks: list[dict[str, Any]], plan: dict[str, Any]) -> dict[str, Any]:
    """The task with its reports kept by unit (duban/progress.py): a key for every unit, each
    holding nothing yet, or the reports carried over from the plan it replaces. A task with
    no unit, or carried reports that name none, keeps what it has."""
    registry = UnitRegistry(
        Unit(u["name"], u.get("kind", ""), tuple(u.get("aliases", ()))) for u in plan.get("units", ())
    )

    def canonical(name: str) -> str:
        unit = registry.resolve(name)
        return unit.name if unit is not None else name

    def as_task(doc: dict[str, Any]) -> Task:
        parent = doc.get("parent")
        return Task(
            "",
            str(doc["id"]),
            "",
            "",
            "",
            "",
            Path(),
            parent=None if parent is None else str(parent),
            lead=tuple(doc.get("lead", ())),
            support=tuple(doc.get("support", ())),
        )

    by_id = {str(doc["id"]): as_task(doc) for doc in tasks}
    lead = effective_lead(by_id[str(task["id"])], by_id)
    keys = progress_layout.unit_keys((*lead, *task.get("support", ())), canonical)
    if not keys:
        return task
    try:
        progress = progress_layout.keyed(progress_layout.flat(task.get("progress")), keys, canonical)
    except progress_layout.UnitlessReport:
        return task
    fields = {key: value for key, value in task.items() if key != "progress"}
    position = next((i for i, key in enumerate(fields) if key == "source"), len(fields))
    items = list(fields.items())
    return dict([*items[:position], ("progress", progress), *items[position:]])


def write_plan(result: ImportResult, plans_folder: Path, plan_id: str, replace: bool = False) -> Path:
    target = plans_folder / plan_id
    if target.exists() and not replace:
        raise DubanError(
            _("{path} already exists").format(path=target),
            hint=_("pass --replace to rebuild it from the document, or choose another --plan"),
        )
    plans_folder.mkdir(parents=True, exist_ok=True)
    # Names the next duban recognises if this one is killed half-way (store/leftovers.py, N21).
    staging = Path(tempfile.mkdtemp(prefix=leftovers.staging_prefix(plan_id), dir=plans_folder))
    try:
        for relative, text in render(result).items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (staging / SOURCE_FOLDER).mkdir()
        (staging / SOURCE_FOLDER / result.document.name).write_bytes(result.document.raw)
        if result.recipe is not None and result.recipe.text:  # the corrections, beside the copy they correct
            # Deferred: loads duban.importing.recipe only when this runs
            from duban.importing.recipe import SUFFIX

            (staging / SOURCE_FOLDER / (result.document.name + SUFFIX)).write_text(result.recipe.text, encoding="utf-8")
        old = None
        if target.exists():
            old = leftovers.moved_aside(plans_folder, plan_id)
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
