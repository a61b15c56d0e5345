"""The general layout: a task-decomposition document read by the genre's rules.

1. Web page chrome is set aside; items run together on one line are split (markers.py).
2. Tables are rebuilt in whatever shape they came (grid.py).
3. The remaining lines become a tree of numbered items (items.py); text without a marker continues the
   item above; unit lines, group statements (`4项目标的责任单位均为…`) and bracketed clauses are
   read by clauses.py.
4. The level that holds the tasks is decided for this document: the shallowest level where
   most unit clauses sit, or, with no units at all, the level with the most items. Levels
   above are areas and sections; levels below are part of their task's text, unless they
   name units of their own (then they are sub-items).
5. Where the document holds both tables and items, both readings are made and the one that
   explains more of it is kept (readings.py). A recipe (recipe.py) may choose the reading,
   the table and its columns, and which lines are headings, tasks or nothing.
Every line's fate is recorded with the rule that decided it (`explain`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from duban.i18n import _
from duban.importing import rules
from duban.importing.clauses import CONVENTION_FIRST_LEADS, Found, read_clauses
from duban.importing.clauses import bracket_groups as _bracket_groups
from duban.importing.dates import milestones
from duban.importing.grid import find_grids
from duban.importing.grid_rows import Grid, GridRow
from duban.importing.items import Item, item_tree, own_text, segments_of, task_rank
from duban.importing.markers import RANK, Marker, is_chrome, marker_of
from duban.importing.metadata import parse_date_line, read_metadata
from duban.importing.names import split_names
from duban.importing.result import ImportResult, task_fields
from duban.importing.script import View, fold
from duban.importing.source import Document, Line

if TYPE_CHECKING:
    from duban.importing.recipe import Recipe
from duban.importing.align import person_names, strip_role_tail


def parse_genre(
    document: Document, plan_id: str, year: int | None = None, prefer: str | None = None, recipe: Recipe | None = None
) -> ImportResult:
    """The document read by the genre's rules. Where it holds both tables and numbered items,
    both readings are made and the one that explains more of the document is kept
    (readings.py); `prefer` ("tables" or "outline", a recipe's choice) skips the contest."""
    # Deferred: loads duban.importing.readings only when this runs
    from duban.importing.readings import choose

    skip = recipe.skip if recipe is not None else set()
    lines = [Line(line.number, "", "") if line.number in skip else line for line in document.lines]
    grids = [g for g in find_grids(lines, recipe) if g.rows]
    candidates = {"tables": True, "outline": False} if grids else {"outline": False}
    if prefer in candidates:
        candidates = {prefer: candidates[prefer]}
    readings = {
        name: _read(document, lines, plan_id, year, grids, use_grids, recipe) for name, use_grids in candidates.items()
    }
    return choose(readings, "general")


def _read(
    document: Document,
    lines: list[Line],
    plan_id: str,
    year: int | None,
    grids: list[Grid],
    use_grids: bool,
    recipe: Recipe | None,
) -> ImportResult:
    result = ImportResult(layout="general", document=document)
    for number in sorted(recipe.skip if recipe is not None else ()):
        if number <= len(document.lines) and document.lines[number - 1].text:
            result.skipped[number] = "the recipe skips it"
    convention = bool(CONVENTION_FIRST_LEADS.search(fold("\n".join(l.text for l in lines))))
    claimed = set().union(*(g.lines | g.header_lines for g in grids)) if grids else set()
    segments = segments_of(lines, result, claimed)
    subheads: dict[int, str] = {}
    items, preamble = item_tree(segments, result, subheads)
    rank = task_rank(items)
    if recipe is not None and recipe.forced:  # the recipe's headings and tasks, at the document's levels
        forced = _forced_markers(recipe.forced, items, rank)
        result = ImportResult(layout="general", document=document, skipped=dict(result.skipped))
        segments = segments_of(lines, result, claimed)
        subheads = {}
        items, preamble = item_tree(segments, result, subheads, forced)
        rank = task_rank(items) if not recipe.tasks else forced[min(recipe.tasks)].rank
        for grid in grids:
            for row in grid.rows:
                if row.first in recipe.headings and row.heading is None:
                    row.heading = (
                        "\n".join(t for _c, t in row.cells.get("text", [])) or document.lines[row.first - 1].text
                    )
    result.facts["default_area"] = _default_area(document)
    builder = _Builder(result, plan_id, year, convention, subheads)
    if use_grids:
        for grid in grids:
            builder.grid(grid, items)
            for number in sorted(grid.lines - set(result.used)):
                result.skipped.setdefault(number, "table line outside any row (a separator or an empty row)")
        for item in items:
            builder.mark_outline_line(item, "not a task: the document's tasks are in its tables")
    else:
        builder.outline(items, rank)
        for grid in grids:
            for number in sorted(grid.lines | grid.header_lines):
                result.skipped.setdefault(number, "table without tasks (no numbered rows)")
    for segment in preamble:
        result.explain.setdefault(segment.number, []).append("before the first item: notice or metadata")
    builder.finish()
    return result


class _Builder:
    def __init__(
        self, result: ImportResult, plan_id: str, year: int | None, convention: bool, subheads: dict[int, str]
    ) -> None:
        self.result, self.plan_id, self.year, self.convention = result, plan_id, year, convention
        self.subheads = subheads

    # ---- outline ------------------------------------------------------------------------
    def outline(self, items: list[Item], rank: int | None) -> None:
        higher = sorted({i.rank for i in items if rank is not None and i.rank < rank})
        for item in items:
            if item.rank != rank:
                if rank is not None and item.rank < rank:
                    self._heading(item, higher)
                continue
            ancestors = self._ancestors(item)
            if higher and not ancestors:
                self.mark_outline_line(item, "before the first heading: part of the notice")
                continue
            area, section = self._area_of(item, higher)
            text, found, sub_items = self._text_and_units(item)
            number = str(item.marker.number) if item.marker and item.marker.number > 0 else None
            task = self._task(text, found, area, section, item.first, item.last, None, seq=number)
            self._lines(item, task, "item at the task level " + _level_name(item))
            for sub in sub_items:
                sub_text, sub_found, _subs = self._text_and_units(sub, deep=False)
                child = self._task(sub_text, sub_found, area, section, sub.first, sub.last, task)
                self._lines(sub, child, "sub-item naming its own units")

    def _ancestors(self, item: Item) -> list[Item]:
        out, parent = [], item.parent
        while parent is not None:
            out.append(parent)
            parent = parent.parent
        return out

    def _area_of(self, item: Item, higher: list[int]) -> tuple[str, str | None]:
        ancestors = {a.rank: a for a in self._ancestors(item)}
        area = ancestors.get(higher[0]) if higher else None
        section = next((ancestors[r] for r in higher[1:] if r in ancestors), None)
        subhead = max((n for n in self.subheads if n < item.first and (area is None or n > area.first)), default=None)
        area_name = _heading_text(area) if area else self.result.facts.get("default_area", "")
        section_name = _heading_text(section) if section else (self.subheads[subhead] if subhead else None)
        if section_name and area_name:
            self.result.add_section(area_name, section_name)
        return area_name, section_name

    def _heading(self, item: Item, higher: list[int]) -> None:
        name = _heading_text(item)
        if higher and item.rank == higher[0]:
            self.result.area(name)
            where, rule = "plan: areas", "heading above the task level (area)"
        else:
            where, rule = "plan: areas (section)", "heading above the task level (section)"
        for segment in item.segments:
            self.result.used.setdefault(segment.number, where)
            self.result.explain.setdefault(segment.number, []).append(f"{rule} {_level_name(item)}")

    def _text_and_units(self, item: Item, deep: bool = True) -> tuple[str, Found, list[Item]]:
        found = Found()
        found.merge(item.found)
        parts = [item.body()]
        subs: list[Item] = []

        def walk(node: Item) -> None:
            for child in node.children:
                if child.has_units and deep:
                    subs.append(child)
                else:
                    parts.append(own_text(child))
                    if not deep:
                        found.merge(child.found)
                    walk(child)

        walk(item)
        parts[0] = _without_final_clause(parts[0])
        text = "\n".join(p for p in parts if p)
        return text, found, subs

    def _lines(self, item: Item, task: dict[str, Any], rule: str) -> None:
        where = f"task {self.plan_id}/{task['id']}"
        for segment in item.segments + item.unit_lines:
            self.result.used[segment.number] = where
            self.result.explain.setdefault(segment.number, []).append(f"{where} ({rule})")
        for child in item.children:
            if not (child.has_units and item.marker and child.rank > item.rank):
                self._lines(child, task, "text of the task above (deeper level without units of its own)")

    def mark_outline_line(self, item: Item, reason: str) -> None:
        for segment in item.segments:
            if segment.number not in self.result.used:
                self.result.skipped[segment.number] = reason
                self.result.explain.setdefault(segment.number, []).append(f"skipped: {reason}")

    # ---- tables -------------------------------------------------------------------------
    def grid(self, grid: Grid, items: list[Item]) -> None:
        result = self.result
        start = min(grid.lines | grid.header_lines)
        heading = max((i for i in items if i.rank <= 2 and i.first < start), key=lambda i: i.first, default=None)
        title = _table_title(result.document, start)
        area = title or (_heading_text(heading) if heading else result.facts.get("default_area", ""))
        if title:
            for line in result.document.lines[max(0, start - 4) : start - 1]:
                if line.text == title:
                    result.used[line.number] = "plan: areas (table title)"
                    result.skipped.pop(line.number, None)
        for number in grid.header_lines:
            result.used[number] = "table header"
            result.explain.setdefault(number, []).append(
                f"table header ({grid.shape}): columns " + ", ".join(grid.kinds)
            )
        if grid.guessed:
            result.notes.append(
                _("table at line {line} has no header: columns guessed as {kinds}").format(
                    line=start, kinds=", ".join(grid.kinds)
                )
            )
        parent: dict[str, Any] | None = None
        section: str | None = None
        areas_seen = False
        for row in grid.rows:
            if row.heading is not None:
                marker = marker_of(row.heading)
                name = rules.title_of(row.heading[marker.length :].strip() if marker else row.heading)
                name = name.rstrip("。.") or row.heading
                if marker is not None and marker.kind in ("pcn", "num", "pnum") and (areas_seen or area):
                    section = name  # (一) under 一、: a section of the area
                    result.add_section(area, section)
                    where, rule = "plan: areas (section)", "section heading inside the table"
                else:
                    area, section, areas_seen = name, None, True
                    result.area(area)
                    where, rule = "plan: areas", "area heading inside the table"
                for number in row.lines:
                    result.used[number] = where
                    result.explain.setdefault(number, []).append(rule)
                parent = None
                continue
            if row.cells.get("area"):  # a 领域 column names the row's area; merged cells carry it down
                cell = row.cells["area"][0][1]
                marker = marker_of(cell)
                area = rules.title_of(cell[marker.length :] if marker else cell) or cell
                result.area(area)
            found, text, extra = self._row_units(grid, row)
            if not text:
                for number in row.lines:
                    result.skipped.setdefault(number, "table row without a task's text")
                continue
            if row.bullet and parent is not None:
                parent["text"] += "\n" + text
                parent["source"]["lines"][1] = max(parent["source"]["lines"][1], row.last)
                for number in row.lines:
                    result.used[number] = f"task {self.plan_id}/{parent['id']}"
                continue
            task = self._task(text, found, area, section, row.first, row.last, None, seq=row.seq, **extra)
            parent = task
            where = f"task {self.plan_id}/{task['id']}"
            for number in sorted(row.lines):
                result.used[number] = where
                result.explain.setdefault(number, []).append(f"{where} (table row, {grid.shape})")

    def _row_units(self, grid: Grid, row: GridRow) -> tuple[Found, str, dict[str, Any]]:
        found = Found()
        texts = [t for _c, t in row.cells.get("text", [])]
        extra: dict[str, Any] = {}
        for kind in ("lead", "responsible", "support", "unlabelled"):
            for _column, cell in row.cells.get(kind, []):
                for name in split_names(strip_role_tail(cell)):
                    found.add(kind, name)
                found.rules.append(f"{kind} column")
        for _column, cell in row.cells.get("leaders", []):
            found.leaders += [n for n in person_names(cell) if n not in found.leaders]
        for _column, cell in row.cells.get("due", []):
            found.due.append(cell)
        marks: dict[str, str] = {}
        for column, cell in row.cells.get("milestones", []):
            quarter = grid.quarter(column)
            if quarter:
                marks[quarter] = cell
            else:
                marks.update(milestones(cell, self.year))
        if marks:
            extra["marks"] = marks
        for _column, cell in row.cells.get("type", []):
            if match := re.fullmatch(r"([ABC])\s*类?(?:目标)?", fold(cell).strip()):
                extra["task_type"] = match.group(1)
        return found, "\n".join(texts), extra

    # ---- tasks --------------------------------------------------------------------------
    def _task(
        self,
        text: str,
        found: Found,
        area: str,
        section: str | None,
        first: int,
        last: int,
        parent: dict[str, Any] | None,
        seq: str | None = None,
        marks: dict[str, str] | None = None,
        task_type: str | None = None,
    ) -> dict[str, Any]:
        lines = [line for line in text.split("\n") if line.strip()] or [text]
        head = re.sub(r"^(?:项目名称|项目名|名称)\s*[:：]\s*", "", lines[0])
        if not head.strip() and len(lines) > 1:
            head = lines[1]
        clauses = read_clauses(head)
        label_at = clauses.title_end
        title_source = head[:label_at] if label_at else head
        opening = [end for start, end in clauses.spans if not fold(head[:start]).strip(" ([【〔")]
        if opening:  # the units come first: 【X】推进…, (牵头单位:X)推进…
            title_source = head[max(opening) :].lstrip(")]】〕） ") or head
        task = task_fields(
            task_id=f"@{len(self.result.tasks)}",
            title=rules.title_of(title_source) or text[:40],
            text=text,
            area=area,
            section=section,
            first=first,
            last=last,
            document=self.result.document.name,
            task_type=task_type,
            indicators=rules.indicators_in(text),
        )
        self.result.area(area)
        task["_seq"] = seq
        task["_parent"] = parent
        task["_found"] = found
        task["_marks"] = marks or {}
        self.result.tasks.append(task)
        return task

    def finish(self) -> None:
        # Deferred: loads duban.importing.roles only when this runs
        from duban.importing.roles import settle

        settle(self.result, self.plan_id, self.year, self.convention)


def _forced_markers(forced: dict[int, str], items: list[Item], rank: int | None) -> dict[int, Marker]:
    """Markers for the lines a recipe calls tasks (at the document's task level) and headings
    (a level above it); they take none of the line's characters."""
    kinds = {i.rank: i.marker.kind for i in items if i.marker is not None}
    task_kind = kinds.get(rank, "num") if rank is not None and rank < 99 else "num"
    task_rank_ = RANK[task_kind]
    above = [r for r in kinds if r < task_rank_]
    heading_kind = (
        kinds[max(above)]
        if above
        else next((k for k, r in sorted(RANK.items(), key=lambda kv: -kv[1]) if r < task_rank_), "part")
    )
    return {line: Marker(task_kind if what == "task" else heading_kind, 0, 0) for line, what in forced.items()}


def _without_final_clause(text: str) -> str:
    """A task's words without the bracketed unit clause that closes them
    (`…基地。(牵头单位:X)` -> `…基地。`): the clause is in lead and support."""
    view = View.of(text)
    if len(view.kept) != len(text):
        return text  # glosses: keep the text whole rather than cut it at a shifted place
    folded = view.folded
    end = len(folded.rstrip(" 。.;"))
    groups = [g for g in _bracket_groups(folded) if g[1] == end - 1 and g[0] > 0]
    if not groups:
        return text
    start, stop = groups[-1]
    if any(start <= a and b <= stop + 1 for a, b in read_clauses(text).spans) and folded[:start].strip():
        return text[:start].rstrip()
    return text


def _table_title(document: Document, header: int) -> str | None:
    """The table's title: a short line just above its header, not chrome, metadata or a date."""
    for line in reversed(document.lines[max(0, header - 4) : header - 1]):
        text = line.text.strip().rstrip("|").strip()
        if not text or is_chrome(text):
            continue
        if (
            len(text) <= 60
            and ":" not in fold(text)[:8]
            and "|" not in text
            and not parse_date_line(text)
            and not re.match(r"^[\d\s]+$", text)
        ):
            return text
        return None
    return None


def _default_area(document: Document) -> str:
    """Where no heading groups the tasks: the document's title, else its file name."""
    title = read_metadata(document.lines).fields.get("title")
    return str(title) if title else document.name.rsplit(".", 1)[0]


def _heading_text(item: Item | None) -> str:
    if item is None:
        return ""
    first = item.segments[0].text
    if item.marker is not None and not first[item.marker.length :].strip() and len(item.segments) > 1:
        first, item = item.segments[1].text, Item(None, item.segments[1:])  # (一) alone, its words below
    text = rules.title_of(first[item.marker.length :] if item.marker is not None else first)
    return text.strip().rstrip("。.") or fold(item.segments[0].text)


def _level_name(item: Item) -> str:
    return {
        "part": "第一部分",
        "cn": "一、",
        "pcn": "(一)",
        "num": "1.",
        "zero": "01",
        "pnum": "(1)",
        "circ": "①",
        "bullet": "▲",
    }.get(item.marker.kind if item.marker else "", "")


def looks_like_genre(document: Document) -> int:
    """How many tasks the general reading finds (0: none)."""
    return len(parse_genre(document, "x").tasks)
