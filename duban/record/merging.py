"""The git merge driver for task files: two branches' edits of one task, merged field by field.

Progress reports from both sides are kept, in date order, without duplicates, in the layout
the file has (duban/progress.py): by unit when either side keeps them by unit (a merge of a
migrated branch with one that was not comes out migrated), else as one list. Any other
field changed on one side only takes that side's value. When both sides changed the status
differently, a supervisor's decision (delayed, blocked, cancelled) is kept over a status a
report implied, and otherwise the side with the newer report wins. Any other field both
sides changed is a true conflict: the file gets git's conflict markers around that field's
lines only, with the reports and every other field already merged outside them. Whatever
goes wrong (a side that does not parse, a file that is not UTF-8, git merge-file failing),
a file that is not merged cleanly always has conflict markers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from duban import progress as progress_layout
from duban.model import TASK_FIELDS
from duban.states import DECISIONS
from duban.store import yaml_round_trip, yamlio

_MISSING = object()


class Conflict(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass
class MergeResult:
    text: str
    clean: bool
    conflicts: list[str]


def _merge_reports(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    removed = [r for r in base if r not in ours or r not in theirs]
    merged: list[Any] = []
    for report in [*ours, *theirs]:
        if report not in merged and report not in removed:
            merged.append(report)
    # Same-date reports are ordered by their content, so both merge directions agree.
    return sorted(
        merged, key=lambda r: (str(r.get("date", "")), _canonical(r)) if isinstance(r, dict) else ("", _canonical(r))
    )


def _layout(progress: Any) -> str:
    return "keyed" if progress_layout.is_keyed(progress) else "list" if isinstance(progress, list) else "none"


def _merge_progress(base: Any, ours: Any, theirs: Any) -> Any:
    """The merged `progress` value, _MISSING for none. The layout follows the side that
    changed it (a migrated branch merged with one that was not comes out keyed by unit; the
    undoing of a migration comes out as the list again), the keyed one when both did.
    Conflict when the keyed result meets a report that names no unit (it has no key to go under)."""
    merged = _merge_reports(*(progress_layout.flat(side) for side in (base, ours, theirs)))
    kinds = [_layout(side) for side in (base, ours, theirs)]
    if kinds[1] == kinds[2] or kinds[0] == kinds[1]:
        layout = kinds[2]
    elif kinds[0] == kinds[2]:
        layout = kinds[1]
    else:
        layout = "keyed"
    if layout == "none" and merged:  # one side dropped every report while the other added one
        layout = "keyed" if "keyed" in kinds[1:] else "list"
    if layout == "none":
        return _MISSING
    if layout == "list":
        return merged or _MISSING
    keyed_sides = [side for side in (ours, theirs) if progress_layout.is_keyed(side)]
    base_keys = list(base) if progress_layout.is_keyed(base) else []
    keys: list[str] = []
    for side in keyed_sides:
        keys += [key for key in side if key not in keys]
    # A key one side removed (a unit taken off the task, with no report) stays removed.
    keys = [key for key in keys if key not in base_keys or all(key in side for side in keyed_sides)]
    try:
        return progress_layout.keyed(merged, keys)
    except progress_layout.UnitlessReport:
        raise Conflict("progress") from None


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _latest(reports: Any) -> str:
    if not isinstance(reports, list):
        return ""
    return max((str(r.get("date", "")) for r in reports if isinstance(r, dict)), default="")


def _merge_value(key: str, base: Any, ours: Any, theirs: Any, sides: tuple[Any, Any, Any]) -> Any:
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    if all(isinstance(v, dict) for v in (ours, theirs)) and (base is _MISSING or isinstance(base, dict)):
        base_map = base if isinstance(base, dict) else {}
        merged = {}
        for sub in [*ours, *(k for k in theirs if k not in ours)]:
            value = _merge_value(
                f"{key}.{sub}", base_map.get(sub, _MISSING), ours.get(sub, _MISSING), theirs.get(sub, _MISSING), sides
            )
            if value is not _MISSING:
                merged[sub] = value
        return merged
    if key == "status":
        if (ours in DECISIONS) != (theirs in DECISIONS):  # a supervisor's decision is not undone by a report
            return ours if ours in DECISIONS else theirs
        base_doc, ours_doc, theirs_doc = sides
        ours_latest = _latest(progress_layout.flat(ours_doc.get("progress")))
        theirs_latest = _latest(progress_layout.flat(theirs_doc.get("progress")))
        if ours_latest != theirs_latest:
            return ours if ours_latest > theirs_latest else theirs
    raise Conflict(key)


def merge_documents(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """The merged fields, in ours' order with theirs' new fields after; Conflict on a true conflict."""
    merged, conflicts = _merge_fields(base, ours, theirs)
    if conflicts:
        raise Conflict(conflicts[0])
    return merged


def _merge_fields(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The merged fields and the top-level fields in true conflict (those hold ours' value)."""
    merged: dict[str, Any] = {}
    conflicts: list[str] = []
    for key in [*ours, *(k for k in theirs if k not in ours)]:
        b, o, t = base.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING)
        if key == "progress":
            try:
                value: Any = _merge_progress(b, o, t)
            except Conflict:
                conflicts.append(key)
                value = o
        else:
            try:
                value = _merge_value(key, b, o, t, (base, ours, theirs))
            except Conflict:
                conflicts.append(key)
                value = o
        if value is not _MISSING:
            merged[key] = value
    return merged, conflicts


def merge_texts(base: str, ours: str, theirs: str) -> MergeResult:
    """Merge three versions of a task file. A true conflict leaves git's markers around the
    conflicting fields only; a side that cannot be read leaves them around the whole file."""
    try:
        docs = [
            yamlio.load_fast(text, name) if text.strip() else {}
            for text, name in ((base, "base"), (ours, "ours"), (theirs, "theirs"))
        ]
        if not all(isinstance(d, dict) for d in docs):
            raise Conflict("(not a mapping)")
    except (yamlio.YamlError, Conflict) as error:
        field = error.field if isinstance(error, Conflict) else "(unreadable YAML)"
        return MergeResult(_line_merge(base, ours, theirs), False, [field])
    base_doc, ours_doc, theirs_doc = docs
    merged, conflicts = _merge_fields(base_doc, ours_doc, theirs_doc)
    if not conflicts:
        return MergeResult(_render(ours, ours_doc, merged), True, [])
    # Three versions that differ only in the conflicting fields: their line merge puts the
    # markers around those fields alone, and the merged reports stay outside them.
    variants = []
    for side in (base_doc, ours_doc, theirs_doc):
        variant = dict(merged)
        for key in conflicts:
            if key in side:
                variant[key] = side[key]
            else:
                variant.pop(key, None)
        variants.append(_render(ours, ours_doc, variant))
    # Deferred: loads duban.store.merge_file (2 duban modules in all) only when this runs
    from duban.store.merge_file import merge_file

    lines = merge_file(*variants)
    if lines is not None and lines[1] == 0 and _is_mapping(lines[0]):
        return MergeResult(lines[0], True, [])  # the lines merged where the values did not (a list)
    return MergeResult(_line_merge(*variants), False, conflicts)


def _is_mapping(text: str) -> bool:
    try:
        return isinstance(yamlio.load_fast(text, "merged"), dict)
    except yamlio.YamlError:
        return False


def _render(ours: str, ours_doc: dict[str, Any], merged: dict[str, Any]) -> str:
    """`merged` written into ours' round-trip document, so its comments and layout stay;
    written plainly when ours cannot be read round-trip (ruamel refuses what libyaml took)."""
    try:
        document = yaml_round_trip.load_round_trip(ours, "ours")
    except yamlio.YamlError:
        document = None
    if not hasattr(document, "insert"):  # ours was empty or unreadable: no layout to keep
        return yaml_round_trip.dump_round_trip(yaml_round_trip.styled(merged)) if merged else ""
    for key in list(document):
        if key not in merged:
            del document[key]
    keys = list(merged)
    for index, key in enumerate(keys):
        if key in ours_doc and ours_doc[key] == merged[key]:
            continue
        node = yaml_round_trip.styled(merged[key])
        if key in document:
            document[key] = node
        else:
            document.insert(_position(list(document), key, keys[:index]), key, node)
    return yaml_round_trip.dump_round_trip(document)


def _position(present: list[str], key: str, earlier: list[str]) -> int:
    """Where a field new to ours goes: before the first field the file format puts after it
    (progress before source), else after the fields merged before it."""
    if key in TASK_FIELDS:
        rank = TASK_FIELDS.index(key)
        later = [i for i, k in enumerate(present) if k in TASK_FIELDS and TASK_FIELDS.index(k) > rank]
        if later:
            return later[0]
    after = [k for k in earlier if k in present]
    return present.index(after[-1]) + 1 if after else len(present) if key in TASK_FIELDS else 0


def _line_merge(base: str, ours: str, theirs: str) -> str:
    """git merge-file's result with conflict markers (labels ours/base/theirs); when it
    leaves none (it failed, or merged lines the fields said conflict), the whole of both sides
    between markers, so a conflicted file can never look resolved."""
    # Deferred: loads duban.store.merge_file (2 duban modules in all) only when this runs
    from duban.store.merge_file import merge_file

    result = merge_file(base, ours, theirs)
    if result is not None and result[1] > 0:
        return result[0]
    return whole_file_conflict(ours, theirs)


def whole_file_conflict(ours: str, theirs: str) -> str:
    def ending(text: str) -> str:
        return text if not text or text.endswith("\n") else text + "\n"

    return f"<<<<<<< ours\n{ending(ours)}=======\n{ending(theirs)}>>>>>>> theirs\n"


def run_driver(base_path: Path, ours_path: Path, theirs_path: Path) -> MergeResult:
    """What `duban merge-driver %O %A %B %P` does: merge into %A (ours). A side that is not
    UTF-8 (a GB18030 file) is merged as bytes by git merge-file, with markers."""
    data = [p.read_bytes() if p.exists() else b"" for p in (base_path, ours_path, theirs_path)]
    try:
        texts = [d.decode("utf-8") for d in data]
    except UnicodeDecodeError:
        # Deferred: loads duban.store.merge_file (2 duban modules in all) only when this runs
        from duban.store.merge_file import merge_file_bytes

        lines = merge_file_bytes(*data)
        if lines is not None and lines[1] > 0:
            merged = lines[0]
        else:
            merged = whole_file_conflict(data[1].decode("latin-1"), data[2].decode("latin-1")).encode("latin-1")
        ours_path.write_bytes(merged)
        return MergeResult(merged.decode("utf-8", errors="replace"), False, ["(not UTF-8)"])
    result = merge_texts(*texts)
    ours_path.write_bytes(result.text.encode("utf-8"))
    return result
