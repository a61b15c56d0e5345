"""Pieces several pages share: paragraphs, the figures block, the 对照表 (a comparison of the
tasks), tallies, the progress chart's points and the colophon."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from duban.i18n import _, language
from duban.model import Task, natural_key
from duban.site import charts
from duban.site.figures import Period, PlanFigures
from duban.site.html import Column, chinese_date, esc, light_badge, link, percent, quarter_name, rel, status_name, table
from duban.site.pages.paths import task_page, unit_page
from duban.states import DECISIONS
from duban.supervise.circular.document import counts as circular_counts
from duban.supervise.export.text import progress_words
from duban.supervise.reports import NONE, Tally
from duban.supervise.scoring import canonical
from duban.supervise.selection import Selection
from duban.text.numbers import whole_percent
from duban.vocabulary import shown

NOTE_LENGTH = 80  # characters of a note in the 对照表; the task's page has it whole


def ratio(part: int, whole: int) -> str:
    """A share as the circular prints it (one decimal)."""
    return f"{100.0 * part / whole:.1f}%" if whole else "—"


def para(text: str, css: str = "") -> str:
    """A paragraph of plain text (escaped), with a class where given."""
    return f'<p class="{css}">{esc(text)}</p>' if css else f"<p>{esc(text)}</p>"


def _figure(number: str, words: str) -> str:
    return f'<div class="figure"><span class="n">{esc(number)}</span><span class="w">{esc(words)}</span></div>'


def overall_counts(f: PlanFigures, tasks: Sequence[Task]) -> Counter[str]:
    """Done, on schedule, lagging, per light and late: the circular's 总体情况 counts."""
    return circular_counts(f.selection, tasks)


def overall_rate(f: PlanFigures) -> tuple[int, int]:
    """The overall on-time figure (docs/reading.md rule 7): answered over owed, summed over
    every scored unit, as the circular's 总体情况 and the ledger's score sheet give it."""
    return sum(u.met for u in f.scores.units), sum(u.due for u in f.scores.units)


def figures_block(counts: Counter[str], met: int, due: int) -> str:
    n = counts["tasks"]
    return (
        '<div class="figures">'
        + _figure(str(n), _("tasks"))
        + _figure(str(counts["done"]), _("done") + f"（{ratio(counts['done'], n)}）")
        + _figure(str(counts["on_schedule"]), _("on schedule") + f"（{ratio(counts['on_schedule'], n)}）")
        + _figure(
            str(counts["lagging"]),
            _("lagging: {red} red, {yellow} yellow").format(red=counts["red"], yellow=counts["yellow"]),
        )
        + _figure(str(counts["grey"]), _("not yet due or not started"))
        + _figure(str(counts["late"]), _("tasks with a late report"))
        + _figure(ratio(met, due), _("on-time reporting, whole year ({met} of {due})").format(met=met, due=due))
        + "</div>"
    )


def units_links(f: PlanFigures, source: str, units: Iterable[str]) -> str:
    return "、".join(link(rel(source, unit_page(f.plan.id, u)), u) for u in units) or "—"


def milestone_now(task: Task, day: dt.date) -> str:
    """The milestone of the period the day falls in: its quarter's, or the next dated one."""
    if not task.milestones:
        return ""
    quarter = f"Q{(day.month - 1) // 3 + 1}"
    if quarter in task.milestones:
        return f"{quarter_name(quarter)}：{task.milestones[quarter]}"
    dated = sorted(k for k in task.milestones if isinstance(k, dt.date))
    if dated:
        key = next((k for k in dated if k >= day), dated[-1])
        return f"{key.isoformat()}：{task.milestones[key]}"
    return ""


def _excerpt(text: str, length: int = NOTE_LENGTH) -> str:
    return text if len(text) <= length else text[:length].rstrip() + "…"


def _last_report_cell(f: PlanFigures, task: Task, source: str) -> str:
    report = f.deciding(task)
    if report is None:
        return esc(_("no report from the lead yet"))
    said = progress_words(report.note)
    # Named: on a task with several leads the last report is one lead's, not every lead's.
    who = canonical(f.plan, report.by) if report.by else ""
    colon = ("：" if language() == "zh" else ": ") if who and said else ""
    return f"{esc(report.date.isoformat())} {esc(who)}{colon}{esc(_excerpt(said))}"


def comparison_table(
    f: PlanFigures,
    tasks: Sequence[Task],
    source: str,
    selection: Selection | None = None,
    with_lead: bool = True,
    day: dt.date | None = None,
    unit: str | None = None,
) -> str:
    """The 对照表: each task's target beside what was done, with the light; on `unit`'s page
    迟报 beside the light is that unit's own (a co-lead may have reported in time)."""
    selection = selection or f.selection
    day = day or selection.as_of
    columns = [Column(_("No.")), Column(_("task")), Column(_("target (指标要求)"), optional=True)]
    columns += [Column(_("lead unit"))] if with_lead else []
    columns += [
        Column(_("milestone of the period"), optional=True),
        Column(_("percent done"), numeric=True),
        Column(_("expected progress (序时进度)"), numeric=True),
        Column(_("light")),
        Column(_("last report"), optional=True),
    ]
    rows, classes = [], []
    for task in sorted(tasks, key=lambda t: natural_key(t.id)):
        light = selection.light_of(task)
        row = [esc(task.id), link(rel(source, task_page(task)), task.title), esc(_excerpt(task.text, 160))]
        row += [units_links(f, source, f.lead(task))] if with_lead else []
        state = f"<br>{esc(status_name(task.status))}" if task.status in DECISIONS else ""
        row += [
            esc(milestone_now(task, day)),
            percent(light.percent),
            f"{whole_percent(light.expected_exact)}%",
            light_badge(light.colour, light.late if unit is None else unit in f.late_units(task)) + state,
            _last_report_cell(f, task, source),
        ]
        rows.append(row)
        classes.append("lagging" if light.colour.is_lagging else "")
    return table(columns, rows, css="comparison", row_classes=classes)


def tally_table(f: PlanFigures, tallies: Sequence[Tally], source: str, kind: str) -> str:
    """Lights per area, unit or type, worst first, as `duban report --by` ranks them."""
    name = {"unit": _("unit"), "area": _("area"), "type": _("type")}[kind]
    columns = [Column(name)] + ([Column(_("role"))] if kind == "unit" else [])
    columns += [Column(_("tasks"), numeric=True), Column(_("done"), numeric=True)]
    columns += [Column(light_word, numeric=True) for light_word in (_("red"), _("yellow"), _("green"), _("grey"))]
    columns += [Column(_("late report"), numeric=True), Column(_("on-time %"), numeric=True)]
    rows = []
    for tally in tallies:
        if kind == "unit":
            first = link(rel(source, unit_page(f.plan.id, tally.group)), tally.group)
        elif tally.group == NONE:  # tasks the plan gives no type (or area): not English in the page
            first = esc(_("(unclassified)"))
        elif kind == "type":
            first = esc(shown("type", tally.group))
        else:
            first = esc(tally.group)
        row = [first] + ([esc(shown("role", tally.role))] if kind == "unit" else [])
        row += [
            str(tally.tasks),
            str(tally.done),
            str(tally.red),
            str(tally.yellow),
            str(tally.green),
            str(tally.grey),
            "—" if tally.late is None else str(tally.late),
            "—" if tally.on_time_rate is None else f"{tally.on_time_rate:g}%",
        ]
        rows.append(row)
    return table(columns, rows)


def progress_points(f: PlanFigures, tasks_of_period: Callable[[Period], Sequence[Task]]) -> list[charts.Point]:
    """The mean percent and mean expected progress of some tasks at each period."""
    points = []
    for period in f.periods:
        chosen = tasks_of_period(period)
        if not chosen:
            continue
        lights_then = [period.selection.light_of(t) for t in chosen]
        points.append(
            charts.Point(
                period.label,
                round(sum(x.percent for x in lights_then) / len(chosen), 1),
                round(sum(x.expected_exact for x in lights_then) / len(chosen), 1),
            )
        )
    return points


def period_versions(period: Period, wanted: Iterable[str]) -> list[Task]:
    """The period's versions of the tasks `wanted` (refs) that existed then."""
    found = period.by_ref
    return [found[ref] for ref in dict.fromkeys(wanted) if ref in found]


def colophon(f: PlanFigures, with_commit: bool = False) -> str:
    """The page's foot: the day it is as of, and, on the plan's and the seals' pages only, the
    commit it was built from (on every page, one new commit would rewrite every page)."""
    commit = ""
    if with_commit:
        commit = (
            " "
            + esc(_("Built from the record at commit"))
            + " "
            + (f'<code class="sha">{esc(f.commit[:12])}</code>.' if f.commit else esc(_("none")) + ".")
        )
    return (
        f'<footer class="colophon">{esc(_("As of {date}.").format(date=chinese_date(f.as_of)))}{commit} '
        f"{esc(_('Every figure is the one the circular, the ledger and the scores give for the same day.'))}"
        "</footer>"
    )
