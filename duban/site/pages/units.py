"""The units' pages: the index of units, and each unit's tasks, score and reports."""

from __future__ import annotations

from collections.abc import Sequence

from duban.i18n import _
from duban.model import natural_key
from duban.site import charts
from duban.site.figures import PlanFigures, ReportLine
from duban.site.html import Column, Page, chinese_date, definition_list, esc, link, percent, rel, status_name, table
from duban.site.pages.paths import crumbs, plan_name, sections, task_page, unit_page, units_page
from duban.site.pages.pieces import (
    colophon,
    comparison_table,
    para,
    period_versions,
    progress_points,
    ratio,
    tally_table,
)
from duban.supervise.scoring import UnitScore
from duban.vocabulary import shown

RULE_WORDS = {
    "late_report": "late report",
    "red_at_deadline": "red at the deadline",
    "yellow_at_deadline": "yellow at the deadline",
    "done_early": "done early",
}


def units_index(f: PlanFigures) -> Page:
    path = units_page(f.plan.id)
    body = [
        f"<h1>{esc(_('Units of {plan}').format(plan=plan_name(f)))}</h1>",
        f'<p class="lead">{esc(_("Worst first, as lead and as support, as of {date}.").format(date=chinese_date(f.as_of)))}</p>',
        tally_table(f, f.by_unit, path, "unit"),
    ]
    ranked = [u for u in f.scores.units if u.rank is not None]
    if ranked:
        body.append(f"<h2>{esc(_('Scores and ranks'))}</h2>")
        body.append(
            table(
                [
                    Column(_("rank"), numeric=True),
                    Column(_("unit")),
                    Column(_("score"), numeric=True),
                    Column(_("on-time %"), numeric=True),
                ],
                [
                    [
                        u.shown_rank,
                        link(rel(path, unit_page(f.plan.id, u.unit)), u.unit),
                        f"{u.score:g}",
                        "—" if u.on_time_rate is None else f"{u.on_time_rate:g}%",
                    ]
                    for u in sorted(ranked, key=lambda u: (u.rank or 0, u.unit))
                ],
            )
        )
    collectives = [u for u in f.units if f.collective(u)]
    if collectives:
        body.append(
            f"<h2>{esc(_('Names for several units (统称)'))}</h2>"
            + para(_("They are never ranked or scored; the office follows their tasks up by number."))
            + "<ul>"
            + "".join(f"<li>{link(rel(path, unit_page(f.plan.id, u)), u)}</li>" for u in collectives)
            + "</ul>"
        )
    body.append(colophon(f))
    return Page(
        path,
        _("Units of {plan}").format(plan=plan_name(f)),
        "\n".join(body),
        crumbs(f, (path, _("Units"))),
        sections(f),
    )


def unit(f: PlanFigures, name: str) -> Page:
    path = unit_page(f.plan.id, name)
    leads, supports = f.tasks_of(name, "lead"), f.tasks_of(name, "support")
    scored = f.unit_score(name)
    body = [f"<h1>{esc(name)}</h1>"]
    if f.collective(name):
        body.append(
            para(
                _(
                    "A name for several units (统称): never ranked, scored or named as late; the office "
                    "follows its tasks up by number."
                ),
                "problem",
            )
        )
    facts = [(_("tasks as lead"), str(len(leads))), (_("tasks as support"), str(len(supports)))]
    if scored is not None:
        facts += [
            (_("score"), f"{scored.score:g}"),
            (_("rank"), scored.shown_rank),
            (_("on-time reporting"), f"{ratio(scored.met, scored.due)}（{scored.met}/{scored.due}）"),
        ]
    body.append(definition_list((k, esc(v)) for k, v in facts))
    if leads and f.periods:
        refs = [t.ref for t in leads]
        body.append(
            charts.progress_chart(
                _("{unit}: percent done against the expected progress (tasks it leads)").format(unit=name),
                progress_points(f, lambda p: period_versions(p, refs)),
            )
        )
    body.append(f"<h2>{esc(_('Tasks it leads'))}</h2>")
    body.append(comparison_table(f, leads, path, unit=name))
    body.append(f"<h2>{esc(_('Tasks it supports'))}</h2>")
    body.append(
        f"<p>{esc(_('A supporting unit reports its own part; its report never sets the task’s percent or light.'))}</p>"
    )
    body.append(comparison_table(f, supports, path))
    body.append(f"<h2>{esc(_('Its reports'))}</h2>")
    body.append(
        report_table(
            f, [line for t in f.tasks for line in f.report_lines[t.id] if line.unit == name], path, with_task=True
        )
    )
    if not f.collective(name) and leads:
        body.append(f"<h2>{esc(_('Reporting on time, deadline by deadline'))}</h2>")
        rows = []
        for day, items in f.on_time_by_deadline(name):
            missed = [t for t, answered in items if not answered]
            rows.append(
                [
                    chinese_date(day),
                    str(len(items)),
                    str(len(items) - len(missed)),
                    "、".join(link(rel(path, task_page(t)), _("No. {id}").format(id=t.id)) for t in missed) or "—",
                ]
            )
        body.append(
            table(
                [
                    Column(_("deadline")),
                    Column(_("reports owed"), numeric=True),
                    Column(_("on time"), numeric=True),
                    Column(_("missing or late")),
                ],
                rows,
            )
        )
    if scored is not None:
        body.append(f"<h2>{esc(_('Its score and the points behind it'))}</h2>")
        body.append(score_table(f, scored, path))
    body.append(colophon(f))
    return Page(
        path,
        name,
        "\n".join(body),
        crumbs(f, (units_page(f.plan.id), _("Units")), (path, name)),
        sections(f),
        paper="A3",
    )


def score_table(f: PlanFigures, scored: UnitScore, source: str) -> str:
    rows = [
        [
            chinese_date(p.day),
            esc(_(RULE_WORDS.get(p.rule, p.rule))),
            esc(shown("role", p.role)),
            link(rel(source, task_page(p.task)), f"{p.task.id} {p.task.title}"),
            f"{p.points:+g}",
        ]
        for p in sorted(scored.points, key=lambda p: (p.day, natural_key(p.task.id)))
    ]
    start = para(
        _("Start {start:g}, points {points:+g}, score {score:g}.").format(
            start=scored.start, points=scored.score - scored.start, score=scored.score
        )
    )
    return start + table(
        [
            Column(_("date")),
            Column(_("rule")),
            Column(_("role")),
            Column(_("task")),
            Column(_("points given"), numeric=True),
        ],
        rows,
    )


def report_table(f: PlanFigures, lines: Sequence[ReportLine], source: str, with_task: bool = False) -> str:
    """Every report with its date, unit, figures and note, when it was recorded, whether that
    was after its deadline, and the seals holding it."""
    columns = [Column(_("report date"))] + ([Column(_("task"))] if with_task else [])
    columns += [
        Column(_("unit")),
        Column(_("percent done"), numeric=True),
        Column(_("status")),
        Column(_("note")),
        Column(_("deadline it answers"), optional=True),
        Column(_("recorded"), optional=True),
        Column(_("sealed in"), optional=True),
    ]
    rows = []
    for line in sorted(lines, key=lambda x: (x.report.date, natural_key(x.task.id))):
        report = line.report
        value = f"（{report.value:g}）" if report.value is not None else ""
        unit_cell = (
            link(rel(source, unit_page(f.plan.id, line.unit)), line.unit) if line.unit else esc(_("(no unit named)"))
        )
        unit_cell += f"<br><small>{esc(shown('role', line.role))}</small>"
        recorded = ""
        if line.recorded is not None:
            when = line.recorded.recorded_at[:16].replace("T", " ")
            recorded = f'{esc(when)}<br><code class="sha">{esc(line.recorded.sha[:10])}</code>' + (
                f'<br><span class="bad">{esc(_("entered after the deadline"))}</span>' if line.entered_late else ""
            )
        seals = "、".join(esc(s.deadline) for s in line.seals) or "—"
        row = [esc(report.date.isoformat())]
        row += [link(rel(source, task_page(line.task)), f"{line.task.id} {line.task.title}")] if with_task else []
        row += [
            unit_cell,
            percent(report.percent) + esc(value),
            esc(status_name(report.status or "")),
            f'<span class="note">{esc(report.note or "")}</span>',
            chinese_date(line.answers) if line.answers else "—",
            recorded or "—",
            seals,
        ]
        rows.append(row)
    return table(columns, rows, css="stack")  # on a phone a report a block: its note a line's width, not 4 characters
