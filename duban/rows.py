"""Tasks as flat rows: what `duban list`, exports and the TUI's table show."""
from __future__ import annotations

from typing import Any

from duban.model import Task, effective_lead

LIST_FIELDS = ("ref", "plan", "id", "title", "area", "lead", "support", "type", "status",
               "percent", "path")

# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def task_row(task: Task, tasks_by_id: dict[str, Task], shown_path: str) -> dict[str, Any]:
    return {
        "ref": task.ref,
        "plan": task.plan_id,
        "id": task.id,
        "title": task.title,
        "area": task.area,
        "lead": list(effective_lead(task, tasks_by_id)),
        "support": list(task.support),
        "type": task.type,
        "status": task.status,
        "percent": task.percent,
        "path": shown_path,
    }


def csv_cell(value: Any) -> str:
    """A value as CSV text that a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value)
    text = value if isinstance(value, str) else f"{value:g}" if isinstance(value, float) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
