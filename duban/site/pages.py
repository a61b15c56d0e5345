"""The site's pages, one function each, from a plan's figures (site.figures): the plan page
with its 对照表, the units, the tasks and their stories, the periods with their circulars, the
seals and their verification, the front page and the search page.

Paths are from the site's root: PLAN/index.html, PLAN/units/NAME.html, PLAN/tasks/ID.html,
PLAN/periods/index.html, PLAN/periods/NN-YYYY-MM.html, PLAN/circulars/YYYY-MM.html,
PLAN/ledger.html, PLAN/seals.html, index.html, search.html, assets/.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from duban.i18n import _
from duban.model import Task, natural_key
from duban.site import charts
from duban.site.figures import Period, PlanFigures, ReportLine
from duban.site.html import (Column, Page, chinese_date, definition_list, esc, field_name, light_badge, link,
                             percent, quarter_name, rel, slug, status_name, table)
from duban.supervise import circular as circulars
from duban.supervise.export import note_parts, progress_words, subject_of
from duban.supervise.reports import Tally
from duban.supervise.scoring import UnitScore
from duban.text.numbers import whole_percent
from duban.vocabulary import shown

RULE_WORDS = {"late_report": "late report", "red_at_deadline": "red at the deadline",
              "yellow_at_deadline": "yellow at the deadline", "done_early": "done early"}
NOTE_LENGTH = 80  # characters of a note in the 对照表; the task's page has it whole


# ---- where things are ---------------------------------------------------------------------------

def plan_page(plan_id: str) -> str:
    return f"{plan_id}/index.html"


def task_page(task: Task) -> str:
    return f"{task.plan_id}/tasks/{slug(task.id, 't-')}.html"


def unit_page(plan_id: str, unit: str) -> str:
    return f"{plan_id}/units/{slug(unit, 'u-')}.html"


def units_page(plan_id: str) -> str:
    return f"{plan_id}/units/index.html"


def periods_page(plan_id: str) -> str:
    return f"{plan_id}/periods/index.html"


def period_page(plan_id: str, period: Period) -> str:
    return f"{plan_id}/periods/{period.key}.html"


def circular_page(plan_id: str, period: Period) -> str:
    return f"{plan_id}/circulars/{period.month}.html"


def ledger_page(plan_id: str) -> str:
    return f"{plan_id}/ledger.html"


def seals_page(plan_id: str) -> str:
    return f"{plan_id}/seals.html"


def sections(f: PlanFigures) -> tuple[tuple[str, str], ...]:
    plan_id = f.plan.id
    return ((plan_page(plan_id), _("Plan and 对照表")), (units_page(plan_id), _("Units")),
            (periods_page(plan_id), _("Periods and circulars")), (ledger_page(plan_id), _("Ledger (台账)")),
            (seals_page(plan_id), _("Seals: proof nothing was changed")))


def crumbs(f: PlanFigures, *more: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return (("index.html", _("All plans")), (plan_page(f.plan.id), plan_name(f))) + more


def plan_name(f: PlanFigures) -> str:
    return subject_of(f.plan)


# ---- shared pieces ------------------------------------------------------------------------------

def _ratio(part: int, whole: int) -> str:
    """A share as the circular prints it (one decimal)."""
    return f"{100.0 * part / whole:.1f}%" if whole else "—"


def para(text: str, css: str = "") -> str:
    """A paragraph of plain text (escaped), with a class where given."""
    return f'<p class="{css}">{esc(text)}</p>' if css else f"<p>{esc(text)}</p>"


def _figure(number: str, words: str) -> str:
    return f'<div class="figure"><span class="n">{esc(number)}</span><span class="w">{esc(words)}</span></div>'


def _counts(f: PlanFigures, tasks: Sequence[Task]) -> Counter[str]:
    """Done, on schedule, lagging, per light and late: the circular's 总体情况 counts."""
    return circulars.counts(f.selection, tasks)


def overall_rate(f: PlanFigures) -> tuple[int, int]:
    """The overall on-time figure (docs/reading.md rule 7): answered over owed, summed over
    every scored unit, as the circular's 总体情况 and the ledger's score sheet give it."""
    return sum(u.met for u in f.scores.units), sum(u.due for u in f.scores.units)


def _figures_block(counts: Counter[str], met: int, due: int) -> str:
    n = counts["tasks"]
    return ('<div class="figures">'
            + _figure(str(n), _("tasks"))
            + _figure(str(counts["done"]), _("done") + f"（{_ratio(counts['done'], n)}）")
            + _figure(str(counts["on_schedule"]), _("on schedule") + f"（{_ratio(counts['on_schedule'], n)}）")
            + _figure(str(counts["lagging"]), _("lagging: {red} red, {yellow} yellow").format(
                red=counts["red"], yellow=counts["yellow"]))
            + _figure(str(counts["grey"]), _("not yet due or not started"))
            + _figure(str(counts["late"]), _("tasks with a late report"))
            + _figure(_ratio(met, due), _("on-time reporting, whole year ({met} of {due})").format(met=met, due=due))
            + "</div>")


def _units_links(f: PlanFigures, source: str, units: Iterable[str]) -> str:
    return "、".join(link(rel(source, unit_page(f.plan.id, u)), u) for u in units) or "—"


def _milestone_now(task: Task, day: dt.date) -> str:
    """The milestone of the period the day falls in: its quarter's, or the next dated one."""
    if not task.milestones:
        return ""
    quarter = f"Q{(day.month - 1) // 3 + 1}"
    if quarter in task.milestones:
        return f"{quarter_name(quarter)}：{task.milestones[quarter]}"
    dated = sorted(k for k in task.milestones if not k.startswith("Q"))
    if dated:
        key = next((k for k in dated if k >= day.isoformat()), dated[-1])
        return f"{key}：{task.milestones[key]}"
    return ""


def _excerpt(text: str, length: int = NOTE_LENGTH) -> str:
    return text if len(text) <= length else text[:length].rstrip() + "…"


def _last_report_cell(f: PlanFigures, task: Task, source: str) -> str:
    report = f.deciding(task)
    if report is None:
        return esc(_("no report from the lead yet"))
    said = progress_words(report.note)
    return f"{esc(report.date)} {esc(_excerpt(said))}"


def comparison_table(f: PlanFigures, tasks: Sequence[Task], source: str, selection=None,
                     with_lead: bool = True, day: dt.date | None = None) -> str:
    """The 对照表: each task's target beside what was done, with the light."""
    selection = selection or f.selection
    day = day or selection.as_of
    columns = [Column(_("No.")), Column(_("task")), Column(_("target (指标要求)"), optional=True)]
    columns += [Column(_("lead unit"))] if with_lead else []
    columns += [Column(_("milestone of the period"), optional=True), Column(_("percent done"), numeric=True),
                Column(_("expected progress (序时进度)"), numeric=True), Column(_("light")),
                Column(_("last report"), optional=True)]
    rows, classes = [], []
    for task in sorted(tasks, key=lambda t: natural_key(t.id)):
        light = selection.light_of(task)
        row = [esc(task.id), link(rel(source, task_page(task)), task.title), esc(_excerpt(task.text, 160))]
        row += [_units_links(f, source, f.lead(task))] if with_lead else []
        state = f"<br>{esc(status_name(task.status))}" if task.status in ("blocked", "delayed", "cancelled") else ""
        row += [esc(_milestone_now(task, day)), percent(light.percent), f"{whole_percent(light.expected_exact)}%",
                light_badge(light.colour, light.late) + state, _last_report_cell(f, task, source)]
        rows.append(row)
        classes.append("lagging" if light.colour in ("red", "yellow") else "")
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
        elif kind == "type":
            first = esc(shown("type", tally.group))
        else:
            first = esc(tally.group)
        row = [first] + ([esc(shown("role", tally.role))] if kind == "unit" else [])
        row += [str(tally.tasks), str(tally.done), str(tally.red), str(tally.yellow), str(tally.green), str(tally.grey),
                str(tally.late), "—" if tally.on_time_rate is None else f"{tally.on_time_rate:g}%"]
        rows.append(row)
    return table(columns, rows)


def _progress_points(f: PlanFigures, tasks_of_period) -> list[charts.Point]:
    """The mean percent and mean expected progress of some tasks at each period."""
    points = []
    for period in f.periods:
        chosen = tasks_of_period(period)
        if not chosen:
            continue
        lights_then = [period.selection.light_of(t) for t in chosen]
        points.append(charts.Point(period.label, round(sum(x.percent for x in lights_then) / len(chosen), 1),
                                   round(sum(x.expected_exact for x in lights_then) / len(chosen), 1)))
    return points


def _matching(period: Period, wanted: Iterable[str]) -> list[Task]:
    """The period's versions of the tasks `wanted` (refs) that existed then."""
    found = period.by_ref
    return [found[ref] for ref in dict.fromkeys(wanted) if ref in found]


def _colophon(f: PlanFigures, with_commit: bool = False) -> str:
    """The page's foot: the day it is as of, and, on the plan's and the seals' pages only, the
    commit it was built from (on every page, one new commit would rewrite every page)."""
    commit = ""
    if with_commit:
        commit = " " + esc(_("Built from the record at commit")) + " " + (
            f'<code class="sha">{esc(f.commit[:12])}</code>.' if f.commit else esc(_("none")) + ".")
    return (f'<footer class="colophon">{esc(_("As of {date}.").format(date=chinese_date(f.as_of)))}{commit} '
            f"{esc(_('Every figure is the one duban report, the circular, the ledger and score give for the same day.'))}"
            "</footer>")


# ---- the plan -------------------------------------------------------------------------------------

def plan(f: PlanFigures) -> Page:
    path = plan_page(f.plan.id)
    counts = _counts(f, f.tasks)
    met, due = overall_rate(f)
    intro = " ".join(x for x in (f.plan.document_number or "", f.plan.issuer or "") if x)
    body = [f"<h1>{esc(f.plan.title)}</h1>",
            f'<p class="lead">{esc(intro)} {esc(_("State as of {date}").format(date=chinese_date(f.as_of)))}</p>',
            _figures_block(counts, met, due)]
    body.append(f"<h2>{esc(_('Who lags, and why'))}</h2>")
    body.append(lagging_units(f, path))
    latest = next((p for p in reversed(f.periods) if p.issued), None)
    if latest is not None:
        heading = _("What the latest circular says ({label}, issue {issue})")
        body.append(f"<h3>{esc(heading.format(label=latest.label, issue=latest.circular.issue))}</h3>")
        body.append('<div class="document">' + "".join(
            f"<h4>{esc(heading)}</h4>" + "".join(f"<p>{esc(line)}</p>" for line in lines)
            for heading, lines in circulars.problems(latest.circular)) + "</div>")
        body.append("<p>" + link(rel(path, circular_page(f.plan.id, latest)), _("Open the circular")) + " · "
                    + link(rel(path, period_page(f.plan.id, latest)), _("The period's page")) + "</p>")
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
            body.append(charts.progress_chart(area, _progress_points(f, lambda p, r=refs: _matching(p, r))))
        body.append(f"<h2>{esc(_('Lights of each unit at each period'))}</h2>")
        body.append(light_matrix(f, path))
    body.append(f"<h2 id=\"table\">{esc(_('The 对照表: each target beside what was done'))}</h2>")
    body.append(comparison_table(f, f.tasks, path))
    body.append(_colophon(f, with_commit=True))
    return Page(path, plan_name(f), "\n".join(body), crumbs(f), sections(f), paper="A3")


def lagging_units(f: PlanFigures, source: str) -> str:
    """Which units lag and why, in two tables: each unit whose led tasks are red or yellow,
    worst first (as `duban report` ranks them), with the units that missed the latest
    deadline; then each lagging task with its figures, what its lead said and, folded, why
    its light is what it is (lights.Light.reasons, as `duban explain` gives them)."""
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
        tasks = [t for t in f.tasks_of(tally.group, "lead") if f.light(t).colour in ("red", "yellow")]
        rows.append([link(rel(source, unit_page(f.plan.id, tally.group)), tally.group), str(tally.red), str(tally.yellow),
                     str(tally.late), "、".join(link(rel(source, task_page(t)), t.id)
                                               for t in sorted(tasks, key=lambda t: natural_key(t.id)))])
    parts.append(table([Column(_("unit")), Column(_("red"), numeric=True), Column(_("yellow"), numeric=True),
                        Column(_("late report"), numeric=True), Column(_("lagging tasks"))], rows))
    if late:
        rows = [[link(rel(source, unit_page(f.plan.id, unit)), unit),
                 "、".join(link(rel(source, task_page(t)), t.id) for t in tasks)]
                for unit, tasks in sorted(late.items(), key=lambda i: (-len(i[1]), i[0]))]
        parts.append(f"<h3>{esc(_('Units that did not report by the latest deadline'))}</h3>")
        parts.append(table([Column(_("unit")), Column(_("tasks without a report"))], rows))
    rows = []
    for tally in lagging:
        tasks = [t for t in f.tasks_of(tally.group, "lead") if f.light(t).colour in ("red", "yellow")]
        for task in sorted(tasks, key=lambda t: (f.light(t).colour != "red", natural_key(t.id))):
            light = f.light(task)
            report = f.deciding(task)
            said = (note_parts(report.note)["存在问题"] or progress_words(report.note)) if report is not None else ""
            state = f"<br>{esc(status_name(task.status))}" if task.status in ("blocked", "delayed") else ""
            why = "".join(f"<li>{esc(reason)}</li>" for reason in light.reasons)
            rows.append([esc(tally.group), link(rel(source, task_page(task)), f"{task.id} {task.title}"),
                         light_badge(light.colour, light.late) + state,
                         f"{percent(light.percent)} / {whole_percent(light.expected_exact)}%",
                         (esc(said) if said else esc(_("(no reason given)")))
                         + (f"<details><summary>{esc(_('why this light'))}</summary><ul>{why}</ul></details>" if why else "")])
    if rows:
        parts.append(f"<h3>{esc(_('Each lagging task, and what its lead said'))}</h3>")
        parts.append(table([Column(_("unit")), Column(_("task")), Column(_("light")),
                            Column(_("done / expected"), numeric=True), Column(_("the lead says"))], rows))
    return "\n".join(parts)


def light_matrix(f: PlanFigures, source: str) -> str:
    labels = [p.label for p in f.periods]
    rows = []
    for unit in f.units:
        if f.collective(unit) or not f.tasks_of(unit, "lead"):
            continue
        refs = {t.ref for t in f.tasks_of(unit, "lead")}
        counts = [Counter(p.selection.light_of(t).colour for t in _matching(p, refs)) for p in f.periods]
        rows.append(charts.Row(unit, rel(source, unit_page(f.plan.id, unit)), [dict(c) for c in counts]))
    return charts.light_matrix(_("Lights of the tasks each unit leads, period by period"), labels, rows)


# ---- units ----------------------------------------------------------------------------------------

def units_index(f: PlanFigures) -> Page:
    path = units_page(f.plan.id)
    body = [f"<h1>{esc(_('Units of {plan}').format(plan=plan_name(f)))}</h1>",
            f'<p class="lead">{esc(_("Worst first, as lead and as support, as of {date}.").format(date=chinese_date(f.as_of)))}</p>',
            tally_table(f, f.by_unit, path, "unit")]
    ranked = [u for u in f.scores.units if u.rank is not None]
    if ranked:
        body.append(f"<h2>{esc(_('Scores and ranks'))}</h2>")
        body.append(table([Column(_("rank"), numeric=True), Column(_("unit")), Column(_("score"), numeric=True),
                           Column(_("on-time %"), numeric=True)],
                          [[u.shown_rank, link(rel(path, unit_page(f.plan.id, u.unit)), u.unit), f"{u.score:g}",
                            "—" if u.on_time_rate is None else f"{u.on_time_rate:g}%"]
                           for u in sorted(ranked, key=lambda u: (u.rank or 0, u.unit))]))
    collectives = [u for u in f.units if f.collective(u)]
    if collectives:
        body.append(f"<h2>{esc(_('Names for several units (统称)'))}</h2>"
                    + para(_("They are never ranked or scored; the office follows their tasks up by number."))
                    + "<ul>" + "".join(f"<li>{link(rel(path, unit_page(f.plan.id, u)), u)}</li>" for u in collectives) + "</ul>")
    body.append(_colophon(f))
    return Page(path, _("Units of {plan}").format(plan=plan_name(f)), "\n".join(body),
                crumbs(f, (path, _("Units"))), sections(f))


def unit(f: PlanFigures, name: str) -> Page:
    path = unit_page(f.plan.id, name)
    leads, supports = f.tasks_of(name, "lead"), f.tasks_of(name, "support")
    scored = f.unit_score(name)
    body = [f"<h1>{esc(name)}</h1>"]
    if f.collective(name):
        body.append(para(_("A name for several units (统称): never ranked, scored or named as late; the office "
                           "follows its tasks up by number."), "problem"))
    facts = [(_("tasks as lead"), str(len(leads))), (_("tasks as support"), str(len(supports)))]
    if scored is not None:
        facts += [(_("score"), f"{scored.score:g}"), (_("rank"), scored.shown_rank),
                  (_("on-time reporting"), f"{_ratio(scored.met, scored.due)}（{scored.met}/{scored.due}）")]
    body.append(definition_list((k, esc(v)) for k, v in facts))
    if leads and f.periods:
        refs = [t.ref for t in leads]
        body.append(charts.progress_chart(_("{unit}: percent done against the expected progress (tasks it leads)").format(unit=name),
                                          _progress_points(f, lambda p: _matching(p, refs))))
    body.append(f"<h2>{esc(_('Tasks it leads'))}</h2>")
    body.append(comparison_table(f, leads, path))
    body.append(f"<h2>{esc(_('Tasks it supports'))}</h2>")
    body.append(f"<p>{esc(_('A supporting unit reports its own part; its report never sets the task’s percent or light.'))}</p>")
    body.append(comparison_table(f, supports, path))
    body.append(f"<h2>{esc(_('Its reports'))}</h2>")
    body.append(report_table(f, [line for t in f.tasks for line in f.report_lines[t.id] if line.unit == name], path,
                             with_task=True))
    if not f.collective(name) and leads:
        body.append(f"<h2>{esc(_('Reporting on time, deadline by deadline'))}</h2>")
        rows = []
        for day, items in f.on_time_by_deadline(name):
            missed = [t for t, answered in items if not answered]
            rows.append([chinese_date(day), str(len(items)), str(len(items) - len(missed)),
                         "、".join(link(rel(path, task_page(t)), _("No. {id}").format(id=t.id)) for t in missed) or "—"])
        body.append(table([Column(_("deadline")), Column(_("reports owed"), numeric=True),
                           Column(_("on time"), numeric=True), Column(_("missing or late"))], rows))
    if scored is not None:
        body.append(f"<h2>{esc(_('Its score and the points behind it'))}</h2>")
        body.append(score_table(f, scored, path))
    body.append(_colophon(f))
    return Page(path, name, "\n".join(body), crumbs(f, (units_page(f.plan.id), _("Units")), (path, name)),
                sections(f), paper="A3")


def score_table(f: PlanFigures, scored: UnitScore, source: str) -> str:
    rows = [[chinese_date(p.day), esc(_(RULE_WORDS.get(p.rule, p.rule))), esc(shown("role", p.role)),
             link(rel(source, task_page(p.task)), f"{p.task.id} {p.task.title}"), f"{p.points:+g}"]
            for p in sorted(scored.points, key=lambda p: (p.day, natural_key(p.task.id)))]
    start = para(_("Start {start:g}, points {points:+g}, score {score:g}.").format(
        start=scored.start, points=scored.score - scored.start, score=scored.score))
    return start + table([Column(_("date")), Column(_("rule")), Column(_("role")), Column(_("task")),
                          Column(_("points given"), numeric=True)], rows)


def report_table(f: PlanFigures, lines: Sequence[ReportLine], source: str, with_task: bool = False) -> str:
    """Every report with its date, unit, figures and note, when it was recorded, whether that
    was after its deadline, and the seals holding it."""
    columns = [Column(_("report date"))] + ([Column(_("task"))] if with_task else [])
    columns += [Column(_("unit")), Column(_("percent done"), numeric=True), Column(_("status")), Column(_("note")),
                Column(_("deadline it answers"), optional=True), Column(_("recorded"), optional=True),
                Column(_("sealed in"), optional=True)]
    rows = []
    for line in sorted(lines, key=lambda x: (x.report.date, natural_key(x.task.id))):
        report = line.report
        value = f"（{report.value:g}）" if report.value is not None else ""
        unit_cell = (link(rel(source, unit_page(f.plan.id, line.unit)), line.unit) if line.unit else esc(_("(no unit named)")))
        unit_cell += f"<br><small>{esc(shown('role', line.role))}</small>"
        recorded = ""
        if line.recorded is not None:
            when = line.recorded.recorded_at[:16].replace("T", " ")
            recorded = (f'{esc(when)}<br><code class="sha">{esc(line.recorded.sha[:10])}</code>'
                        + (f"<br><span class=\"bad\">{esc(_('entered after the deadline'))}</span>" if line.entered_late else ""))
        seals = "、".join(esc(s.deadline) for s in line.seals) or "—"
        row = [esc(report.date)]
        row += [link(rel(source, task_page(line.task)), f"{line.task.id} {line.task.title}")] if with_task else []
        row += [unit_cell, percent(report.percent) + esc(value), esc(status_name(report.status or "")),
                f'<span class="note">{esc(report.note or "")}</span>', chinese_date(line.answers) if line.answers else "—",
                recorded or "—", seals]
        rows.append(row)
    return table(columns, rows)


# ---- tasks ----------------------------------------------------------------------------------------

def task(f: PlanFigures, task: Task) -> Page:
    path = task_page(task)
    light = f.light(task)
    facts = [(field_name("area"), esc(task.area)), (field_name("section"), esc(task.section or "")),
             (field_name("category"), esc(task.category or "")),
             (field_name("type"), esc(shown("type", task.type)) if task.type else ""),
             (field_name("due"), chinese_date(task.due) if task.due else ""),
             (field_name("lead"), _units_links(f, path, f.lead(task))),
             (field_name("support"), _units_links(f, path, f.support(task)) if task.support else ""),
             (field_name("status"), esc(status_name(task.status)))]
    if task.parent:
        parent = next((t for t in f.tasks if t.id == task.parent), None)
        facts.append((field_name("parent"), link(rel(path, task_page(parent)), f"{parent.id} {parent.title}")
                      if parent else esc(task.parent)))
    body = [f"<h1>{esc(_('No. {id}').format(id=task.id))} {esc(task.title)}</h1>", definition_list(facts),
            f"<h2>{esc(_('Target (指标要求)'))}</h2><p>{esc(task.text)}</p>"]
    if task.indicators:
        body.append("<ul>" + "".join(f"<li>{esc(_plain_indicator(i))}</li>" for i in task.indicators) + "</ul>")
    if task.milestones:
        now = _milestone_now(task, f.as_of).split("：", 1)[0]
        rows = [[("▶ " if quarter_name(k) == now or k == now else "") + esc(quarter_name(k)), esc(v)]
                for k, v in task.milestones.items()]
        body.append(f"<h2>{esc(_('Milestones'))}</h2>" + table([Column(_("when")), Column(_("milestone"))], rows))
    late = f.late_units(task)
    body.append(f"<h2>{esc(_('Where it stands'))}</h2>")
    body.append(definition_list([
        (_("light"), light_badge(light.colour, light.late)),
        (_("percent done"), percent(light.percent)),
        (_("expected progress (序时进度)"), f"{whole_percent(light.expected_exact)}%"),
        (_("not reported by the latest deadline"), _units_links(f, path, late) if late else ""),
        (_("as of"), chinese_date(f.as_of))]))
    if light.reasons or light.late_reason:
        body.append("<ul>" + "".join(f"<li>{esc(r)}</li>" for r in light.reasons)
                    + (f"<li>{esc(_('late report'))}：{esc(light.late_reason)}</li>" if light.late_reason else "") + "</ul>")
    if f.periods:
        points = _progress_points(f, lambda p: _matching(p, [task.ref]))
        body.append(charts.progress_chart(_("No. {id}: percent done against the expected progress").format(id=task.id), points))
    lines = f.report_lines.get(task.id, [])
    body.append(f"<h2>{esc(_('Every report ({count})').format(count=len(lines)))}</h2>")
    body.append(report_table(f, lines, path))
    body.append(f"<h2>{esc(_('The whole story: every change to the task, in words'))}</h2>")
    body.append(story(f, task))
    body.append(_colophon(f))
    return Page(path, f"{task.id} {task.title}", "\n".join(body),
                crumbs(f, (path, _("No. {id}").format(id=task.id))), sections(f), paper="A3")


def _plain_indicator(indicator: dict) -> str:
    kind = indicator.get("kind")
    words = shown("indicator", str(kind)) if kind else ""
    value = indicator.get("value")
    return " ".join(str(x) for x in (indicator.get("name") or "", words, f"{value:g}" if isinstance(value, float) else value or "",
                                     indicator.get("unit") or "") if x)


def story(f: PlanFigures, task: Task) -> str:
    changes = f.stories.get(task.id, [])
    if not changes:
        return f"<p>{esc(_('No change to this task is in the git history.'))}</p>"
    items = []
    for change in changes:
        meta = [_("recorded {when} by {who}").format(when=change.recorded_at[:16].replace("T", " "), who=change.author)]
        if change.unit:
            meta.append(_("for {unit}").format(unit=change.unit))
        if change.report_date:
            meta.append(_("report dated {date}").format(date=change.report_date))
        if change.reason:
            meta.append(_("reason: {reason}").format(reason=change.reason))
        items.append(f'<li><span class="when">{esc(change.date[:10])}</span> {esc(change.subject)}'
                     f'<div class="meta">{esc("；".join(meta))}；{esc(_("commit"))} <code class="sha">{esc(change.sha[:10])}</code></div>'
                     "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in change.lines) + "</ul></li>")
    return f'<ol class="story">{"".join(items)}</ol>'


# ---- periods -------------------------------------------------------------------------------------

def periods_index(f: PlanFigures) -> Page:
    path = periods_page(f.plan.id)
    rows = []
    for period in f.periods:
        c = period.circular
        rows.append([link(rel(path, period_page(f.plan.id, period)), period.label),
                     chinese_date(period.deadline.day), chinese_date(period.read_at), str(c.counts["done"]),
                     str(c.counts["on_schedule"]), str(c.counts["red"]), str(c.counts["yellow"]), str(c.counts["grey"]),
                     link(rel(path, circular_page(f.plan.id, period)), _("issue {n}").format(n=c.issue))
                     if period.issued else "—"])
    rhythm = f.plan.reporting.rhythm if f.plan.reporting else "monthly"
    body = [f"<h1>{esc(_('Periods of {plan}').format(plan=plan_name(f)))}</h1>",
            para(_("One period per reporting deadline ({rhythm}); each shows the record as the circular of that "
                   "period read it.").format(rhythm=shown("rhythm", rhythm)), "lead"),
            table([Column(_("period")), Column(_("deadline")), Column(_("read at")), Column(_("done"), numeric=True),
                   Column(_("on schedule"), numeric=True), Column(_("red"), numeric=True), Column(_("yellow"), numeric=True),
                   Column(_("grey"), numeric=True), Column(_("circular"))], rows)]
    if not f.periods:
        body.append(f"<p>{esc(_('No reporting deadline has passed by {date}.').format(date=chinese_date(f.as_of)))}</p>")
    else:
        body.append(light_matrix(f, path))
    body.append(_colophon(f))
    return Page(path, _("Periods of {plan}").format(plan=plan_name(f)), "\n".join(body),
                crumbs(f, (path, _("Periods and circulars"))), sections(f))


def period(f: PlanFigures, index: int) -> Page:
    item = f.periods[index]
    c = item.circular
    path = period_page(f.plan.id, item)
    deadline = item.deadline
    met = sum(u.met for u in c.scores.units)
    due = sum(u.due for u in c.scores.units)
    counts = Counter(c.counts)
    counts["late"] = sum(c.selection.light_of(t).late for t in c.tasks)
    pager = ['<nav class="pager" aria-label="' + esc(_("Periods")) + '">']
    pager.append(link(rel(path, period_page(f.plan.id, f.periods[index - 1])), "← " + f.periods[index - 1].label)
                 if index > 0 else "<span></span>")
    pager.append(link(rel(path, period_page(f.plan.id, f.periods[index + 1])), f.periods[index + 1].label + " →")
                 if index + 1 < len(f.periods) else "<span></span>")
    pager.append("</nav>")
    heading = _("{label}: the record at the deadline of {deadline}")
    body = [f"<h1>{esc(heading.format(label=item.label, deadline=chinese_date(deadline.day)))}</h1>",
            "".join(pager),
            definition_list([(_("reports due by"), chinese_date(deadline.day)),
                             (_("reports filed under it"), f"{chinese_date(deadline.filed_from)} – {chinese_date(deadline.filed_to)}"),
                             (_("read at"), chinese_date(item.read_at)),
                             (_("circular"), link(rel(path, circular_page(f.plan.id, item)), _("issue {n}").format(n=c.issue))
                              if item.issued else esc(_("none issued for this period")))]),
            _figures_block(counts, met, due)]
    body.append(f"<h2>{esc(_('What the circular says'))}</h2><div class=\"document\">"
                + "".join(f"<p>{esc(t)}</p>" for t in circulars.overall(c))
                + "".join(f"<h4>{esc(h)}</h4>" + "".join(f"<p>{esc(line)}</p>" for line in lines)
                          for h, lines in circulars.problems(c)) + "</div>")
    body.append(f"<h2>{esc(_('Lights by unit at this period, worst first'))}</h2>")
    from duban.supervise.reports import by_unit

    body.append(tally_table(f, [t for t in by_unit(c.selection, c.tasks) if t.role == "lead"], path, "unit"))
    body.append(f"<h2>{esc(_('Reports filed under this period'))}</h2>")
    lines = [line for t in f.tasks for line in f.report_lines[t.id] if deadline.files(line.report.date)]
    body.append(report_table(f, lines, path, with_task=True))
    body.append(f"<h2>{esc(_('The 对照表 at this period'))}</h2>")
    body.append(comparison_table(f, c.tasks, path, selection=c.selection, day=item.read_at))
    body.append("".join(pager))
    body.append(_colophon(f))
    return Page(path, f"{plan_name(f)} {item.label}", "\n".join(body),
                crumbs(f, (periods_page(f.plan.id), _("Periods and circulars")), (path, item.label)), sections(f),
                paper="A3")


# ---- seals ---------------------------------------------------------------------------------------

def seals(f: PlanFigures) -> Page:
    path = seals_page(f.plan.id)
    body = [f"<h1>{esc(_('Proof that no report was changed afterwards'))}</h1>",
            para(_("At each reporting deadline the supervision office can seal the record: a tag in git that lists "
                   "every report the record held at that moment, by its content. Afterwards, any change to a sealed "
                   "report, or a report slipped in with an earlier date, shows. duban verify checks every seal; its "
                   "result is below."))]
    if not f.seals:
        body.append(para(_("No deadline of this plan has been sealed yet. Lateness is judged by the dates the "
                           "reports carry, and the commit that recorded each report is shown on its task’s page."),
                         "problem"))
    else:
        v = f.verification
        if f.verify_error:
            body.append(f"<p class=\"problem\">{esc(_('The seals could not be checked: {error}').format(error=f.verify_error))}</p>")
        elif v is not None and not v.findings:
            body.append(para(_("Checked: {seals} seals holding {reports} reports; every sealed report is still in "
                               "the record unchanged.").format(seals=len(v.seals), reports=v.reports_checked), "ok"))
        elif v is not None:
            body.append(para(_("Checked: {seals} seals holding {reports} reports; {problems} problems found:").format(
                seals=len(v.seals), reports=v.reports_checked, problems=len(v.findings)), "bad"))
            body.append("<ul>" + "".join(f'<li class="problem">{esc(finding.format())}</li>' for finding in v.findings) + "</ul>")
        rows = []
        for item in f.seals:
            held = f.held.get(item.deadline, {})
            reports = sum(len(ids) for ids in held.values())
            problems = [x for x in (v.findings if v else []) if x.seal is item or (x.seal and x.seal.tag == item.tag)]
            rows.append([chinese_date(item.deadline), f'<code class="sha">{esc(item.tag)}</code>',
                         f'<code class="sha">{esc(item.commit[:12])}</code>', esc(item.sealed_at[:16].replace("T", " ")),
                         esc(item.tagger), esc(_("yes") if item.signed else _("no")),
                         esc(_("yes") if item.late else _("no")), str(reports),
                         f'<span class="bad">{esc(_("{n} problems").format(n=len(problems)))}</span>' if problems
                         else f'<span class="ok">{esc(_("unchanged"))}</span>'])
        body.append(table([Column(_("deadline")), Column(_("seal (tag)"), optional=True), Column(_("sealed commit")),
                           Column(_("sealed at")), Column(_("by"), optional=True), Column(_("signed")),
                           Column(_("made late")), Column(_("reports held"), numeric=True), Column(_("verify"))], rows))
    body.append(_colophon(f, with_commit=True))
    return Page(path, _("Seals of {plan}").format(plan=plan_name(f)), "\n".join(body),
                crumbs(f, (path, _("Seals"))), sections(f), paper="A3")


# ---- the front page and search -------------------------------------------------------------------

def front(all_figures: Sequence[PlanFigures]) -> Page:
    rows = []
    for f in all_figures:
        counts = _counts(f, f.tasks)
        met, due = overall_rate(f)
        rows.append([link(plan_page(f.plan.id), plan_name(f)), esc(str(f.plan.year)), chinese_date(f.as_of),
                     str(counts["tasks"]), str(counts["done"]), str(counts["red"]), str(counts["yellow"]),
                     str(counts["late"]), _ratio(met, due)])
    body = [f"<h1>{esc(_('The plans and how their work went'))}</h1>",
            para(_("Open a plan to see its 对照表, who lags and why, each unit, each task’s story, each period’s "
                   "circular and the proof that nothing was changed afterwards."), "lead"),
            table([Column(_("plan")), Column(_("year"), numeric=True), Column(_("as of")), Column(_("tasks"), numeric=True),
                   Column(_("done"), numeric=True), Column(_("red"), numeric=True), Column(_("yellow"), numeric=True),
                   Column(_("late report"), numeric=True), Column(_("on-time %"), numeric=True)], rows)]
    return Page("index.html", _("The plans and how their work went"), "\n".join(body),
                (("index.html", _("All plans")),))


def search() -> Page:
    body = (f"<h1>{esc(_('Search tasks and units'))}</h1>"
            + para(_("Type words of a title or a unit’s name, or their pinyin initials (fgw finds 发改委). Words "
                     "separated by commas must all match."))
            + f'<p class="search-page"><label for="search-box">{esc(_("Search"))}</label> '
            f'<input id="search-box" type="search" autocomplete="off"></p>'
            f'<p id="search-count" role="status"></p><ul id="search-results" class="results"></ul>'
            f"<noscript><p>{esc(_('Search needs JavaScript; every plan page lists its tasks and units without it.'))}</p></noscript>")
    return Page("search.html", _("Search tasks and units"), body, (("index.html", _("All plans")),
                                                                   ("search.html", _("Search"))),
                scripts=("assets/search-index.js", "assets/site.js"))
