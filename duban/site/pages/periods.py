"""The periods' pages: the index of reporting periods, and each period with its circular."""

from __future__ import annotations

from collections import Counter

from duban.i18n import _
from duban.site.figures import PlanFigures
from duban.site.html import Column, Page, chinese_date, definition_list, esc, link, rel, table
from duban.site.pages import table as table_pages
from duban.site.pages.paths import circular_page, crumbs, period_page, periods_page, plan_name, sections
from duban.site.pages.pieces import colophon, figures_block, para, tally_table
from duban.site.pages.plan import light_matrix
from duban.supervise.circular.words import overall, problems
from duban.supervise.reports import by_unit
from duban.vocabulary import shown


def periods_index(f: PlanFigures) -> Page:
    path = periods_page(f.plan.id)
    rows = []
    for period in f.periods:
        c = period.circular
        rows.append(
            [
                link(rel(path, period_page(f.plan.id, period)), period.label),
                chinese_date(period.deadline.day),
                chinese_date(period.read_at),
                str(c.counts["done"]),
                str(c.counts["on_schedule"]),
                str(c.counts["red"]),
                str(c.counts["yellow"]),
                str(c.counts["grey"]),
                link(rel(path, circular_page(f.plan.id, period)), _("issue {n}").format(n=c.issue))
                if period.issued
                else "—",
            ]
        )
    rhythm = f.plan.reporting.rhythm if f.plan.reporting else "monthly"
    body = [
        f"<h1>{esc(_('Periods of {plan}').format(plan=plan_name(f)))}</h1>",
        para(
            _(
                "One period per reporting deadline ({rhythm}); each shows the record as the circular of that "
                "period read it."
            ).format(rhythm=shown("rhythm", rhythm)),
            "lead",
        ),
        table(
            [
                Column(_("period")),
                Column(_("deadline")),
                Column(_("read at")),
                Column(_("done"), numeric=True),
                Column(_("on schedule"), numeric=True),
                Column(_("red"), numeric=True),
                Column(_("yellow"), numeric=True),
                Column(_("grey"), numeric=True),
                Column(_("circular")),
            ],
            rows,
        ),
    ]
    if not f.periods:
        body.append(
            f"<p>{esc(_('No reporting deadline has passed by {date}.').format(date=chinese_date(f.as_of)))}</p>"
        )
    else:
        body.append(light_matrix(f, path))
    body.append(colophon(f))
    return Page(
        path,
        _("Periods of {plan}").format(plan=plan_name(f)),
        "\n".join(body),
        crumbs(f, (path, _("Periods and circulars"))),
        sections(f),
    )


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
    pager.append(
        link(rel(path, period_page(f.plan.id, f.periods[index - 1])), "← " + f.periods[index - 1].label)
        if index > 0
        else "<span></span>"
    )
    pager.append(
        link(rel(path, period_page(f.plan.id, f.periods[index + 1])), f.periods[index + 1].label + " →")
        if index + 1 < len(f.periods)
        else "<span></span>"
    )
    pager.append("</nav>")
    heading = _("{label}: the record at the deadline of {deadline}")
    body = [
        f"<h1>{esc(heading.format(label=item.label, deadline=chinese_date(deadline.day)))}</h1>",
        "".join(pager),
        definition_list(
            [
                (_("reports due by"), chinese_date(deadline.day)),
                (
                    _("reports filed under it"),
                    f"{chinese_date(deadline.filed_from)} – {chinese_date(deadline.filed_to)}",
                ),
                (_("read at"), chinese_date(item.read_at)),
                (
                    _("circular"),
                    link(rel(path, circular_page(f.plan.id, item)), _("issue {n}").format(n=c.issue))
                    if item.issued
                    else esc(_("none issued for this period")),
                ),
            ]
        ),
        figures_block(counts, met, due),
    ]
    body.append(
        f'<h2>{esc(_("What the circular says"))}</h2><div class="document">'
        + "".join(f"<p>{esc(t)}</p>" for t in overall(c))
        + "".join(f"<h4>{esc(h)}</h4>" + "".join(f"<p>{esc(line)}</p>" for line in lines) for h, lines in problems(c))
        + "</div>"
    )
    body.append(f"<h2>{esc(_('Lights by unit at this period, worst first'))}</h2>")

    body.append(tally_table(f, [t for t in by_unit(c.selection, c.tasks) if t.role == "lead"], path, "unit"))
    filed = sum(deadline.files(line.report.date) for t in f.tasks for line in f.report_lines[t.id])
    body.append(f'<h2 id="table">{esc(_("The 对照表 at this period"))}</h2>')
    body.append(
        para(
            _("{n} reports were filed under this period; each page of the table lists those of its tasks.").format(
                n=filed
            )
        )
    )
    body.append(table_pages.index(f, table_pages.of_period(f, item)))
    body.append("".join(pager))
    body.append(colophon(f))
    return Page(
        path,
        f"{plan_name(f)} {item.label}",
        "\n".join(body),
        crumbs(f, (periods_page(f.plan.id), _("Periods and circulars")), (path, item.label)),
        sections(f),
        paper="A3",
    )
