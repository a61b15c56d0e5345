"""`import_document`: detect the layout, parse, fill plan fields, and account for every line."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from duban.errors import DubanError
from duban.i18n import _
from duban.importing import metadata
from duban.importing.outline import looks_like_outline, parse_outline
from duban.importing.result import ImportResult
from duban.importing.source import Document, read_document

Parser = Callable[[Document, str], ImportResult]
Detector = Callable[[Document], int]


def _layouts() -> dict[str, tuple[Detector, Parser, str]]:
    from duban.importing.narrative import looks_like_narrative, parse_narrative
    from duban.importing.tables import (looks_like_cell_table, looks_like_pipe_table,
                                        parse_cell_table, parse_pipe_table)

    return {
        "outline": (looks_like_outline, parse_outline,
                    "numbered items (1、 or 1.) with 牵头单位/责任单位 in parentheses or on their own lines"),
        "pipe-table": (looks_like_pipe_table, parse_pipe_table,
                       "tables written as `序号 | 任务名称 | 指标要求 | 牵头部门 | ...` rows"),
        "cell-table": (looks_like_cell_table, parse_cell_table,
                       "a table flattened to one cell per paragraph, with quarterly columns"),
        "narrative": (looks_like_narrative, parse_narrative,
                      "a work report in prose with the year's main expected targets (主要预期目标)"),
    }


LAYOUT_NAMES = ("auto", "outline", "pipe-table", "cell-table", "narrative")


def detect_layout(document: Document) -> str:
    scores = {name: detect(document) for name, (detect, _parse, _about) in _layouts().items()}
    best = max(scores, key=lambda name: scores[name])
    if scores[best] <= 0:
        known = "; ".join(f"{name}: {about}" for name, (_detect, _parse, about) in _layouts().items())
        raise DubanError(_("{name}: no known layout found in this document").format(name=document.name),
                         hint=_("duban reads {layouts}").format(layouts=known))
    return best


def import_document(path: Path, plan_id: str, layout: str = "auto",
                    document: Document | None = None) -> ImportResult:
    document = document or read_document(path)
    chosen = detect_layout(document) if layout == "auto" else layout
    if chosen not in _layouts():
        raise DubanError(_("unknown layout {layout!r}").format(layout=layout),
                         hint=_("one of {options}").format(options=", ".join(LAYOUT_NAMES)))
    result = _layouts()[chosen][1](document, plan_id)
    if not result.tasks:
        raise DubanError(_("{name}: found no tasks in the {layout} layout").format(name=document.name, layout=chosen),
                         hint=_("try another --layout, or check the document's numbering"))
    _fill_plan(result, plan_id)
    _account_for_lines(result)
    return result


def _fill_plan(result: ImportResult, plan_id: str) -> None:
    outside = [line for line in result.document.lines
               if not result.used.get(line.number, "").startswith("task")]
    meta = metadata.read_metadata(outside)
    found = {**meta.fields, **result.facts}
    for number, name in meta.used.items():
        earlier = result.used.get(number)
        result.used[number] = f"plan: {name}" + (f"; {earlier}" if earlier else "")
        result.skipped.pop(number, None)
    plan: dict[str, object] = {"id": plan_id}
    plan["title"] = found.get("title") or found.get("document_number") or result.document.name
    for key in ("issuer", "document_number", "index_number", "issued"):
        if key in found:
            plan[key] = found[key]
    plan["year"] = found.get("year") or _year_from_plan_id(plan_id)
    plan["source"] = {"document": result.document.name, "lines": [1, len(result.document.lines)]}
    if result.roles:
        plan["roles"] = {role: result.roles[role] for role in ("lead", "support") if role in result.roles}
    if "reporting" in found:
        plan["reporting"] = found["reporting"]
    if "target_types" in found:
        plan["target_types"] = dict(sorted(found["target_types"].items()))
    plan["areas"] = result.areas
    plan["units"] = result.units.registry()
    result.plan = plan


def _year_from_plan_id(plan_id: str) -> int:
    head = plan_id.split("-", 1)[0]
    if head.isdigit() and len(head) == 4:
        return int(head)
    raise DubanError(_("cannot tell the plan's year from the document or from {plan!r}").format(plan=plan_id),
                     hint=_("start the plan id with the year, e.g. 2019-changning"))


def _account_for_lines(result: ImportResult) -> None:
    """Every non-blank line not used is skipped, with a reason from where it stands."""
    task_lines = [n for n, where in result.used.items() if where.startswith("task")]
    first_task, last_task = min(task_lines), max(task_lines)
    for line in result.document.lines:
        if not line.text or line.number in result.used or line.number in result.skipped:
            continue
        if line.number < first_task:
            reason = "notice preamble"
        elif line.number > last_task:
            reason = "closing remarks"
        else:
            reason = "not part of a task (no rule matched)"
        result.skipped[line.number] = reason
