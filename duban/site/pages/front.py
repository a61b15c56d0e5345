"""The site's front page (every plan) and its search page."""

from __future__ import annotations

from collections.abc import Sequence

from duban.i18n import _
from duban.site.figures import PlanFigures
from duban.site.html import Column, Page, chinese_date, esc, link, table
from duban.site.pages.paths import plan_name, plan_page
from duban.site.pages.pieces import overall_counts, overall_rate, para, ratio
from duban.site.pages.plan import LAGGING


def front(all_figures: Sequence[PlanFigures]) -> Page:
    rows = []
    for f in all_figures:
        counts = overall_counts(f, f.tasks)
        met, due = overall_rate(f)
        rows.append(
            [
                link(plan_page(f.plan.id), plan_name(f))
                + issued_by(f)
                + f"<br>{link(plan_page(f.plan.id) + '#' + LAGGING, _('Who lags, and why'))}",
                esc(str(f.plan.year)),
                chinese_date(f.as_of),
                str(counts["tasks"]),
                str(counts["done"]),
                str(counts["red"]),
                str(counts["yellow"]),
                str(counts["late"]),
                ratio(met, due),
            ]
        )
    body = [
        f"<h1>{esc(_('The plans and how their work went'))}</h1>",
        para(
            _(
                "Open a plan to see its 对照表, who lags and why, each unit, each task’s story, each period’s "
                "circular and the proof that nothing was changed afterwards."
            ),
            "lead",
        ),
        table(
            [
                Column(_("plan")),
                Column(_("year"), numeric=True),
                Column(_("as of")),
                Column(_("tasks"), numeric=True),
                Column(_("done"), numeric=True),
                Column(_("red"), numeric=True),
                Column(_("yellow"), numeric=True),
                Column(_("late report"), numeric=True),
                Column(_("on-time %"), numeric=True),
            ],
            rows,
            css="stack",
        ),
    ]
    return Page(
        "index.html", _("The plans and how their work went"), "\n".join(body), (("index.html", _("All plans")),)
    )


def issued_by(f: PlanFigures) -> str:
    """Whose plan it is, under its name: the issuer and the document's number (长府〔2019〕5号
    上海市长宁区政府办公室), so two plans named alike (区政府2019年重点工作目标) are told apart."""
    words = " ".join(x for x in (f.plan.document_number or "", f.plan.issuer or "") if x)
    return f'<br><span class="from">{esc(words)}</span>' if words else ""


def search_page() -> Page:
    body = (
        f"<h1>{esc(_('Search tasks and units'))}</h1>"
        + para(
            _(
                "Type words of a title or a unit’s name, or their pinyin initials (fgw finds 发改委). Words "
                "separated by commas must all match."
            )
        )
        + f'<p class="search-page"><label for="search-box">{esc(_("Search"))}</label> '
        f'<input id="search-box" type="search" autocomplete="off"></p>'
        f'<p id="search-count" role="status"></p><ul id="search-results" class="results"></ul>'
        f"<noscript><p>{esc(_('Search needs JavaScript; every plan page lists its tasks and units without it.'))}</p></noscript>"
    )
    return Page(
        "search.html",
        _("Search tasks and units"),
        body,
        (("index.html", _("All plans")), ("search.html", _("Search"))),
        scripts=("assets/search-index.js", "assets/site.js"),
    )
