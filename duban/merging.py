"""The git merge driver for task files: two branches' edits of one task, merged field by field.

Progress reports from both sides are kept, in date order, without duplicates. Any other
field changed on one side only takes that side's value. When both sides changed a field
differently, the status is taken from the side with the newer report (units report in
parallel); any other such field is a true conflict, left to git's usual conflict markers.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from duban import yamlio

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
    return sorted(merged, key=lambda r: str(r.get("date", "")) if isinstance(r, dict) else "")


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
            value = _merge_value(f"{key}.{sub}", base_map.get(sub, _MISSING), ours.get(sub, _MISSING),
                                 theirs.get(sub, _MISSING), sides)
            if value is not _MISSING:
                merged[sub] = value
        return merged
    if key == "status":
        base_doc, ours_doc, theirs_doc = sides
        ours_latest, theirs_latest = _latest(ours_doc.get("progress")), _latest(theirs_doc.get("progress"))
        if ours_latest != theirs_latest:
            return ours if ours_latest > theirs_latest else theirs
    raise Conflict(key)


def merge_documents(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """The merged fields, in ours' order with theirs' new fields after; Conflict on a true conflict."""
    merged: dict[str, Any] = {}
    for key in [*ours, *(k for k in theirs if k not in ours)]:
        b, o, t = base.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING)
        if key == "progress":
            value: Any = _merge_reports(b if isinstance(b, list) else [], o if isinstance(o, list) else [],
                                        t if isinstance(t, list) else [])
            value = value or _MISSING
        else:
            value = _merge_value(key, b, o, t, (base, ours, theirs))
        if value is not _MISSING:
            merged[key] = value
    return merged


def merge_texts(base: str, ours: str, theirs: str) -> MergeResult:
    """Merge three versions of a task file; on a true conflict, git's line merge with markers."""
    try:
        docs = [yamlio.load_fast(text, name) if text.strip() else {}
                for text, name in ((base, "base"), (ours, "ours"), (theirs, "theirs"))]
        if not all(isinstance(d, dict) for d in docs):
            raise Conflict("(not a mapping)")
        merged = merge_documents(*docs)
    except (yamlio.YamlError, Conflict) as error:
        field = error.field if isinstance(error, Conflict) else "(unreadable YAML)"
        return MergeResult(_line_merge(base, ours, theirs), False, [field])
    # Write into ours' round-trip document, so its comments and layout stay.
    document = yamlio.load_round_trip(ours, "ours")
    if not hasattr(document, "insert"):  # ours was empty: there is no layout to keep
        return MergeResult(yamlio.dump_round_trip(yamlio.styled(merged)) if merged else "", True, [])
    ours_doc = docs[1]
    for key in list(document):
        if key not in merged:
            del document[key]
    keys = list(merged)
    for index, key in enumerate(keys):
        if key in ours_doc and ours_doc[key] == merged[key]:
            continue
        node = yamlio.styled(merged[key])
        if key in document:
            document[key] = node
        else:
            after = [k for k in keys[:index] if k in document]
            document.insert(list(document).index(after[-1]) + 1 if after else 0, key, node)
    return MergeResult(yamlio.dump_round_trip(document), True, [])


def _line_merge(base: str, ours: str, theirs: str) -> str:
    """git merge-file's result with conflict markers (labels ours/base/theirs)."""
    from duban.gitstore import merge_file

    return merge_file(base, ours, theirs)


def run_driver(base_path: Path, ours_path: Path, theirs_path: Path) -> MergeResult:
    """What `duban merge-driver %O %A %B %P` does: merge into %A (ours)."""
    texts = [p.read_text(encoding="utf-8") if p.exists() else "" for p in (base_path, ours_path, theirs_path)]
    result = merge_texts(*texts)
    ours_path.write_text(result.text, encoding="utf-8")
    return result
