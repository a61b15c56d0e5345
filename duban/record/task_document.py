"""Changes to a task's round-trip YAML document: a field put in its place, a report appended
in the file's own layout, the reports' unit keys kept in step with the task's units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from duban import progress as progress_layout
from duban.errors import DubanError
from duban.i18n import _
from duban.model import TASK_FIELDS, Task, effective_lead
from duban.store.repository import Repository


def put_field(document: CommentedMap, key: str, value: object) -> None:
    """Set a field; a new one goes where TASK_FIELDS puts it, after the fields before it."""
    if key in document:
        document[key] = value
        return
    rank = TASK_FIELDS.index(key) if key in TASK_FIELDS else len(TASK_FIELDS)
    keys = list(document)
    position = next((i for i, k in enumerate(keys) if k in TASK_FIELDS and TASK_FIELDS.index(k) > rank), len(keys))
    document.insert(position, key, value)


def add_report(
    document: CommentedMap,
    day: dt.date,
    percent: float,
    *,
    status: str,
    note: str | None = None,
    unit: str | None = None,
    value: float | None = None,
    given: str | None = None,
    keys: list[str] | None = None,
    canonical: Callable[[str], str] | None = None,
) -> str:
    """Append a report to a round-trip task document and set the task's status; only the new
    report's lines and the status line change. A status `given` with the report is kept on
    the report too: it belongs to the report's date (docs/reading.md rule 4).

    The file's layout is kept (duban/progress.py): in the keyed layout the report goes at the
    end of its unit's reports, without `by`; in a legacy list, at the end of the list with its
    `by`. A task with no reports yet is written keyed when it has units (`keys`)."""
    entry = CommentedMap()
    entry["date"] = day
    entry["percent"] = int(percent) if float(percent).is_integer() else percent
    if value is not None:
        # A whole number is written as one (5500, not 5500.0), but only where a float holds
        # it exactly: 1e308 stays 1e308, not a 309-digit integer.
        entry["value"] = int(value) if float(value).is_integer() and abs(value) < 2**53 else value
    if note:
        entry["note"] = note.strip()
    if given:
        entry["status"] = given
    progress = document.get("progress")
    if progress is None and unit and keys:
        progress = CommentedMap((key, None) for key in keys)
        put_field(document, "progress", progress)
    if progress_layout.is_keyed(progress) and unit:
        key = progress_layout.key_of(unit, progress, canonical)
        if key is None:  # a unit the keys do not name yet (a sub-item's inherited lead): after the others
            key = unit
            progress[key] = None
        if progress[key] is None:
            progress[key] = CommentedSeq()
        progress[key].append(entry)
    else:
        if progress_layout.is_keyed(progress):
            raise DubanError(
                _("a report without a reporting unit cannot go into the reports kept by unit"),
                hint=_("name the unit with --by"),
            )
        if unit:
            entry["by"] = unit
        if progress is None:
            progress = CommentedSeq()
            put_field(document, "progress", progress)
        progress.append(entry)
    if document.get("status") != status:
        document["status"] = status
    return status


def canonical_in(repo: Repository, plan_id: str) -> Callable[[str], str]:
    """A function giving a unit name's canonical name in the plan (the name itself when unknown)."""
    return repo.plan(plan_id).units.own_name


def progress_keys(
    repo: Repository, task: Task, lead: Sequence[str] | None = None, support: Sequence[str] | None = None
) -> list[str]:
    """The keys a task's reports are kept under: its (effective) lead units, then its support
    units, by canonical name. `lead`/`support` give the values about to be written."""
    own_lead = tuple(task.lead if lead is None else lead)
    current = replace(task, lead=own_lead, support=tuple(task.support if support is None else support))
    units = (*effective_lead(current, repo.lineage(task)), *current.support)
    return progress_layout.unit_keys(units, canonical_in(repo, task.plan_id))


def keep_keys_in_step(repo: Repository, task: Task, document: CommentedMap) -> None:
    """After lead or support changed: every unit of the task has its key, in the task's order;
    a key of a unit no longer on the task goes only when it holds no report."""
    progress = document.get("progress")
    if not progress_layout.is_keyed(progress):
        return
    canonical = canonical_in(repo, task.plan_id)
    wanted = progress_keys(repo, task, document.get("lead") or (), document.get("support") or ())
    for key in [k for k in progress if progress_layout.key_of(k, wanted, canonical) is None]:
        if not progress[key]:
            del progress[key]
    for index, key in enumerate(wanted):
        if progress_layout.key_of(key, progress, canonical) is not None:
            continue
        later = [list(progress).index(k) for k in wanted[index + 1 :] if k in progress]
        progress.insert(later[0] if later else len(progress), key, None)
