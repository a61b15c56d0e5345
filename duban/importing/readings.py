"""Choosing between readings of one document by evidence: each candidate reading (the tables,
the numbered items, a fitted layout) is scored by how much of the document it explains, and
the import says which won and which came second (`duban import --explain`).

The score counts what a clerk would check first: tasks that name a unit (worth most), units
found, tasks, and lines of the document that ended up in a task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from duban.importing.result import ImportResult


@dataclass(frozen=True)
class Evidence:
    with_units: int
    units: int
    tasks: int
    lines: int

    @property
    def score(self) -> float:
        return 3 * self.with_units + self.units + self.tasks + 0.1 * self.lines

    def describe(self) -> str:
        return (
            f"score {self.score:.1f}: {self.tasks} tasks, {self.with_units} naming units, "
            f"{self.units} units, {self.lines} lines in tasks"
        )


def evidence(result: ImportResult) -> Evidence:
    units = {name for task in result.tasks for key in ("lead", "support", "_found") for name in _names(task, key)}
    with_units = sum(
        1
        for task in result.tasks
        if task.get("lead") or task.get("support") or (task.get("_found") is not None and task["_found"].any)
    )
    lines = sum(1 for where in result.used.values() if where.startswith("task"))
    return Evidence(with_units, len(units), len(result.tasks), lines)


def _names(task: dict[str, Any], key: str) -> list[str]:
    value = task.get(key)
    if value is None:
        return []
    if key == "_found":
        return [name for _role, name in value.units]
    return list(value)


def choose(readings: dict[str, ImportResult], layout: str) -> ImportResult:
    """The reading with the most evidence (the first named wins a tie); it records every
    reading's score, best first, in `readings`."""
    scored = sorted(readings.items(), key=lambda pair: -evidence(pair[1]).score)
    best = scored[0][1]
    best.readings = [(name, evidence(result).describe()) for name, result in scored]
    best.layout = layout
    return best


def record(result: ImportResult, chosen: str, others: list[tuple[str, ImportResult]], why: str) -> None:
    """Put the fitted layouts' readings beside the general ones, the chosen one first."""
    mine = dict(result.readings) or {"general": evidence(result).describe()}
    rows = [(name, text) for name, text in mine.items()]
    rows += [(name, evidence(other).describe()) for name, other in others]
    first = [row for row in rows if row[0] == chosen] or [(chosen, evidence(result).describe())]
    result.readings = first + [row for row in rows if row[0] != chosen]
    result.reading_note = why
