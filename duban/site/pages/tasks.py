"""The task's page: its fields, indicators, reports and the story of its history in words."""

from __future__ import annotations

from typing import Any

from duban.i18n import _
from duban.model import Task, written_milestones
from duban.site import charts
from duban.site.figures import PlanFigures
from duban.site.html import (
    Column,
    Page,
    chinese_date,
    definition_list,
    esc,
    field_name,
    light_badge,
    link,
    percent,
    quarter_name,
    rel,
    status_name,
    table,
)
from duban.site.pages.paths import crumbs, sections, task_page
from duban.site.pages.pieces import colophon, milestone_now, period_versions, progress_points, units_links
from duban.site.pages.units import report_table
from duban.supervise.scoring import canonical
from duban.text.numbers import whole_percent
from duban.vocabulary import shown


def task(f: PlanFigures, task: Task) -> Page:
    path = task_page(task)
    light = f.light(task)
    facts = [
        (field_name("area"), esc(task.area)),
        (field_name("section"), esc(task.section or "")),
        (field_name("category"), esc(task.category or "")),
        (field_name("type"), esc(shown("type", task.type)) if task.type else ""),
        (field_name("due"), chinese_date(task.due) if task.due else ""),
        (field_name("lead"), units_links(f, path, f.lead(task))),
        (field_name("support"), units_links(f, path, f.support(task)) if task.support else ""),
        (field_name("status"), esc(status_name(task.status))),
    ]
    if task.parent:
        parent = next((t for t in f.tasks if t.id == task.parent), None)
        facts.append(
            (
                field_name("parent"),
                link(rel(path, task_page(parent)), f"{parent.id} {parent.title}") if parent else esc(task.parent),
            )
        )
    body = [
        f"<h1>{esc(_('No. {id}').format(id=task.id))} {esc(task.title)}</h1>",
        definition_list(facts),
        f"<h2>{esc(_('Target (指标要求)'))}</h2><p>{esc(task.text)}</p>",
    ]
    if task.indicators:
        body.append("<ul>" + "".join(f"<li>{esc(_plain_indicator(i))}</li>" for i in task.indicators) + "</ul>")
    if task.milestones:
        now = milestone_now(task, f.as_of).split("：", 1)[0]
        rows = [
            [("▶ " if quarter_name(k) == now or k == now else "") + esc(quarter_name(k)), esc(v)]
            for k, v in written_milestones(task.milestones).items()
        ]
        body.append(f"<h2>{esc(_('Milestones'))}</h2>" + table([Column(_("when")), Column(_("milestone"))], rows))
    late = f.late_units(task)
    # Whose figure the percent is: on a task several units lead, one lead's report decides.
    deciding = f.deciding(task)
    if deciding is None:
        whose = esc(_("no report from the lead yet"))
    else:
        who = units_links(f, path, [canonical(f.plan, deciding.by)]) + " " if deciding.by else ""
        whose = who + esc(chinese_date(deciding.date))
    body.append(f"<h2>{esc(_('Where it stands'))}</h2>")
    body.append(
        definition_list(
            [
                (_("light"), light_badge(light.colour, light.late)),
                (_("percent done"), percent(light.percent)),
                (_("the percent as reported by"), whose),
                (_("expected progress (序时进度)"), f"{whole_percent(light.expected_exact)}%"),
                (_("not reported by the latest deadline"), units_links(f, path, late) if late else ""),
                (_("as of"), chinese_date(f.as_of)),
            ]
        )
    )
    if light.reasons or light.late_reason:
        body.append(
            "<ul>"
            + "".join(f"<li>{esc(r)}</li>" for r in light.reasons)
            + (f"<li>{esc(_('late report'))}：{esc(light.late_reason)}</li>" if light.late_reason else "")
            + "</ul>"
        )
    if f.periods:
        points = progress_points(f, lambda p: period_versions(p, [task.ref]))
        body.append(
            charts.progress_chart(_("No. {id}: percent done against the expected progress").format(id=task.id), points)
        )
    lines = f.report_lines.get(task.id, [])
    body.append(f"<h2>{esc(_('Every report ({count})').format(count=len(lines)))}</h2>")
    body.append(report_table(f, lines, path))
    body.append(f"<h2>{esc(_('The whole story: every change to the task, in words'))}</h2>")
    body.append(story(f, task))
    body.append(colophon(f))
    return Page(
        path,
        f"{task.id} {task.title}",
        "\n".join(body),
        crumbs(f, (path, _("No. {id}").format(id=task.id))),
        sections(f),
        paper="A3",
    )


def _plain_indicator(indicator: dict[str, Any]) -> str:
    kind = indicator.get("kind")
    words = shown("indicator", str(kind)) if kind else ""
    value = indicator.get("value")
    return " ".join(
        str(x)
        for x in (
            indicator.get("name") or "",
            words,
            f"{value:g}" if isinstance(value, float) else value or "",
            indicator.get("unit") or "",
        )
        if x
    )


def _subject(subject: str, task: Task) -> str:
    """A commit's subject without the refs a reader does not need on the task's own page
    (2019-changning/12: 进度 50%(进行中) 人社局 · … reads 进度 50%(进行中) 人社局 · …)."""
    said = subject.replace(f"{task.ref}: ", "")
    return said.removeprefix(f"{task.plan_id}: ")


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
        items.append(
            f'<li><span class="when">{esc(change.date[:10])}</span> {esc(_subject(change.subject, task))}'
            f'<div class="meta">{esc("；".join(meta))}；{esc(_("commit"))} <code class="sha">{esc(change.sha[:10])}</code></div>'
            "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in change.lines) + "</ul></li>"
        )
    return f'<ol class="story">{"".join(items)}</ol>'
