"""The narrative layout: a government work report in prose.

The sentence of main expected targets (主要预期目标是:A;B;C。) gives one indicator task per
target; under the year's task headings ((一)…), each paragraph is a task titled by its first
sentence. The previous year's review and the closing appeal are reported as skipped.
No units are named in such a report, so none are invented.
"""

from __future__ import annotations

import re

from duban.importing import rules
from duban.importing.result import ImportResult, task_fields
from duban.importing.source import Document

TARGETS = re.compile(r"主要(?:预期)?目标(?:是|为)?\s*[:：]\s*(.+?)。?$")
TARGETS_AREA = "主要预期目标"
CLOSING = re.compile(r"^各位代表[!！,，]")


def looks_like_narrative(document: Document) -> int:
    has_targets = any(TARGETS.search(line.text) for line in document.lines)
    paragraphs = sum(1 for line in document.lines if len(line.text) > 80)
    return paragraphs if has_targets else 0


def parse_narrative(document: Document, plan_id: str) -> ImportResult:
    result = ImportResult(layout="narrative", document=document)
    part: str | None = None  # the current top-level heading (一、…)
    area: str | None = None  # the current task heading ((一)…) after the targets
    targets_seen = False
    closing = False
    number = 0
    for line in document.lines:
        text = line.text
        if not text:
            continue
        if CLOSING.match(text) and targets_seen:
            closing = True
        if closing:
            result.skipped[line.number] = "closing remarks"
            continue
        if heading := rules.AREA_HEADING.match(text):
            part, area = heading.group(2), None
            years = re.findall(r"(\d{4})年", part)
            if "回顾" in part or (years and "任务" not in part):
                result.skipped[line.number] = "previous-year review (heading)"
            else:
                result.used[line.number] = "plan: year (heading of the year's tasks)"
                if years:
                    result.facts["year"] = int(years[0])
            continue
        if part is not None and "回顾" in part:
            result.skipped[line.number] = "previous-year review"
            continue
        if (match := TARGETS.search(text)) and not targets_seen:
            targets_seen = True
            result.area(TARGETS_AREA)
            for index, phrase in enumerate(re.split(r"[;；]", match.group(1)), start=1):
                phrase = phrase.strip().rstrip("。")
                task = task_fields(
                    task_id=f"t{index}",
                    title=phrase,
                    text=phrase,
                    area=TARGETS_AREA,
                    indicators=rules.target_indicators(phrase),
                    first=line.number,
                    last=line.number,
                    document=document.name,
                )
                result.tasks.append(task)
            result.used[line.number] = "tasks t1.." + f"t{index} (main expected targets)"
            continue
        if not targets_seen:
            if part is not None:
                result.skipped[line.number] = "the year's general requirements (before the targets)"
            continue
        if heading := rules.SECTION_HEADING.match(text):
            area = heading.group(2)
            result.area(area)
            result.used[line.number] = "plan: areas"
            continue
        if area is None:
            result.skipped[line.number] = "lead-in to the year's tasks"
            continue
        number += 1
        task = task_fields(
            task_id=number,
            title=rules.title_of(text),
            text=text,
            area=area,
            indicators=rules.indicators_in(text),
            first=line.number,
            last=line.number,
            document=document.name,
        )
        result.tasks.append(task)
        result.used[line.number] = f"task {plan_id}/{number}"
    return result
