"""The circular as data: its blocks (the pieces Markdown, HTML and .docx lay out) and the
figures and tasks they are made from."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from duban.model import Plan, Task
from duban.states import LightColour
from duban.supervise import lights
from duban.supervise.entries import Entry
from duban.supervise.scoring import Scores
from duban.supervise.selection import Selection


@dataclass
class Block:
    """One piece of the document: kind is masthead, issue, office_date, title, to, h1, h2, p,
    attachments (附件说明: the first name in text, the others in extra, one a line), signature,
    attachment, table, cc or printed."""

    kind: str
    text: str = ""
    extra: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    colours: list[LightColour] = field(default_factory=list)
    light_column: int | None = None


@dataclass
class Circular:
    plan: Plan
    month: str
    first: dt.date
    last: dt.date
    issue: int
    issued: dt.date
    commit: str | None
    counts: Counter[str]
    previous: Counter[str]
    tasks: list[Task]
    selection: Selection
    scores: Scores
    late: dict[str, list[Task]]
    lagging: dict[str, list[Task]]
    deadline: dt.date | None
    next_deadline: dt.date | None
    reported_units: list[str]
    reports: int
    completed: list[Task]
    # The day the figures are read at: the month's end, or the deadline that reports on the
    # month when later (deadlines.month_as_of); and the report dates counted as the month's.
    as_of: dt.date
    reported_between: tuple[dt.date, dt.date]
    notes: list[str] = field(default_factory=list)  # for stderr, never in the body
    blocks: list[Block] = field(default_factory=list)
    # Reports dated in the month but typed in after their deadline: they count for the month
    # (a report belongs to its report date) and are listed so the office sees them.
    entered_late: list[Entry] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)  # files left out: the command says so


def counts(selection: Selection, tasks: Sequence[Task] | None = None) -> Counter[str]:
    """总体情况's counts of `tasks` (default: the selection's): done, on schedule, lagging, per
    light, and late. The site's plan page counts with this too."""
    found: Counter[str] = Counter()
    for task in selection.tasks if tasks is None else tasks:
        light = selection.light_of(task)
        done = lights.is_done(task, light)
        found["tasks"] += 1
        found["done"] += done
        found[light.colour] += 1
        found["on_schedule"] += light.colour == LightColour.GREEN and not done
        found["lagging"] += light.colour.is_lagging
        found["late"] += light.late
    return found
