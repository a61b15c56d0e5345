"""What an import produces: plan fields, tasks, the unit registry, and an account of every line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from duban.importing.rules import strip_spaces_in_name, unit_kind
from duban.importing.source import Document
from duban.model import TASK_FIELDS
from duban.states import Status


class UnitBook:
    """Units in order of first mention; each spelling that differs only in spaces is an alias."""

    def __init__(self) -> None:
        self._units: dict[str, dict[str, Any]] = {}

    def add(self, written: str) -> str:
        name = strip_spaces_in_name(written)
        unit = self._units.setdefault(name, {"name": name, "kind": unit_kind(name)})
        if written != name:
            aliases = unit.setdefault("aliases", [])
            if written not in aliases:
                aliases.append(written)
        return name

    def add_all(self, written: list[str]) -> list[str]:
        """Register each name; their canonical names, each once, in order."""
        names: list[str] = []
        for name in written:
            canonical = self.add(name)
            if canonical not in names:
                names.append(canonical)
        return names

    def link(self, alias: str, canonical: str) -> None:
        """Register `alias` (a name used in a task) as another spelling of `canonical`."""
        unit = self._units.pop(alias)
        aliases = self._units[canonical].setdefault("aliases", [])
        for name in [alias, *unit.get("aliases", [])]:
            if name not in aliases:
                aliases.append(name)

    def __contains__(self, name: str) -> bool:
        return strip_spaces_in_name(name) in self._units

    def names(self) -> list[str]:
        return list(self._units)

    def registry(self) -> list[dict[str, Any]]:
        """The units, with `X(Y)` folded into X as an alias where X is a unit of its own
        (发改委(统计局) is the 发改委; tasks keep the document's spelling)."""
        units = {name: dict(unit) for name, unit in self._units.items()}
        for name in list(units):
            base = re.sub(r"[(（][^()（）]*[)）]$", "", name)
            if base != name and base in units:
                aliases = units[base].setdefault("aliases", [])
                for alias in [name, *units[name].get("aliases", [])]:
                    if alias not in aliases:
                        aliases.append(alias)
                del units[name]
        return list(units.values())


@dataclass
class ImportResult:
    layout: str
    document: Document
    plan: dict[str, Any] = field(default_factory=dict)
    areas: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    units: UnitBook = field(default_factory=UnitBook)
    roles: dict[str, str] = field(default_factory=dict)
    # line number -> where it went: "task 2019-changning/18", "plan: issuer", ...
    used: dict[int, str] = field(default_factory=dict)
    # line number -> why it was left out
    skipped: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Plan facts a layout reads from the document's structure (the year of a work report).
    facts: dict[str, Any] = field(default_factory=dict)
    # line number -> what the line became and by which rule (duban import --explain)
    explain: dict[int, list[str]] = field(default_factory=dict)
    # points the importer was unsure of, for the summary (a task with no unit, guessed columns)
    unsure: list[str] = field(default_factory=list)
    # the readings that were tried, best first: (name, its evidence), and why the first won
    readings: list[tuple[str, str]] = field(default_factory=list)
    reading_note: str = ""
    recipe: Any = None  # the recipe.Recipe that corrected the reading, if any

    def area(self, name: str) -> dict[str, Any]:
        for area in self.areas:
            if area["name"] == name:
                return area
        area = {"name": name}
        self.areas.append(area)
        return area

    def add_section(self, area_name: str, section: str) -> None:
        sections = self.area(area_name).setdefault("sections", [])
        if section not in sections:
            sections.append(section)

    def role_word(self, role: str, word: str) -> None:
        self.roles.setdefault(role, word)


def task_fields(
    *,
    task_id: int | str,
    text: str,
    title: str,
    area: str,
    first: int,
    last: int,
    document: str,
    section: str | None = None,
    category: str | None = None,
    parent: int | str | None = None,
    task_type: str | None = None,
    lead: list[str] | None = None,
    support: list[str] | None = None,
    milestones: dict[str, str] | None = None,
    indicators: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A task document's fields in the order files show them; empty fields are left out."""
    values = {
        "id": task_id,
        "title": title,
        "text": text,
        "area": area,
        "section": section,
        "category": category,
        "parent": parent,
        "type": task_type,
        "lead": lead,
        "support": support,
        "milestones": milestones,
        "indicators": indicators,
        "status": Status.NOT_STARTED.value,
        "source": {"document": document, "lines": [first, last]},
    }
    return {key: values[key] for key in TASK_FIELDS if values.get(key) or key in ("id", "area")}
