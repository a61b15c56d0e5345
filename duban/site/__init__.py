"""The static site of the record (`duban site`): pages for reviewers who never open a terminal,
written into a folder that opens from file:// with no server and no network.

`build` gathers each plan's figures from the core (site.figures), lays out the pages
(site/pages/, site.charts, site.html), the search index (site.search) and the assets, and
writes only what changed (site.output).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from duban.i18n import _
from duban.site.output import Output, Written
from duban.store.repository import Repository


def build(
    repo: Repository,
    folder: Path,
    plan_ids: Sequence[str] = (),
    as_of: dt.date | None = None,
    language: str = "zh",
    progress: Callable[[str], None] | None = None,
) -> Written:
    """Write the site of `plan_ids` (default: every plan) into `folder`, each plan as of
    `as_of` (default: today while it runs, else its last reporting deadline). The words
    are those of the interface's language, which the caller sets (`language` names it for
    the pages' lang attribute). `progress` is told what is being done, a line at a time."""
    # Deferred: loads duban.site.assets and 11 more (56 duban modules in all) only when this runs
    from duban.site import assets, search
    from duban.site.figures import gather
    from duban.site.fingerprint import fingerprint
    from duban.site.pages import table as table_pages
    from duban.site.pages.front import front, search_page
    from duban.site.pages.paths import circular_page, ledger_page
    from duban.site.pages.periods import period, periods_index
    from duban.site.pages.plan import plan
    from duban.site.pages.seals import seals
    from duban.site.pages.tasks import task
    from duban.site.pages.units import unit, units_index
    from duban.supervise.circular.rendering import to_html
    from duban.supervise.export.formats import ledger_text
    from duban.supervise.scoring import default_as_of
    from duban.supervise.selection import views_held

    say = progress or (lambda _line: None)
    out = Output(folder)
    days = {plan_id: as_of or default_as_of(repo.plan(plan_id)) for plan_id in plan_ids or repo.plan_ids()}
    read = fingerprint(repo, days, language, folder)
    if out.holds(read):
        say(_("nothing changed since the last build"))
        return out.result
    figures = []
    for plan_id, day in days.items():
        with views_held(repo):  # every period's circular and score read each day's record once
            f = gather(repo, plan_id, day, say)
        figures.append(f)
        say(_("{plan}: pages").format(plan=plan_id))
        made = [plan(f), units_index(f), periods_index(f), seals(f)]
        made += [unit(f, name) for name in f.units]
        made += [task(f, one) for one in f.tasks]
        made += [period(f, index) for index in range(len(f.periods))]
        made += table_pages.pages(f)
        for page in made:
            out.write(page.path, page.render(language))
        for issued in (p for p in f.periods if p.issued):
            out.write(circular_page(plan_id, issued), to_html(issued.circular))
        out.write(ledger_page(plan_id), ledger_text(f.ledger, "html"))
    for page in (front(figures), search_page()):
        out.write(page.path, page.render(language))
    out.write("assets/site.css", assets.CSS)
    out.write("assets/site.js", assets.JS)
    out.write("assets/search-index.js", search.script(figures))
    return out.finish(read)
