"""The import report: what each line of the source became, or why it was skipped."""

from __future__ import annotations

from collections import Counter

from duban.i18n import _
from duban.importing.result import ImportResult


def _excerpt(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "…"


def summary(result: ImportResult, plan_id: str) -> str:
    parents = sum(1 for t in result.tasks if "parent" not in t)
    subs = len(result.tasks) - parents
    lines = sum(1 for line in result.document.lines if line.text)
    in_tasks = sum(1 for where in result.used.values() if where.startswith("task"))
    kinds = _("{count} tasks").format(count=parents) + (_(" and {count} sub-items").format(count=subs) if subs else "")
    return _(
        "{document} -> plans/{plan} ({layout} layout, {encoding}): {kinds} in {areas} areas, {units} units; "
        "of {lines} non-blank lines {in_tasks} in tasks, {in_plan} in plan.yaml or headers, "
        "{skipped} skipped"
    ).format(
        document=result.document.name,
        plan=plan_id,
        layout=result.layout,
        encoding=result.document.encoding,
        kinds=kinds,
        areas=len(result.areas),
        units=len(result.units.names()),
        lines=lines,
        in_tasks=in_tasks,
        in_plan=lines - in_tasks - len(result.skipped),
        skipped=len(result.skipped),
    )


def full_report(result: ImportResult, plan_id: str) -> str:
    out = [f"# Import report: {result.document.name}", "", summary(result, plan_id), ""]
    reasons = Counter(result.skipped.values())
    out.append("## Skipped lines")
    out.append("")
    if not result.skipped:
        out.append("None.")
    for number in sorted(result.skipped):
        out.append(f"- line {number}: {result.skipped[number]}: {_excerpt(result.document.lines[number - 1].text)}")
    if reasons:
        out += ["", "By reason: " + "; ".join(f"{reason} ({count})" for reason, count in reasons.most_common())]
    out += ["", "## Lines used for plan.yaml and headings", ""]
    for number in sorted(result.used):
        where = result.used[number]
        if not where.startswith("task"):
            out.append(f"- line {number}: {where}: {_excerpt(result.document.lines[number - 1].text)}")
    if result.notes:
        out += ["", "## Notes", ""] + [f"- {note}" for note in result.notes]
    out += ["", "## Units", ""]
    for unit in result.units.registry():
        aliases = f" (written {', '.join(repr(a) for a in unit['aliases'])})" if "aliases" in unit else ""
        out.append(f"- {unit['name']}: {unit['kind']}{aliases}")
    return "\n".join(out) + "\n"
