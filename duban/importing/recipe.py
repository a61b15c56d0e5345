"""A recipe: the clerk's corrections to how one document is read, kept beside the plan's copy
of it (`plans/ID/source/NAME.recipe.yaml`), so that a re-import gives the same plan and the
corrections are reviewed in git like any other change.

```yaml
# duban import recipe for 2024年重点工作.docx
reading: tables                  # or outline: which reading to use, without a contest
table: 2                         # the document's second table holds the tasks
header: 14                       # the line (row) that is the header
columns: [seq, text, leaders, lead, support, due]   # what each column is, left to right
headings: [10, 25]               # lines that are headings (areas), not tasks
tasks: [12, 30-33]               # lines that open a task
skip: [40-45]                    # lines that are no part of the plan
roles: {lead: [主抓单位], support: [协作单位]}   # label words the vocabulary lacks
year: 2024
```
Every key is optional. Column kinds: seq, text, lead, responsible, support, leaders, due,
milestones, area, type, other. Roles: lead, responsible, support, leaders, due, other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duban.errors import DubanError
from duban.i18n import _

SUFFIX = ".recipe.yaml"
COLUMN_KINDS = (
    "seq",
    "text",
    "lead",
    "responsible",
    "support",
    "unlabelled",
    "leaders",
    "due",
    "milestones",
    "area",
    "type",
    "other",
)
ROLES = ("lead", "responsible", "support", "leaders", "due", "other")
KEYS = ("reading", "table", "header", "columns", "headings", "tasks", "skip", "roles", "year", "layout")


@dataclass
class Recipe:
    path: Path | None = None
    reading: str | None = None
    table: int | None = None
    header: int | None = None
    columns: list[str] | None = None
    headings: set[int] = field(default_factory=set)
    tasks: set[int] = field(default_factory=set)
    skip: set[int] = field(default_factory=set)
    roles: dict[str, str] = field(default_factory=dict)  # label word -> role
    year: int | None = None
    layout: str | None = None
    text: str = ""

    @property
    def shapes_tables(self) -> bool:
        return self.table is not None or self.header is not None or self.columns is not None

    @property
    def forced(self) -> dict[int, str]:
        """Line -> "task" or "heading", as the recipe says."""
        return {**{n: "heading" for n in self.headings}, **{n: "task" for n in self.tasks}}


def _fail(path: Path, message: str) -> DubanError:
    return DubanError(
        _("{path}: {problem}").format(path=path, problem=message),
        hint=_('see `duban import --help` and docs/guide/importing.md, "Correcting an import"'),
    )


def _lines(value: Any, key: str, path: Path) -> set[int]:
    """[12, 30-33] -> {12, 30, 31, 32, 33}."""
    items = value if isinstance(value, list) else [value]
    out: set[int] = set()
    for item in items:
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", str(item))
        if not match:
            raise _fail(
                path, _("{key}: {value!r} is not a line number or a range such as 30-33").format(key=key, value=item)
            )
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first or last - first > 10000:
            raise _fail(path, _("{key}: {value!r} is not a range of lines").format(key=key, value=item))
        out |= set(range(first, last + 1))
    return out


def load_recipe(path: Path) -> Recipe:
    # Deferred: loads duban.store (8 duban modules in all; yaml) only when this runs
    from duban.store import yamlio

    text = yamlio.read_text(path)
    data = yamlio.load_fast(text, str(path)) or {}
    if not isinstance(data, dict):
        raise _fail(path, _("a recipe is a mapping of keys such as table:, columns:, roles:"))
    unknown = sorted(str(k) for k in data if k not in KEYS)
    if unknown:
        raise _fail(
            path,
            _("unknown keys {keys}; a recipe knows {known}").format(keys=", ".join(unknown), known=", ".join(KEYS)),
        )
    recipe = Recipe(path=path, text=text)
    if data.get("reading") is not None:
        if data["reading"] not in ("tables", "outline"):
            raise _fail(path, _("reading: is tables or outline"))
        recipe.reading = data["reading"]
    for key in ("table", "header", "year"):
        if data.get(key) is not None:
            if not isinstance(data[key], int) or data[key] < 1:
                raise _fail(path, _("{key}: is a whole number").format(key=key))
            setattr(recipe, key, data[key])
    if data.get("columns") is not None:
        columns = data["columns"]
        if not isinstance(columns, list) or any(c not in COLUMN_KINDS for c in columns):
            raise _fail(path, _("columns: is a list of {kinds}").format(kinds=", ".join(COLUMN_KINDS)))
        recipe.columns = [str(c) for c in columns]
    for key in ("headings", "tasks", "skip"):
        if data.get(key) is not None:
            setattr(recipe, key, _lines(data[key], key, path))
    roles = data.get("roles") or {}
    if not isinstance(roles, dict) or any(role not in ROLES for role in roles):
        raise _fail(path, _("roles: maps {roles} to lists of label words").format(roles=", ".join(ROLES)))
    for role, words in roles.items():
        for word in words if isinstance(words, list) else [words]:
            recipe.roles[str(word).strip()] = role
    if data.get("layout") is not None:
        recipe.layout = str(data["layout"])
    return recipe


def find_recipe(document: Path, plan_source: Path | None = None) -> Path | None:
    """The recipe for a document: beside it (`NAME.recipe.yaml`), else beside the plan's copy
    of it (`plans/ID/source/NAME.recipe.yaml`)."""
    for folder in (document.parent, plan_source):
        if folder is not None and (folder / (document.name + SUFFIX)).is_file():
            return folder / (document.name + SUFFIX)
    return None
