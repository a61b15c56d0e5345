"""The task card: one task as lines of text, wrapped for Chinese, used by `duban show` and by
the TUI's detail pane, so both show the same fields in the same words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from duban.i18n import _
from duban.model import Plan, Task, milestone_text, written_day
from duban.reading import Leads, deciding_report, figure_against
from duban.text.glyphs import glyph
from duban.text.textwidth import cell_width, wrap
from duban.vocabulary import shown


def task_card(
    task: Task,
    lead: Sequence[str],
    plan: Plan,
    shown_path: str,
    width: int,
    light: Sequence[str] = (),
    current_quarter: str | None = None,
    until: dt.date | None = None,
) -> list[str]:
    """`task` as lines of at most `width` cells (a line never starts with `,。)`).

    `light` adds the light's lines (colour, reasons) after the status; `current_quarter`
    marks that quarter's milestone with ▶. The status line's figure is the one that gives the
    task its percent (its effective lead `lead`'s, dated by `until`), as its light reads it,
    never a supporting unit's.
    """
    role = plan.roles
    lead_label = f"{_('lead')} ({role['lead']})" if "lead" in role else _("lead")
    support_label = f"{_('support')} ({role['support']})" if "support" in role else _("support")
    label_width = max(12, cell_width(lead_label) + 2, cell_width(support_label) + 2)
    if width - label_width < 16:  # a narrow pane: each label on a line of its own
        label_width = 2
    lines = [*wrap(f"{task.ref}  {task.title}", width), glyph("rule") * min(width, 60)]

    def field(label: str, value: str | None) -> None:
        if not value:
            return
        body = wrap(value, width - label_width)
        if label_width == 2:
            lines.append(label)
            lines.extend("  " + line for line in body)
            return
        pad = " " * max(label_width - cell_width(label), 1)
        lines.append(f"{label}{pad}{body[0]}")
        lines.extend(" " * label_width + more for more in body[1:])

    field(_("area"), " › ".join(x for x in (task.area, task.section) if x))
    field(_("category"), task.category)
    field(_("parent"), f"{task.plan_id}/{task.parent}" if task.parent else None)
    lead_text = "、".join(lead) + ("  " + _("(inherited from parent)") if lead and not task.lead else "")
    field(lead_label, lead_text)
    field(support_label, "、".join(task.support))
    if task.type:
        field(_("type"), f"{task.type} {plan.target_types.get(task.type, '')}".strip())
    latest = deciding_report(task.progress, Leads(lead, plan.units.own_name), until, figure_against(task.indicators))
    status = _(task.status) + (
        f" {glyph('middle')} "
        + _("{percent:g}% on {date}").format(percent=latest.percent, date=latest.date.isoformat())
        if latest
        else ""
    )
    field(_("status"), status)
    for line in light:
        lines.extend(wrap(line, width))
    field(_("due"), written_day(task.due))
    lines.append("")
    lines.extend(wrap(task.text, width))
    if task.milestones:
        lines += ["", _("milestones")]
        for key, value in task.milestones.items():
            field((glyph("current") + " " if key == current_quarter else "  ") + milestone_text(key), value)
    if task.indicators:
        lines += ["", _("indicators")]
        for indicator in task.indicators:
            name = indicator.get("name", "")
            field(
                f"  {shown('indicator', indicator['kind'])}",
                f"{name} {indicator['value']:g} {indicator['unit']}".strip(),
            )
    if task.progress:
        lines += ["", _("progress")]
        for report in task.progress:
            by = f" ({report.by})" if report.by else ""
            value = f" = {report.value:g}" if getattr(report, "value", None) is not None else ""
            field(f"  {report.date.isoformat()}", f"{report.percent:g}%{value}{by} {report.note or ''}".rstrip())
    lines.append("")
    source = task.source
    if source:
        span = source.get("lines")
        field(
            _("source"),
            source["document"] + (" " + _("lines {first}-{last}").format(first=span[0], last=span[1]) if span else ""),
        )
    field(_("file"), shown_path)
    return lines
