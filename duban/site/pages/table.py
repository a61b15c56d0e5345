"""The 对照表 in pages: one page for each area, an area of many tasks cut into parts of at most
ROWS rows, and on the plan's page an index of them with each part's lights. At 10,000 tasks
the whole table is some 8 MB of HTML, more than a reviewer's browser opens quickly from a CD;
a part of 200 rows is some 170 KB, a plain page (no script) that prints as it shows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from duban.i18n import _
from duban.model import Task, natural_key
from duban.site.figures import Period, PlanFigures
from duban.site.html import Column, Page, esc, link, rel, table
from duban.site.pages.paths import crumbs, period_page, periods_page, plan_page, sections
from duban.site.pages.pieces import colophon, comparison_table
from duban.site.pages.units import report_table
from duban.states import LIGHT_ORDER
from duban.supervise.deadlines import Deadline
from duban.supervise.selection import Selection

ROWS = 200


@dataclass
class Part:
    """One page of the 对照表: an area's tasks, or a run of them, in the order of their numbers."""

    number: int  # from 1, across the table
    area: str
    part: int  # from 1, within the area
    parts: int  # the area's parts
    tasks: list[Task]

    @property
    def name(self) -> str:
        if self.parts == 1:
            return self.area or _("(no area)")
        return _("{area}, part {part} of {parts}").format(
            area=self.area or _("(no area)"), part=self.part, parts=self.parts
        )


@dataclass
class Paged:
    """A 对照表 in pages: the plan's now (folder PLAN/table), or a period's as of its deadline
    (PLAN/periods/KEY/table), with the page that lists its pages."""

    folder: str
    home: str  # the page whose index lists the parts
    title: str
    parts: list[Part]
    selection: Selection | None = None  # a period's view; the plan's own by default
    day: dt.date | None = None
    deadline: Deadline | None = None  # a period's: its pages list the reports filed under it too

    def path(self, part: Part) -> str:
        return f"{self.folder}/{part.number:03d}.html"


def parts(tasks: Sequence[Task], rows: int = ROWS) -> list[Part]:
    """The table's pages: by area in the order the plan first names them, each cut every `rows` tasks."""
    by_area: dict[str, list[Task]] = {}
    for task in tasks:
        by_area.setdefault(task.area, []).append(task)
    found: list[Part] = []
    for area, tasks in by_area.items():
        tasks = sorted(tasks, key=lambda t: natural_key(t.id))
        runs = [tasks[at : at + rows] for at in range(0, len(tasks), rows)]
        found += [Part(len(found) + index + 1, area, index + 1, len(runs), run) for index, run in enumerate(runs)]
    return found


def index(f: PlanFigures, paged: Paged) -> str:
    """The list of the table's pages: each with its tasks, the first and last number and its
    lights, so a reader goes straight to where the red ones are."""
    selection = paged.selection or f.selection
    rows = []
    for part in paged.parts:
        colours = Counter(selection.light_of(t).colour for t in part.tasks)
        rows.append(
            [
                link(rel(paged.home, paged.path(part)), part.name),
                str(len(part.tasks)),
                esc(f"{part.tasks[0].id}–{part.tasks[-1].id}"),
                *(str(colours[c]) for c in LIGHT_ORDER),
            ]
        )
    return table(
        [
            Column(_("the table's page")),
            Column(_("tasks"), numeric=True),
            Column(_("task numbers")),
            Column(_("red"), numeric=True),
            Column(_("yellow"), numeric=True),
            Column(_("green"), numeric=True),
            Column(_("grey"), numeric=True),
        ],
        rows,
    )


def part_pages(f: PlanFigures, paged: Paged, crumbs_before: tuple[tuple[str, str], ...] = ()) -> list[Page]:
    """Every page of the table, each with the pages before and after it and the way back."""
    made = []
    for at, part in enumerate(paged.parts):
        path = paged.path(part)
        around = []
        if at > 0:
            around.append(link(rel(path, paged.path(paged.parts[at - 1])), "← " + paged.parts[at - 1].name))
        around.append(link(rel(path, paged.home) + "#table", _("every page of the table")))
        if at + 1 < len(paged.parts):
            around.append(link(rel(path, paged.path(paged.parts[at + 1])), paged.parts[at + 1].name + " →"))
        pager = f'<nav class="pager" aria-label="{esc(_("Pages of the table"))}">' + " · ".join(around) + "</nav>"
        title = f"{paged.title}: {part.name}"
        body = [
            f"<h1>{esc(title)}</h1>",
            pager,
            comparison_table(f, part.tasks, path, selection=paged.selection, day=paged.day),
        ]
        if paged.deadline is not None:  # with the table, not on the period's page: 10,000 rows there
            filed = [
                line
                for task in part.tasks
                for line in f.report_lines.get(task.id, ())
                if paged.deadline.files(line.report.date)
            ]
            body += [
                f"<h2>{esc(_('Reports filed under this period'))}</h2>",
                report_table(f, filed, path, with_task=True),
            ]
        body += [pager, colophon(f)]
        made.append(
            Page(path, title, "\n".join(body), crumbs(f, *crumbs_before, (path, part.name)), sections(f), paper="A3")
        )
    return made


def of_plan(f: PlanFigures) -> Paged:
    return Paged(f"{f.plan.id}/table", plan_page(f.plan.id), _("The 对照表"), parts(f.tasks))


def of_period(f: PlanFigures, period: Period) -> Paged:
    return Paged(
        f"{f.plan.id}/periods/{period.key}",
        period_page(f.plan.id, period),
        _("The 对照表 at {label}").format(label=period.label),
        parts(period.circular.tasks),
        period.selection,
        period.read_at,
        period.deadline,
    )


def pages(f: PlanFigures) -> list[Page]:
    """The plan's table and each period's, in pages."""
    made = part_pages(f, of_plan(f))
    for period in f.periods:
        made += part_pages(
            f,
            of_period(f, period),
            ((periods_page(f.plan.id), _("Periods and circulars")), (period_page(f.plan.id, period), period.label)),
        )
    return made
