"""The plan's page: its figures, the units lagging behind, the light matrix and the 对照表."""

from __future__ import annotations

import functools
from collections import Counter

from duban.i18n import _
from duban.model import Task, natural_key
from duban.site import charts
from duban.site.figures import PlanFigures, ReportLine
from duban.site.html import Column, Page, chinese_date, esc, light_badge, link, percent, rel, status_name, table
from duban.site.pages import table as table_pages
from duban.site.pages.paths import (
    circular_page,
    crumbs,
    period_page,
    plan_name,
    plan_page,
    sections,
    task_page,
    unit_page,
    units_page,
)
from duban.site.pages.pieces import (
    colophon,
    figures_block,
    overall_counts,
    overall_rate,
    para,
    period_versions,
    progress_points,
    tally_table,
)
from duban.states import LightColour, Status
from duban.supervise.circular.words import problems
from duban.supervise.export.text import note_parts, progress_words
from duban.text.numbers import whole_percent
from duban.vocabulary import shown


def plan(f: PlanFigures) -> Page:
    path = plan_page(f.plan.id)
    counts = overall_counts(f, f.tasks)
    met, due = overall_rate(f)
    intro = " ".join(x for x in (f.plan.document_number or "", f.plan.issuer or "") if x)
    body = [
        f"<h1>{esc(f.plan.title)}</h1>",
        f'<p class="lead">{esc(intro)} {esc(_("State as of {date}").format(date=chinese_date(f.as_of)))}</p>',
        figures_block(counts, met, due),
    ]
    body.append(f'<h2 id="{LAGGING}">{esc(_("Who lags, and why"))}</h2>')
    body.append(lagging_units(f, path))
    latest = next((p for p in reversed(f.periods) if p.issued), None)
    if latest is not None:
        # Its day named: the page's figures above are of the site's day, which may be later.
        heading = _("What the latest circular says ({label}, issue {issue}, as of {date})").format(
            label=latest.label, issue=latest.circular.issue, date=chinese_date(latest.circular.as_of)
        )
        body.append(f"<h3>{esc(heading)}</h3>")
        body.append(
            '<div class="document">'
            + "".join(
                f"<h4>{esc(heading)}</h4>" + "".join(f"<p>{esc(line)}</p>" for line in lines)
                for heading, lines in problems(latest.circular)
            )
            + "</div>"
        )
        body.append(
            "<p>"
            + link(rel(path, circular_page(f.plan.id, latest)), _("Open the circular"))
            + " · "
            + link(rel(path, period_page(f.plan.id, latest)), _("The period's page"))
            + "</p>"
        )
    body.append(f"<h2>{esc(_('Lights by unit, worst first'))}</h2>")
    body.append(tally_table(f, [t for t in f.by_unit if t.role == "lead"], path, "unit"))
    body.append(f"<p>{link(rel(path, units_page(f.plan.id)), _('Every unit, as lead and as support'))}</p>")
    body.append(f"<h2>{esc(_('Lights by area, worst first'))}</h2>")
    body.append(tally_table(f, f.by_area, path, "area"))
    if f.by_type:
        body.append(f"<h2>{esc(_('Lights by target type, worst first'))}</h2>")
        body.append(tally_table(f, f.by_type, path, "type"))
    if f.periods:
        body.append(f"<h2>{esc(_('Percent done against the expected progress, by area'))}</h2>")
        for area in dict.fromkeys(t.area for t in f.tasks):
            refs = [t.ref for t in f.tasks if t.area == area]
            body.append(
                charts.progress_chart(area, progress_points(f, functools.partial(period_versions, wanted=refs)))
            )
        body.append(f"<h2>{esc(_('Lights of each unit at each period'))}</h2>")
        body.append(light_matrix(f, path))
    body.append(f'<h2 id="table">{esc(_("The 对照表: each target beside what was done"))}</h2>')
    body.append(
        para(
            _(
                "The table is in pages, one for each area (an area of many tasks in parts); each "
                "page opens and prints by itself."
            )
        )
    )
    body.append(table_pages.index(f, table_pages.of_plan(f)))
    body.append(colophon(f, with_commit=True))
    return Page(path, plan_name(f), "\n".join(body), crumbs(f), sections(f), paper="A3")


def lagging_units(f: PlanFigures, source: str) -> str:
    """Which units lag and why: each unit whose led tasks are red or yellow, worst first (as
    `duban report` ranks them); then each lagging task with its figures, what each of its
    leads said (or that it has not reported, what_was_said) and, folded, why its light is what
    it is (lights.Light.reasons, as `duban explain` gives them); then the units that missed
    the latest deadline, whose rows above already say so, last, so that on a phone the
    reasons come right after the units."""
    lagging = [t for t in f.by_unit if t.role == "lead" and (t.red or t.yellow)]
    late: dict[str, list[Task]] = {}
    for task in f.tasks:
        for unit in f.late_units(task):
            if not f.collective(unit):
                late.setdefault(unit, []).append(task)
    if not lagging and not late:
        return f"<p>{esc(_('No unit lags: every task a unit leads is on schedule or not yet due, and every report came in time.'))}</p>"
    summary = _("{units} units lead lagging tasks; {late} units did not report by the latest deadline.")
    parts = [para(summary.format(units=len(lagging), late=len(late)))]
    rows = []
    for tally in lagging:
        tasks = [t for t in f.tasks_of(tally.group, "lead") if f.light(t).colour.is_lagging]
        rows.append(
            [
                link(rel(source, unit_page(f.plan.id, tally.group)), tally.group),
                str(tally.red),
                str(tally.yellow),
                str(tally.late_reports),
                "、".join(
                    link(rel(source, task_page(t)), t.id) for t in sorted(tasks, key=lambda t: natural_key(t.id))
                ),
            ]
        )
    parts.append(
        table(
            [
                Column(_("unit")),
                Column(_("red"), numeric=True),
                Column(_("yellow"), numeric=True),
                Column(_("late report"), numeric=True),
                Column(_("lagging tasks")),
            ],
            rows,
        )
    )
    rows = []
    for tally in lagging:
        tasks = [t for t in f.tasks_of(tally.group, "lead") if f.light(t).colour.is_lagging]
        for task in sorted(tasks, key=lambda t: (f.light(t).colour != LightColour.RED, natural_key(t.id))):
            light = f.light(task)
            state = f"<br>{esc(status_name(task.status))}" if Status.is_held(task.status) else ""
            why = "".join(f"<li>{esc(reason)}</li>" for reason in light.reasons)
            rows.append(
                [
                    esc(tally.group),
                    link(rel(source, task_page(task)), f"{task.id} {task.title}"),
                    # late: this unit missed the deadline (a co-lead may have reported in time)
                    light_badge(light.colour, tally.group in f.late_units(task)) + state,
                    f"{percent(light.percent)} / {whole_percent(light.expected_exact)}%",
                    what_was_said(f, task, tally.group)
                    + (
                        # Folded on a screen; on paper, where nothing unfolds, printed open.
                        f"<details><summary>{esc(_('why this light'))}</summary><ul>{why}</ul></details>"
                        f'<ul class="on-paper">{why}</ul>'
                        if why
                        else ""
                    ),
                ]
            )
    if rows:
        parts.append(f"<h3>{esc(_('Each lagging task, and what its lead said'))}</h3>")
        parts.append(
            table(
                [
                    Column(_("unit")),
                    Column(_("task")),
                    Column(_("light")),
                    Column(_("done / expected"), numeric=True),
                    Column(_("the lead says")),
                ],
                rows,
                css="stack",  # on a phone a task a block: what the unit said is never out of sight
            )
        )
    if late:  # after the why: on a phone the lead's words come right after the units
        rows = [
            [
                link(rel(source, unit_page(f.plan.id, unit)), unit),
                "、".join(link(rel(source, task_page(t)), t.id) for t in tasks),
            ]
            for unit, tasks in sorted(late.items(), key=lambda i: (-len(i[1]), i[0]))
        ]
        parts.append(f"<h3>{esc(_('Units that did not report by the latest deadline'))}</h3>")
        parts.append(table([Column(_("unit")), Column(_("tasks without a report"))], rows))
    return "\n".join(parts)


LAGGING = "lagging"  # the anchor of "who lags, and why", which the front page links to
STRIPPED = ": ："  # what is left of "{unit} … {percent}: {said}" where the report said nothing


def what_was_said(f: PlanFigures, task: Task, unit: str) -> str:
    """What `unit`, a lead of the lagging `task`, said in its own latest report (the 存在问题 of
    its note, else its progress), or that it has not reported; then each other unit's latest
    report on the task under that unit's name and role. Who said what is never moved: on a
    task with several leads, or where only a supporting unit reported, another unit's words
    and figure are not shown as the row's unit's (docs/reading.md rule 1)."""
    latest: dict[str, ReportLine] = {}
    for line in f.report_lines.get(task.id, []):
        if line.unit:
            latest[line.unit] = line  # oldest first: the last one kept is the unit's latest
    own = latest.pop(unit, None)
    if own is None or own.role != "lead":
        cell = esc(_("has not reported"))
    else:
        said = note_parts(own.report.note)["存在问题"] or progress_words(own.report.note)
        cell = esc(said) if said else esc(_("(no reason given)"))
    others = [
        _("{unit} ({role}, {date}) {percent}: {said}").format(
            unit=line.unit,
            role=shown("role", line.role),
            date=chinese_date(line.report.date),
            percent=percent(line.report.percent),
            said=note_parts(line.report.note)["存在问题"] or progress_words(line.report.note),
        )
        for line in sorted(latest.values(), key=lambda line: (line.role != "lead", line.report.date, line.unit))
    ]
    if others:
        items = "".join(f"<li>{esc(other.rstrip(STRIPPED))}</li>" for other in others)
        cell += f'<ul class="others">{items}</ul>'
    return cell


def light_matrix(f: PlanFigures, source: str) -> str:
    labels = [p.label for p in f.periods]
    rows = []
    # Worst first as the lights by unit rank the units as leads (f.units ranks their support rows too).
    leading = [t.group for t in f.by_unit if t.role == "lead"]
    for unit in dict.fromkeys([*leading, *f.units]):
        if f.collective(unit) or not f.tasks_of(unit, "lead"):
            continue
        refs = {t.ref for t in f.tasks_of(unit, "lead")}
        counts = [Counter(p.selection.light_of(t).colour for t in period_versions(p, refs)) for p in f.periods]
        rows.append(charts.Row(unit, rel(source, unit_page(f.plan.id, unit)), [dict(c) for c in counts]))
    return charts.light_matrix(_("Lights of the tasks each unit leads, period by period"), labels, rows)
