"""The outline layout: area and section headings, numbered items, ▲ sub-items, and units either
in a trailing parenthesis (`(牵头单位:X;责任单位:Y)`) or on lines of their own (`牵头单位:X`).

Baoshan 2008 uses the first way, Pingdingshan 2013 the second; a document may mix them.
"""

from __future__ import annotations

from typing import Any

from duban.i18n import _
from duban.importing import rules
from duban.importing.result import ImportResult, task_fields
from duban.importing.source import Document
from duban.model import TASK_FIELDS


def looks_like_outline(document: Document) -> int:
    """How many numbered items with units the document has (0: not this layout)."""
    score = 0
    lines = [line.text for line in document.lines if line.text]
    for index, text in enumerate(lines):
        if rules.NUMBERED_ITEM.match(text) or rules.SUB_ITEM.match(text):
            has_units = rules.trailing_unit_clause(text) or (
                index + 1 < len(lines) and rules.UNIT_LINE.match(lines[index + 1])
            )
            score += bool(has_units)
    return score


def parse_outline(document: Document, plan_id: str) -> ImportResult:
    result = ImportResult(layout="outline", document=document)
    area: str | None = None
    section: str | None = None
    item: dict[str, Any] | None = None
    last: dict[str, Any] | None = None
    sub_count = 0

    known = _standalone_units(document)

    def units_into(task: dict[str, Any], clause: str) -> None:
        for role, word, names in rules.split_clause(clause):
            result.role_word(role, word)
            found = rules.split_units(names, known)
            for name in found:
                if "及" in name:
                    result.notes.append(
                        _(
                            "unit {name!r} kept whole: 及 joins no unit named elsewhere "
                            "in the document; check it by hand if it names two units"
                        ).format(name=name)
                    )
            existing = task.setdefault(role, [])
            existing += [n for n in result.units.add_all(found) if n not in existing]

    def new_task(task_id: str, body: str, number: int, parent: str | None) -> dict[str, Any]:
        split = rules.trailing_unit_clause(body)
        text, clause = split if split else (body, None)
        units: dict[str, Any] = {}
        if clause:
            units_into(units, clause)
        task = task_fields(
            task_id=int(task_id) if task_id.isdigit() else task_id,
            title=rules.title_of(text),
            text=text,
            area=area or "",
            section=section,
            parent=int(parent) if parent and parent.isdigit() else parent,
            lead=units.get("lead"),
            support=units.get("support"),
            indicators=rules.indicators_in(text),
            first=number,
            last=number,
            document=document.name,
        )
        result.tasks.append(task)
        result.used[number] = f"task {plan_id}/{task_id}"
        return task

    previous: int | None = None  # number of the previous non-blank line
    for line in document.lines:
        text = line.text
        if not text:
            continue
        before, previous = previous, line.number
        if heading := rules.AREA_HEADING.match(text):
            area, section, item = heading.group(2).strip(), None, None
            result.area(area)
            result.used[line.number] = "plan: areas"
            continue
        if area is None:
            continue  # the notice before the first area: metadata or preamble
        if heading := rules.SECTION_HEADING.match(text):
            section = heading.group(2).strip()
            result.add_section(area, section)
            result.used[line.number] = "plan: areas (section)"
            continue
        if numbered := rules.NUMBERED_ITEM.match(text):
            item = last = new_task(numbered.group(1), numbered.group(2).strip(), line.number, None)
            sub_count = 0
            continue
        if (sub := rules.SUB_ITEM.match(text)) and item is not None:
            sub_count += 1
            last = new_task(f"{item['id']}-{sub_count}", sub.group(1).strip(), line.number, str(item["id"]))
            continue
        if rules.UNIT_LINE.match(text) and last is not None and last["source"]["lines"][1] == before:
            clause_units: dict[str, Any] = {}
            units_into(clause_units, text)
            for role in ("lead", "support"):
                if role in clause_units:
                    existing = last.setdefault(role, [])
                    existing += [n for n in clause_units[role] if n not in existing]
            _reorder(last)
            last["source"]["lines"][1] = line.number
            result.used[line.number] = result.used[last["source"]["lines"][0]]
            continue
    return result


def _standalone_units(document: Document) -> set[str]:
    """Names that stand alone in some unit list of the document (no 及 inside)."""
    known: set[str] = set()
    for line in document.lines:
        split = rules.trailing_unit_clause(line.text)
        clause = split[1] if split else (line.text if rules.UNIT_LINE.match(line.text) else None)
        for _role, _word, names in rules.split_clause(clause or ""):
            known.update(n for n in rules.split_units(names) if "及" not in n)
    return known


def _reorder(task: dict[str, Any]) -> None:
    ordered = {key: task[key] for key in TASK_FIELDS if key in task}
    task.clear()
    task.update(ordered)
