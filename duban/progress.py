"""The two layouts of a task's progress reports in its file, read and shaped in this one place.

Keyed (written by import, `duban init`'s plans and `duban migrate`): `progress` maps every
unit of the task, in the task's order (lead units, then support units), to that unit's
reports, oldest first; a unit with no report yet has its key with no value:

    progress:
      金融办:
        - date: 2019-06-24
          percent: 50
      商务委:
      公安分局:

A unit's reports carry no `by:`: the key says whose they are. Two units reporting on the same
task then write under different keys, with at least one unchanged line (the later unit's key)
between the two insertions, so git's ordinary three-way merge (the one a forge runs, which
never runs duban's merge driver) keeps both.

Legacy (every file written before the keyed layout): one list, oldest first, each report
naming its unit with `by:`. Both layouts are read; a write keeps the layout the file has,
since a clone that converted a file while another did not would make a conflict of it.
A task with no unit at all (a work report that names none) keeps the list: its reports
name no unit.

Everything that reads reports out of a raw document goes through `located` or `flat`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any


def _plain(name: str) -> str:
    return "".join(str(name).split())


def is_keyed(progress: Any) -> bool:
    return isinstance(progress, dict)


def located(progress: Any) -> Iterator[tuple[tuple[Any, ...], str | None, Any]]:
    """Each report with its pointer below `progress` and its unit, in file order:
    ((unit, index), unit, report) in the keyed layout, ((index,), by, report) in the list."""
    if isinstance(progress, dict):
        for unit, reports in progress.items():
            for index, report in enumerate(reports if isinstance(reports, list) else ()):
                yield (unit, index), unit, report
    elif isinstance(progress, list):
        for index, report in enumerate(progress):
            yield (index,), report.get("by") if isinstance(report, dict) else None, report


def runs(progress: Any) -> Iterator[list[tuple[tuple[Any, ...], Any]]]:
    """The sequences that must each be in date order: every unit's list (keyed), or the one list."""
    if isinstance(progress, dict):
        for unit, reports in progress.items():
            yield [((unit, index), report) for index, report in enumerate(reports if isinstance(reports, list) else ())]
    elif isinstance(progress, list):
        yield [((index,), report) for index, report in enumerate(progress)]


def run_of(progress: Any, unit: str | None, canonical: Callable[[str], str] | None = None) -> list[Any]:
    """The reports a new one by `unit` goes after, which it must not predate (see runs): that
    unit's own list in the keyed layout (another unit's later report is no bar: a unit typing
    its report in late comes after it), or the one list."""
    if isinstance(progress, dict):
        key = key_of(unit, progress, canonical) if unit else None
        reports = progress.get(key) if key is not None else None
        return reports if isinstance(reports, list) else []
    return progress if isinstance(progress, list) else []


def flat(progress: Any) -> list[Any]:
    """The reports as one list, oldest first, each with its `by`: a keyed file's reports sorted
    by date (reports of one date in the order of the keys), a list as it stands."""
    if isinstance(progress, dict):
        reports = [{**report, "by": unit} for _pointer, unit, report in located(progress) if isinstance(report, dict)]
        return sorted(reports, key=lambda report: str(report.get("date", "")))
    if isinstance(progress, list):
        return list(progress)
    return []


def unit_keys(units: Iterable[str], canonical: Callable[[str], str] | None = None) -> list[str]:
    """The keys of a task's progress: its units in order (lead, then support), each once,
    under its canonical name where `canonical` knows it."""
    keys: list[str] = []
    seen: set[str] = set()
    for name in units:
        key = canonical(name) if canonical else name
        if _plain(key) not in seen:
            seen.add(_plain(key))
            keys.append(key)
    return keys


def key_of(unit: str, keys: Iterable[str], canonical: Callable[[str], str] | None = None) -> str | None:
    """The key among `keys` that names `unit` (whitespace and, with `canonical`, aliases aside)."""
    wanted = _plain(canonical(unit) if canonical else unit)
    for key in keys:
        if _plain(canonical(key) if canonical else key) == wanted:
            return key
    return None


class UnitlessReport(ValueError):
    """A report that names no unit cannot go under a unit's key."""

    def __init__(self, report: Any) -> None:
        super().__init__(str(report.get("date", "?")) if isinstance(report, dict) else "?")
        self.report = report


def keyed(reports: Iterable[Any], keys: Iterable[str], canonical: Callable[[str], str] | None = None) -> dict[str, Any]:
    """Reports (each with its `by`) under their unit's key, oldest first, without `by`; a key
    with no report holds None; a report whose unit has no key gets one after the others.
    UnitlessReport for a report with no `by`."""
    shaped: dict[str, Any] = {key: None for key in keys}
    for report in sorted(reports, key=lambda r: str(r.get("date", "")) if isinstance(r, dict) else ""):
        unit = report.get("by") if isinstance(report, dict) else None
        if not isinstance(unit, str) or not unit.strip():
            raise UnitlessReport(report)
        key = key_of(unit, shaped, canonical) or unit
        shaped[key] = [*(shaped.get(key) or []), {k: v for k, v in report.items() if k != "by"}]
    return shaped
