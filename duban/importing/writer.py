"""Writing an import: plan.yaml, one file per task, and a copy of the source document.

The folder is built beside the target and swapped in with renames, so an interrupted import
leaves either the old plan or the new one, never half of each.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from duban.store import yamlio
from duban.errors import DubanError
from duban.i18n import _
from duban.importing.result import ImportResult

PLAN_SCHEMA = "../../schema/plan.schema.json"
TASK_SCHEMA = "../../../schema/task.schema.json"
SOURCE_FOLDER = "source"


def render(result: ImportResult) -> dict[str, str]:
    """Relative path -> file text, for every file of the plan folder except the source copy.
    Control and text-direction characters of the document are normalised (hygiene.py), so
    what is imported validates and can be written back and exported."""
    from duban.text.hygiene import normalised

    files = {"plan.yaml": yamlio.dump_document(normalised(result.plan), PLAN_SCHEMA)}
    for task in result.tasks:
        files[f"tasks/{task['id']}.yaml"] = yamlio.dump_document(normalised(task), TASK_SCHEMA)
    return files


def write_plan(result: ImportResult, plans_folder: Path, plan_id: str, replace: bool = False) -> Path:
    target = plans_folder / plan_id
    if target.exists() and not replace:
        raise DubanError(_("{path} already exists").format(path=target),
                         hint=_("pass --replace to rebuild it from the document, or choose another --plan"))
    plans_folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{plan_id}.", dir=plans_folder))
    try:
        for relative, text in render(result).items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (staging / SOURCE_FOLDER).mkdir()
        (staging / SOURCE_FOLDER / result.document.name).write_bytes(result.document.raw)
        old = None
        if target.exists():
            old = plans_folder / f".{plan_id}.old-{os.getpid()}"
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
