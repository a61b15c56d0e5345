"""The static site of the record (`duban site`): pages for reviewers who never open a terminal,
written into a folder that opens from file:// with no server and no network.

`build` gathers each plan's figures from the core (site.figures), lays out the pages
(site.pages, site.charts, site.html), the search index (site.search) and the assets, and
writes only what changed (site.output).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from duban.site.output import Written
from duban.store.repository import Repository


def build(repo: Repository, folder: Path, plan_ids: Sequence[str] = (), as_of: dt.date | None = None,
          language: str = "zh", progress: Callable[[str], None] | None = None) -> Written:
    """Write the site of `plan_ids` (default: every plan) into `folder`, each plan as of
    `as_of` (default: today while it runs, else its last reporting deadline). The words
    are those of the interface's language, which the caller sets (`language` names it for
    the pages' lang attribute). `progress` is told what is being done, a line at a time."""
    from duban.site import assets, pages, search
    from duban.site.figures import gather
    from duban.site.output import Output
    from duban.supervise import circular as circulars
    from duban.supervise.export import ledger_text

    say = progress or (lambda _line: None)
    out = Output(folder)
    figures = []
    for plan_id in plan_ids or repo.plan_ids():
        f = gather(repo, plan_id, as_of, say)
        figures.append(f)
        say(f"{plan_id}: pages")
        made = [pages.plan(f), pages.units_index(f), pages.periods_index(f), pages.seals(f)]
        made += [pages.unit(f, name) for name in f.units]
        made += [pages.task(f, task) for task in f.tasks]
        made += [pages.period(f, index) for index in range(len(f.periods))]
        for page in made:
            out.write(page.path, page.render(language))
        for period in f.periods:
            if period.issued:
                out.write(pages.circular_page(plan_id, period), circulars.to_html(period.circular))
        out.write(pages.ledger_page(plan_id), ledger_text(f.ledger, "html"))
    for page in (pages.front(figures), pages.search()):
        out.write(page.path, page.render(language))
    out.write("assets/site.css", assets.CSS)
    out.write("assets/site.js", assets.JS)
    out.write("assets/search-index.js", search.script(figures))
    return out.finish()
