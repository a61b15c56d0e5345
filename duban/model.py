"""The domain model: plans, units, areas, tasks and progress reports.

Built from documents the schema has already accepted, so constructors trust shapes.
Only what the document states is stored; derived facts (a sub-item's effective lead)
are computed here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from duban import progress as progress_layout
from duban import vocabulary
from duban.reading import normalise_unit_name

# The order fields appear in a task file; new fields are inserted in this order.
TASK_FIELDS = (
    "id",
    "title",
    "text",
    "area",
    "section",
    "category",
    "parent",
    "type",
    "lead",
    "support",
    "milestones",
    "due",
    "indicators",
    "status",
    "progress",
    "source",
)

# Stored as these words; duban.vocabulary holds the words people see and type for them.
STATUSES = vocabulary.keys("status")
TARGET_TYPES = vocabulary.keys("type")


def day_of(written: str | dt.date) -> dt.date:
    """A date as a file writes it: YYYY-MM-DD, which duban's loaders keep as text and the schema
    has checked (a date typed any other way is read by duban.dates, never here)."""
    return written if isinstance(written, dt.date) else dt.date.fromisoformat(written)


def day_or_none(written: str | dt.date | None) -> dt.date | None:
    return None if written is None else day_of(written)


def written_day(day: dt.date | None) -> str | None:
    """A date as files, rows and JSON write it (YYYY-MM-DD), None kept."""
    return None if day is None else day.isoformat()


def milestone_key(written: str) -> str | dt.date:
    """A milestone's key as the model holds it: a quarter's (Q1..Q4) as written, a day as a date.
    A key the schema let through that is no day (2019-02-30: `validate` names it) stays as
    written, and no reading takes it for a day."""
    if written.startswith("Q"):
        return written
    try:
        return day_of(written)
    except ValueError:
        return written


def milestone_text(key: str | dt.date) -> str:
    """A milestone's key as files, rows, JSON and the documents write it: Q2, or 2019-06-30."""
    return key.isoformat() if isinstance(key, dt.date) else key


def milestones_of(written: Mapping[str, str]) -> dict[str | dt.date, str]:
    return {milestone_key(str(key)): value for key, value in written.items()}


def written_milestones(milestones: Mapping[str | dt.date, str]) -> dict[str, str]:
    return {milestone_text(key): value for key, value in milestones.items()}


def natural_key(task_id: str) -> tuple[Any, ...]:
    """Sort ids as people number them: 2 < 10, 1 < 1-1 < 1-2 < 2."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", task_id) if part != ""
    )


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


class UnitRegistry:
    """A plan's units, looked up by canonical name or alias, whitespace ignored."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units: tuple[Unit, ...] = tuple(units)
        self._by_name: dict[str, Unit] = {}
        self._own: dict[str, str] = {}  # own_name's answers: asked for every report of every view
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                self._by_name.setdefault(normalise_unit_name(name), unit)

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def resolve(self, name: str) -> Unit | None:
        found = self._by_name.get(name)  # most names are stored as written: skip normalising
        return found if found is not None else self._by_name.get(normalise_unit_name(name))

    def own_name(self, name: str) -> str:
        """The registry's own name of the unit `name` writes (an alias, other spacing or
        full-width forms), or `name` as written when no unit has it."""
        found = self._own.get(name)
        if found is None:
            unit = self.resolve(name)
            found = self._own[name] = unit.name if unit is not None else name
        return found

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Canonical names close to `name`, for a did-you-mean."""
        key = normalise_unit_name(name)
        close = difflib.get_close_matches(key, list(self._by_name), n=limit * 2, cutoff=0.5)
        names: list[str] = []
        for match in close:
            canonical = self._by_name[match].name
            if canonical not in names:
                names.append(canonical)
        return names[:limit]


@dataclass(frozen=True)
class Area:
    name: str
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportingRule:
    """plan.yaml's `reporting`: the reporting calendar (duban/supervise/deadlines.py). Words
    are stored as their keys (每月 is monthly, 上期 previous)."""

    day_of_month: int | None = None
    to: str | None = None
    text: str | None = None
    rhythm: str = "monthly"  # monthly, bimonthly, quarterly
    dates: tuple[dt.date, ...] = ()  # the deadlines themselves, instead of day_of_month and rhythm
    covers: str | None = None  # previous, current; None: by the deadline's day (deadlines.EARLY_DAY)
    grace: int | None = None  # days; None: deadlines.GRACE_DAYS
    first: dt.date | None = None  # no deadline before this date (instead of the grace)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ReportingRule:
        rhythm, covers = data.get("rhythm"), data.get("covers")
        return cls(
            data.get("day_of_month"),
            data.get("to"),
            data.get("text"),
            (vocabulary.resolve("rhythm", rhythm) or rhythm) if rhythm else "monthly",
            tuple(day_of(day) for day in data.get("dates", ())),
            (vocabulary.resolve("covers", covers) or covers) if covers else None,
            data.get("grace"),
            day_of(data["first"]) if data.get("first") else None,
        )


@dataclass
class Plan:
    id: str
    title: str
    year: int
    folder: Path
    areas: tuple[Area, ...]
    units: UnitRegistry
    issuer: str | None = None
    document_number: str | None = None
    issued: dt.date | None = None
    reporting: ReportingRule | None = None
    roles: dict[str, str] = field(default_factory=dict)
    target_types: dict[str, str] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    lights: dict[str, Any] = field(default_factory=dict)
    # The office's own words for its circular and ledger, and its scoring rules (duban/supervise/scoring.py).
    circular: dict[str, Any] = field(default_factory=dict)
    scoring: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_document(cls, doc: dict[str, Any], folder: Path) -> Plan:
        reporting = doc.get("reporting")
        return cls(
            id=str(doc["id"]),
            title=doc["title"],
            year=int(doc["year"]),
            folder=folder,
            areas=tuple(Area(a["name"], tuple(a.get("sections", ()))) for a in doc["areas"]),
            units=UnitRegistry(Unit(u["name"], u["kind"], tuple(u.get("aliases", ()))) for u in doc["units"]),
            issuer=doc.get("issuer"),
            document_number=doc.get("document_number"),
            issued=day_or_none(doc.get("issued")),
            reporting=ReportingRule.from_data(reporting) if reporting else None,
            roles=dict(doc.get("roles", {})),
            target_types=dict(doc.get("target_types", {})),
            source=dict(doc.get("source", {})),
            lights=dict(doc.get("lights", {})),
            circular=dict(doc.get("circular", {})),
            scoring=dict(doc.get("scoring", {})),
        )

    @property
    def tasks_folder(self) -> Path:
        return self.folder / "tasks"

    def area(self, name: str) -> Area | None:
        return next((a for a in self.areas if a.name == name), None)


@dataclass(frozen=True)
class Report:
    date: dt.date
    percent: float
    note: str | None = None
    by: str | None = None
    value: float | None = None
    status: str | None = None  # a status given with the report (受阻, 延期): it belongs to the report's date


def report_of(written: Mapping[str, Any]) -> Report:
    """A report as a document holds it (its date as the file writes it), extension fields aside."""
    fields = {k: v for k, v in written.items() if not k.startswith("x-")}
    return Report(**{**fields, "date": day_of(fields["date"])})


def report_row(report: Report) -> tuple[Any, ...]:
    """A report as plain values for the snapshot's rows (marshal keeps no dates: the date as text)."""
    return (report.date.isoformat(), report.percent, report.note, report.by, report.value, report.status)


def report_of_row(row: Sequence[Any]) -> Report:
    """A report from its snapshot row (report_row), its date a date again."""
    return Report(day_of(row[0]), *row[1:])


@dataclass
class Task:
    plan_id: str
    id: str
    title: str
    text: str
    area: str
    status: str
    path: Path
    section: str | None = None
    category: str | None = None
    parent: str | None = None
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    type: str | None = None
    milestones: dict[str | dt.date, str] = field(default_factory=dict)  # by quarter (Q2) or by day
    due: dt.date | None = None
    indicators: tuple[dict[str, Any], ...] = ()
    progress: tuple[Report, ...] = ()
    source: dict[str, Any] = field(default_factory=dict)
    # The statuses the office set with `duban set`, as (day, status) oldest first, where a view
    # has read them from the record (duban.record.history.office_statuses); None where not read.
    office_statuses: tuple[tuple[dt.date, str], ...] | None = None

    @classmethod
    def from_document(cls, doc: dict[str, Any], plan_id: str, path: Path) -> Task:
        parent = doc.get("parent")
        return cls(
            plan_id=plan_id,
            id=str(doc["id"]),
            title=doc["title"],
            text=doc["text"],
            area=doc["area"],
            status=doc["status"],
            path=path,
            section=doc.get("section"),
            category=doc.get("category"),
            parent=None if parent is None else str(parent),
            lead=tuple(doc.get("lead", ())),
            support=tuple(doc.get("support", ())),
            type=doc.get("type"),
            milestones=milestones_of(doc.get("milestones", {})),
            due=day_or_none(doc.get("due")),
            indicators=tuple(doc.get("indicators", ())),
            progress=tuple(report_of(r) for r in progress_layout.flat(doc.get("progress"))),
            source=dict(doc.get("source", {})),
        )

    def as_row(self) -> tuple[Any, ...]:
        """The fields as plain values (marshal can store them), for the plan snapshot."""
        return (
            self.id,
            self.title,
            self.text,
            self.area,
            self.status,
            self.section,
            self.category,
            self.parent,
            self.lead,
            self.support,
            self.type,
            written_milestones(self.milestones),
            written_day(self.due),
            self.indicators,
            tuple(report_row(r) for r in self.progress),
            self.source,
        )

    @classmethod
    def from_row(cls, row: tuple[Any, ...], plan_id: str, path: Path) -> Task:
        (
            task_id,
            title,
            text,
            area,
            status,
            section,
            category,
            parent,
            lead,
            support,
            kind,
            milestones,
            due,
            indicators,
            progress,
            source,
        ) = row
        return cls(
            plan_id,
            task_id,
            title,
            text,
            area,
            status,
            path,
            section,
            category,
            parent,
            lead,
            support,
            kind,
            milestones_of(milestones),
            day_or_none(due),
            indicators,
            tuple(report_of_row(report) for report in progress),
            source,
        )

    @property
    def ref(self) -> str:
        return f"{self.plan_id}/{self.id}"

    # No `latest` or `percent` here: the report that gives a task its percent is its effective
    # lead's (a sub-item's is its parent's lead's, an alias is the unit), which the task alone
    # cannot know; Selection.deciding_report says it. A task's own property read a supporting
    # unit's figure as the task's wherever the lead was inherited.


class InLineage(Protocol):
    """What effective_lead reads of a task: a Task, or a snapshot's stand-in for one
    (store/cache/task_index.IndexedTask)."""

    @property
    def id(self) -> str: ...
    @property
    def plan_id(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def lead(self) -> tuple[str, ...]: ...


def effective_lead(task: InLineage, tasks_by_id: Mapping[str, InLineage]) -> tuple[str, ...]:
    """A task's lead units, or its nearest ancestor's where the document names none."""
    seen = {task.id}
    current = task
    while not current.lead and current.parent and current.parent not in seen:
        parent = tasks_by_id.get(current.parent)
        if parent is None:
            break
        seen.add(parent.id)
        current = parent
    return current.lead
