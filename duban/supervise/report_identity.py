"""A report's own identity: a digest of its task, its unit's own name and every field it
carries, which is how a deadline seal holds it (duban/supervise/seals/).

Two reports of the same day by the same unit differ when anything in them differs: a seal
that holds one does not hold a second typed in afterwards. A unit typed with an alias and
later kept under its own name (`duban migrate`) is the same report, so the unit is named by
its own name. Imports nothing heavy: `list` computes it for every report a seal judges.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from duban.model import Plan, Report

LENGTH = 20  # hex digits: 80 bits, far beyond a unit's reach to make a second report that matches


def _number(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return str(value)


def report_identity(task_id: str, unit: str, report: Report) -> str:
    """The identity of `report` (a model.Report) of task `task_id` by `unit` (its own name, ""
    for none)."""
    fields = [
        str(task_id),
        unit or "",
        report.date.isoformat(),
        _number(report.percent),
        _number(report.value),
        report.status or "",
        report.note or "",
    ]
    data = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:LENGTH]


def identity_in(plan: Plan, task_id: str, report: Report) -> str:
    """report_identity with the unit's own name from the plan's registry."""
    return report_identity(task_id, plan.units.own_name(report.by) if report.by else "", report)
