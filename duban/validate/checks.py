"""The checks a schema cannot make: cross-file references, units, dates, progress order.

Each function takes documents the schema has accepted and returns Problems with pointers;
validation.py turns pointers into line:col.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from duban import progress as progress_layout
from duban.i18n import _
from duban.model import Plan
from duban.problems import RULES, Problem, RuleId
from duban.reading import normalise_unit_name


def check_plan(doc: dict[str, Any], folder_name: str, path: str) -> list[Problem]:
    problems: list[Problem] = []
    if doc["id"] != folder_name:
        message = _("plan id {id!r} differs from its folder {folder!r}").format(id=doc["id"], folder=folder_name)
        problems.append(Problem(path, message, RuleId.PLAN_ID_MATCHES_FOLDER, pointer=("id",)))
    names = Counter(area["name"] for area in doc["areas"])
    for index, area in enumerate(doc["areas"]):
        if names[area["name"]] > 1:
            problems.append(
                Problem(
                    path,
                    _("area {name!r} is listed more than once").format(name=area["name"]),
                    RuleId.UNIQUE_AREA,
                    pointer=("areas", index, "name"),
                )
            )
    owners: dict[str, str] = {}
    for index, unit in enumerate(doc["units"]):
        for offset, name in enumerate((unit["name"], *unit.get("aliases", ()))):
            key = normalise_unit_name(name)
            pointer = ("units", index, "name") if offset == 0 else ("units", index, "aliases", offset - 1)
            if key in owners and owners[key] != unit["name"]:
                message = _("unit name {name!r} also names {other!r}").format(name=name, other=owners[key])
                problems.append(Problem(path, message, RuleId.UNIQUE_UNIT, pointer=pointer))
            elif key in owners and offset == 0:
                problems.append(
                    Problem(
                        path,
                        _("unit {name!r} is registered more than once").format(name=name),
                        RuleId.UNIQUE_UNIT,
                        pointer=pointer,
                    )
                )
            owners.setdefault(key, unit["name"])
    problems += _reporting_dates(doc, path)
    return problems


def _reporting_dates(doc: dict[str, Any], path: str) -> list[Problem]:
    """reporting.dates and reporting.first in the plan's range (the calendar would pass over
    a date years away without a word)."""
    year = int(doc["year"])
    span = f"{year - 1}-01-01..{year + 1}-12-31"
    reporting = doc.get("reporting") or {}
    found: list[tuple[tuple[Any, ...], Any]] = [
        (("reporting", "dates", index), text) for index, text in enumerate(reporting.get("dates", ()))
    ]
    found += [(("reporting", "first"), reporting["first"])] if "first" in reporting else []
    return [
        Problem(
            path,
            _("date {text} is outside the plan's range {span}").format(text=text, span=span),
            RuleId.DATE_RANGE,
            pointer=pointer,
        )
        for pointer, text in found
        if not f"{year - 1}-01-01" <= str(text) <= f"{year + 1}-12-31"
    ]


def _real_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def check_task(
    doc: dict[str, Any],
    stem: str,
    plan: Plan,
    path: str,
    parent_of: Callable[[str], str | None],
    text: str | None = None,
) -> list[Problem]:
    """Problems of one task against its plan. `parent_of(id)` gives another task's parent id,
    or None when that task does not exist (raising KeyError) or has no parent. `text`, the
    file's text, spares looking for control characters value by value where it has none."""
    problems: list[Problem] = []

    def add(message: str, rule: RuleId, pointer: tuple[Any, ...], at_key: bool = False) -> None:
        problems.append(Problem(path, message, rule, RULES[rule].severity, pointer=pointer, at_key=at_key))

    task_id = str(doc["id"])
    if task_id != stem:
        add(
            _("id {id!r} differs from the file name {stem!r}").format(id=task_id, stem=stem),
            RuleId.ID_MATCHES_FILE,
            ("id",),
        )

    area = plan.area(doc["area"])
    if area is None:
        known = "、".join(a.name for a in plan.areas)
        add(
            _("unknown area {area!r} (the plan's areas: {known})").format(area=doc["area"], known=known),
            RuleId.UNKNOWN_AREA,
            ("area",),
        )
    elif "section" in doc and doc["section"] not in area.sections:
        add(
            _("unknown section {section!r} in area {area!r}").format(section=doc["section"], area=area.name),
            RuleId.UNKNOWN_SECTION,
            ("section",),
        )

    for role in ("lead", "support"):
        for index, name in enumerate(doc.get(role, ())):
            _check_unit(name, plan, (role, index), add)
    progress = doc.get("progress")
    if isinstance(progress, dict):  # the keyed layout: each key names a unit
        for unit in progress:
            _check_unit(unit, plan, ("progress", unit), add, at_key=True)
    for index, report in enumerate(progress if isinstance(progress, list) else ()):
        if "by" in report:
            _check_unit(report["by"], plan, ("progress", index, "by"), add)

    _check_parent(doc, task_id, parent_of, add)
    _check_dates(doc, plan, add)
    _check_reports(doc, plan, add)
    check_characters(doc, add, text)

    # A plan whose document names no units at all (a work report) lacks nothing here.
    if not doc.get("lead") and not doc.get("support") and doc.get("parent") is None and len(plan.units):
        add(_("no lead or support unit: nobody is responsible"), RuleId.NO_UNIT, ("id",))
    return problems


def check_characters(doc: dict[str, Any], add: Callable[..., None], text: str | None = None) -> None:
    """Control and text-direction characters, which every writer refuses (see hygiene.py).
    A file whose text holds none, and no backslash (a double-quoted "\x1b" makes one), has no
    value that holds one: then its values are not walked (0.09 s of a first `validate` of
    10,000 files)."""
    # Deferred: loads duban.text.hygiene (3 duban modules in all) only when this runs
    from duban.text.hygiene import UNSAFE_IN_FILE, describe, unsafe_strings

    if text is not None and "\\" not in text and UNSAFE_IN_FILE.search(text) is None:
        return

    for pointer, character in unsafe_strings(doc):
        add(
            _("the value holds the control character {character}").format(character=describe(character)),
            RuleId.CONTROL_CHARACTER,
            pointer,
        )


def _check_reports(doc: dict[str, Any], plan: Plan, add: Callable[..., None]) -> None:
    """A report names its unit, one the task names, and is not dated after today."""
    today = dt.date.today().isoformat()
    own = {plan.units.own_name(n) for n in (*doc.get("lead", ()), *doc.get("support", ()))}
    progress = doc.get("progress")
    keyed = progress_layout.is_keyed(progress)
    if keyed and isinstance(progress, dict):
        _check_unit_keys(doc, plan, progress, add)
    off_task: set[str] = set()
    for where, by, report in progress_layout.located(progress):
        if str(report.get("date", "")) > today:
            add(
                _("report dated {date}, after today ({today})").format(date=report["date"], today=today),
                RuleId.FUTURE_REPORT,
                ("progress", *where, "date"),
            )
        if len(plan.units) == 0:
            continue
        if by is None:
            add(_("report names no reporting unit (by:)"), RuleId.REPORT_WITHOUT_UNIT, ("progress", *where))
            continue
        unit = plan.units.resolve(by)
        # A sub-item may take its lead from its parent; only a task of its own is checked here.
        if unit is not None and own and doc.get("parent") is None and unit.name not in own and by not in off_task:
            if keyed:
                off_task.add(by)  # a unit's key is named once, not once per report
            add(
                _("report by {unit!r}, which is neither lead nor support of this task").format(unit=by),
                RuleId.REPORT_UNIT_NOT_ON_TASK,
                ("progress", by) if keyed else ("progress", *where, "by"),
                at_key=keyed,
            )


def _check_unit_keys(doc: dict[str, Any], plan: Plan, progress: dict[str, Any], add: Callable[..., None]) -> None:
    """Each unit the file names keeps its reports under its own key, there from the start, so
    that two units' first reports touch different lines (a sub-item's lead from its parent is
    the parent's to check)."""
    canonical = plan.units.own_name
    if any(plan.units.resolve(key) is None for key in progress):
        return  # a misspelt key is an unknown-unit error already; correcting it gives the key
    named = [n for n in (*doc.get("lead", ()), *doc.get("support", ())) if isinstance(n, str) and n.strip()]
    for unit in progress_layout.unit_keys(named, canonical):
        if progress_layout.key_of(unit, progress, canonical) is None:
            add(
                _("progress: has no key for {unit!r}, a unit of this task").format(unit=unit),
                RuleId.PROGRESS_KEY_MISSING,
                ("progress",),
                at_key=True,
            )


def _check_unit(
    name: str, plan: Plan, pointer: tuple[Any, ...], add: Callable[..., None], at_key: bool = False
) -> None:
    if plan.units.resolve(name) is not None:
        return
    suggestions = plan.units.suggest(name)
    if suggestions:
        message = _("unknown unit {name!r}; did you mean {options}?").format(
            name=name, options=_(" or ").join(repr(s) for s in suggestions)
        )
    else:
        message = _("unknown unit {name!r}; add it to the units in plan.yaml").format(name=name)
    add(message, RuleId.UNKNOWN_UNIT, pointer, at_key=at_key)


def _check_parent(
    doc: dict[str, Any], task_id: str, parent_of: Callable[[str], str | None], add: Callable[..., None]
) -> None:
    if doc.get("parent") is None:
        return
    parent = str(doc["parent"])
    chain = [task_id]
    current: str | None = parent
    while current is not None:
        if current in chain:
            cycle = " -> ".join([*chain, current])
            add(_("parent cycle: {cycle}").format(cycle=cycle), RuleId.PARENT_CYCLE, ("parent",))
            return
        chain.append(current)
        try:
            current = parent_of(current)
        except KeyError:
            if current == parent:
                add(
                    _("parent {parent!r} is not a task of this plan").format(parent=parent),
                    RuleId.UNKNOWN_PARENT,
                    ("parent",),
                )
            return


def _check_dates(doc: dict[str, Any], plan: Plan, add: Callable[..., None]) -> None:
    earliest = dt.date(plan.year - 1, 1, 1)
    latest = dt.date(plan.year + 1, 12, 31)
    span = f"{earliest.isoformat()}..{latest.isoformat()}"

    def in_range(text: str, pointer: tuple[Any, ...], at_key: bool = False) -> dt.date | None:
        day = _real_date(text)
        if day is None:
            add(_("{text!r} is not a real date (YYYY-MM-DD)").format(text=text), RuleId.DATE, pointer, at_key=at_key)
        elif not earliest <= day <= latest:
            add(
                _("date {text} is outside the plan's range {span}").format(text=text, span=span),
                RuleId.DATE_RANGE,
                pointer,
                at_key=at_key,
            )
        return day

    if "due" in doc:
        due = in_range(doc["due"], ("due",))
        issued = plan.issued
        if due is not None and issued is not None and due < issued:
            add(
                _("due {due} is before the plan was issued ({issued})").format(
                    due=due.isoformat(), issued=issued.isoformat()
                ),
                RuleId.DUE_BEFORE_ISSUE,
                ("due",),
            )
    for key in doc.get("milestones", {}):
        if not key.startswith("Q"):
            in_range(key, ("milestones", key), at_key=True)

    # Each unit's reports (keyed layout), or the one list, is in date order with its percent rising.
    for run in progress_layout.runs(doc.get("progress")):
        previous_day: dt.date | None = None
        previous_percent: float | None = None
        for where, report in run:
            day = in_range(report["date"], ("progress", *where, "date"))
            if day is not None and previous_day is not None and day < previous_day:
                add(
                    _("report dated {date} comes after one dated {previous}").format(
                        date=report["date"], previous=previous_day.isoformat()
                    ),
                    RuleId.PROGRESS_ORDER,
                    ("progress", *where, "date"),
                )
            percent = report["percent"]
            if previous_percent is not None and percent < previous_percent:
                add(
                    _("percent falls from {before:g} to {after:g}").format(before=previous_percent, after=percent),
                    RuleId.PERCENT_FALLS,
                    ("progress", *where, "percent"),
                )
            previous_day = day or previous_day
            previous_percent = percent
