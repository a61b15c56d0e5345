"""A task file's documents compared across a push: what a merge of its parents holds, and
each document's reports, keyed by their unit's own name, and its units."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from duban import progress as progress_layout
from duban.reading import normalise_unit_name

CONFLICT = object()  # what a merge holds where its parents changed a value two ways


def too_large(size: str) -> bool:
    from duban.store.files import MAX_FILE_BYTES  # as duban's own reader

    return not size.strip().isdigit() or int(size) > MAX_FILE_BYTES


def merged_value(base: Any, parents: list[Any]) -> Any:
    """What a three-way merge of `parents` over `base` holds: the base where no parent changed
    it, the one value the parents that changed it agree on, else CONFLICT (no commit
    inherits that: whatever it holds is its own change). With no parent, nothing."""
    if not parents:
        return None
    changed = [value for value in parents if value != base]
    if not changed:
        return base
    if all(value == changed[0] for value in changed):
        return changed[0]
    return CONFLICT


def merged_document(base: Any, parents: list[Any]) -> Any:
    """The task document the parents bring: present (a dict) unless the merge removes it."""
    merged = merged_value(
        base if isinstance(base, dict) else None, [p if isinstance(p, dict) else None for p in parents]
    )
    if merged is CONFLICT:  # both sides changed it: it stays, with both changes
        return next((p for p in parents if isinstance(p, dict)), None)
    return merged


def field_of(doc: Any, key: str) -> Any:
    return doc.get(key) if isinstance(doc, dict) else None


def reports_by_unit(doc: Any, canonical: Callable[[str], str]) -> Counter[tuple[str, str]]:
    """(unit, the report as canonical JSON) for each report of a task document, repeats counted."""
    found: Counter[tuple[str, str]] = Counter()
    if not isinstance(doc, dict):
        return found
    for report in progress_layout.flat(doc.get("progress")):
        if not isinstance(report, dict):
            found[("", json.dumps(report, default=str, ensure_ascii=False))] += 1
            continue
        unit = report.get("by")
        name = normalise_unit_name(canonical(str(unit))) if unit else ""
        fields = {str(k): v for k, v in report.items() if k != "by"}
        found[(name, json.dumps(fields, default=str, sort_keys=True, ensure_ascii=False))] += 1
    return found


def unit_list(doc: dict[str, Any], key: str, canonical: Callable[[str], str]) -> set[str]:
    names = doc.get(key) or ()
    return {normalise_unit_name(canonical(str(name))) for name in names} if isinstance(names, list) else set()


def names_unit(doc: dict[str, Any], unit: str, canonical: Callable[[str], str]) -> bool:
    return unit in unit_list(doc, "lead", canonical) | unit_list(doc, "support", canonical)


def leads_task(doc: dict[str, Any], unit: str | None, canonical: Callable[[str], str]) -> bool:
    return unit is not None and unit in unit_list(doc, "lead", canonical)


def reports_changed(
    new: Any, old_base: Any, befores: list[Any], units: Any
) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    """(added, removed): each unit's reports the commit holds against what its parents bring,
    three-way and counted (a report one parent adds is the merge's inheritance, not its change)."""
    after = reports_by_unit(new, units)
    base_reports = reports_by_unit(old_base, units)
    parent_reports = [reports_by_unit(before, units) for before in befores]
    added: Counter[tuple[str, str]] = Counter()
    removed: Counter[tuple[str, str]] = Counter()
    for item in set(after).union(base_reports, *parent_reports):
        expected = max(0, base_reports[item] + sum(reports[item] - base_reports[item] for reports in parent_reports))
        if after[item] > expected:
            added[item] = after[item] - expected
        elif after[item] < expected:
            removed[item] = expected - after[item]
    return added, removed
