"""The site's front page (every plan) and its search page."""

from __future__ import annotations

from collections.abc import Sequence

from duban.i18n import _
from duban.site.figures import PlanFigures
from duban.site.html import Column, Page, chinese_date, esc, link, table
from duban.site.pages.paths import plan_name, plan_page
from duban.site.pages.pieces import overall_counts, overall_rate, para, ratio


def front(all_figures: Sequence[PlanFigures]) -> Page:
    rows = []
    for f in all_figures:
        counts = overall_counts(f, f.tasks)
        met, due = overall_rate(f)
        rows.append(
            [
                link(plan_page(f.plan.id), plan_name(f)),
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
        ),
    ]
    return Page(
        "index.html", _("The plans and how their work went"), "\n".join(body), (("index.html", _("All plans")),)
    )


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
