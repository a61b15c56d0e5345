"""The preview `duban import --preview` prints before anything is written: each task with its
units, and, with a recipe, which tasks the recipe changed (`*`) or added (`+`)."""

from __future__ import annotations

import unicodedata
from typing import Any

from duban.i18n import _
from duban.importing.result import ImportResult

TITLE = 28
UNITS = 24


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    out = ""
    for char in text.replace("\n", " "):
        if _width(out + char) > width - 1:
            return out + "…"
        out += char
    return out


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _key(task: dict[str, Any]) -> int:
    return int(task["source"]["lines"][0])


def _shape(task: dict[str, Any]) -> tuple[Any, ...]:
    return (task.get("text"), tuple(task.get("lead", ())), tuple(task.get("support", ())), task.get("area"))


def preview(result: ImportResult, baseline: ImportResult | None = None) -> str:
    """The tasks as a table; `baseline` is the reading without the recipe."""
    before = {_key(t): _shape(t) for t in baseline.tasks} if baseline is not None else {}
    header = [_("id"), _("line"), _("task"), _("lead"), _("support")]
    widths = [6, 5, TITLE, UNITS, UNITS]
    out = [("  " + "  ".join(_pad(h, w) for h, w in zip(header, widths))).rstrip()]
    changed = 0
    for task in result.tasks:
        mark = " "
        if baseline is not None:
            key = _key(task)
            mark = "+" if key not in before else "*" if before[key] != _shape(task) else " "
            changed += mark != " "
        cells = [
            str(task["id"]),
            str(_key(task)),
            _cut(str(task.get("title") or task.get("text", "")), TITLE),
            _cut("、".join(task.get("lead", ())), UNITS),
            _cut("、".join(task.get("support", ())), UNITS),
        ]
        out.append(mark + " " + "  ".join(_pad(c, w) for c, w in zip(cells, widths)).rstrip())
    if baseline is not None:
        gone = len(set(before) - {_key(t) for t in result.tasks})
        out.append(
            _("the recipe changed {changed} tasks (* changed, + new) and removed {gone}").format(
                changed=changed, gone=gone
            )
        )
    return "\n".join(out) + "\n"
