"""Tasks as flat rows: what `duban list`, exports and the TUI's table show."""
from __future__ import annotations

from typing import Any

from duban.model import Task

LIST_FIELDS = ("ref", "plan", "id", "title", "area", "lead", "support", "type", "status",
               "percent", "path")

# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def task_row(task: Task, lead: tuple[str, ...], shown_path: str) -> dict[str, Any]:
    """One task as a row; `lead` is its effective lead (the parent's for a sub-item)."""
    return {
        "ref": task.ref,
        "plan": task.plan_id,
        "id": task.id,
        "title": task.title,
        "area": task.area,
        "lead": list(lead),
        "support": list(task.support),
        "type": task.type,
        "status": task.status,
        "percent": task.percent,
        "path": shown_path,
    }


def plain_cell(value: Any) -> str:
    """A row value as text: lists joined with 、, floats without trailing zeros, None empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def csv_cell(value: Any) -> str:
    """A value as CSV text that a spreadsheet shows as text, never runs as a formula."""
    text = plain_cell(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
