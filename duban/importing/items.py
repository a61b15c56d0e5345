"""The tree of numbered items a document's lines make: markers nest by level, a line without
a marker continues the item above, unit lines and group statements attach to their items.

Lines of web page chrome are set aside first, and items run together on one line are split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.importing.clauses import Found, group_statement, read_clauses
from duban.importing.markers import SUBHEAD, Marker, inline_items, is_chrome, marker_of
from duban.importing.metadata import ISSUER_LINE, parse_date_line
from duban.importing.result import ImportResult
from duban.importing.script import View, fold
from duban.importing.source import Line
from duban.importing.vocabulary import label_pattern, label_role

_SENTENCE_END = "。;!?:)」”》"
PDF_LINE = 20  # a shorter line is a heading or a label, not a paragraph broken by the page
_CLOSING = re.compile(r"^(?:主题词|抄送|抄报|印发|特此通知|联系人|联系电话)")


@dataclass
class Segment:
    number: int
    text: str


@dataclass
class Item:
    marker: Marker | None
    segments: list[Segment]
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)
    found: Found = field(default_factory=Found)
    unit_lines: list[Segment] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return self.marker.rank if self.marker else 99

    @property
    def first(self) -> int:
        return self.segments[0].number

    @property
    def last(self) -> int:
        numbers = [s.number for s in self.segments + self.unit_lines]
        for child in self.children:
            numbers.append(child.last)
        return max(numbers)

    def body(self) -> str:
        """The item's own words: its line without the marker, and the lines that continue it."""
        parts: list[str] = []
        for index, segment in enumerate(self.segments):
            text = segment.text
            if index == 0 and self.marker is not None:
                text = (
                    text[self.marker.length :].strip()
                    if fold(text).startswith(fold(text)[: self.marker.length])
                    else text
                )
            if (
                parts
                and len(parts[-1]) >= PDF_LINE
                and parts[-1][-1] not in _SENTENCE_END
                and text[:1]
                and "\u4e00" <= text[0] <= "\u9fff"
            ):
                parts[-1] += text  # a line broken mid-sentence (PDF)
            else:
                parts.append(text)
        return "\n".join(p for p in parts if p)

    @property
    def has_units(self) -> bool:
        return self.found.any


def segments_of(lines: list[Line], result: ImportResult, claimed: set[int]) -> list[Segment]:
    out: list[Segment] = []
    for line in lines:
        if not line.text or line.number in claimed:
            continue
        if is_chrome(line.text):
            result.skipped[line.number] = "web page chrome"
            result.explain.setdefault(line.number, []).append("skipped: web page chrome or spam (noise rule)")
            continue
        starts = inline_items(line.text)
        if starts:
            cuts = [0, *starts, len(line.text)]
            pieces = [line.text[a:b].strip() for a, b in zip(cuts, cuts[1:])]
            out += [Segment(line.number, p) for p in pieces if p]
            result.explain.setdefault(line.number, []).append(
                f"split into {len([p for p in pieces if p])} parts at item markers inside the line (run-together rule)"
            )
        else:
            out.append(Segment(line.number, line.text))
    return out


def _is_unit_line(text: str) -> Found | None:
    """A line that only names units: `(责任单位:…)`, `责任单位:…`, or a label alone."""
    stripped = text.strip()
    folded = fold(stripped)
    view = View.of(stripped)
    found = read_clauses(stripped)
    if not found.any and not found.leaders:
        return None
    rest = view.folded[max(end for _start, end in found.spans) :] if found.spans else ""
    if (
        found.title_end is not None
        and not folded[: found.title_end].strip(" (〔【[")
        and len(rest.strip(" )〕】]。.;,")) <= 2
    ):
        return found
    if found.spans and found.spans[0][0] == 0 and found.spans[-1][1] >= len(folded) - 1:
        return found
    return None


def item_tree(
    segments: list[Segment], result: ImportResult, subheads: dict[int, str], forced: dict[int, Marker] | None = None
) -> tuple[list[Item], list[Segment]]:
    """Items in document order (nested by rank) and the segments before the first item;
    `——` subheads are collected into `subheads` (line number -> text)."""
    items: list[Item] = []
    preamble: list[Segment] = []
    stack: list[Item] = []
    expected: dict[str, int] = {}
    pending_label: Segment | None = None
    closed = False
    closing: list[Segment] = []
    # after the last numbered item, a date or 主题词 line ends the tasks: the rest is closing
    last_marker = max((i for i, s in enumerate(segments) if marker_of(s.text)), default=len(segments))
    for position, segment in enumerate(segments):
        text = segment.text
        if pending_label is not None:
            segment = Segment(segment.number, pending_label.text.rstrip(":：") + ":" + text)
            text = segment.text
            if stack:
                stack[-1].unit_lines.append(pending_label)
            pending_label = None
        marker = _marker_at(segments, position, segment, expected, forced, result)
        if closed:
            marker = None
        if marker is not None and (marker.kind == "bullet" or not _is_unit_line(text[marker.length :])):
            _open_item(marker, segment, stack, items)
            expected[marker.kind] = marker.number + 1
            continue
        if SUBHEAD.match(fold(text)):
            while stack and stack[-1].rank >= 3:
                stack.pop()
            result.explain.setdefault(segment.number, []).append("section heading (—— subhead rule)")
            result.used.setdefault(segment.number, "plan: areas (section)")
            subheads[segment.number] = text.lstrip("—- ").strip()
            continue
        if not stack or closed:
            preamble.append(segment) if not closed else closing.append(segment)
            continue
        if position > last_marker and _ends_the_tasks(fold(text)):
            closed = True  # 主题词, 抄送, the date: the document's tasks are over
            closing.append(segment)
            continue
        if _label_alone(fold(text)):
            pending_label = segment  # 责任单位 / (next line) the units
            continue
        if not _attach_units(stack, items, segment, result):
            stack[-1].segments.append(segment)
    for item in items:
        item.found.merge(read_clauses("\n".join(s.text for s in item.segments[1:])))
    for segment in closing:
        result.skipped.setdefault(segment.number, "closing remarks")
    return items, preamble


def _marker_at(
    segments: list[Segment],
    position: int,
    segment: Segment,
    expected: dict[str, int],
    forced: dict[int, Marker] | None,
    result: ImportResult,
) -> Marker | None:
    """The item marker the segment opens with: its own, a number alone whose text is on the next
    line, or the one a recipe forces on the line's first segment."""
    text = segment.text
    marker = marker_of(text, expected.get("num"))
    bare = re.fullmatch(r"\d{1,3}", fold(text).strip())
    if (
        marker is None
        and bare
        and position + 1 < len(segments)
        and marker_of(segments[position + 1].text) is None
        and int(bare.group(0)) == expected.get("num", 1)
    ):
        marker = Marker("num", int(bare.group(0)), len(text))  # a number alone, its text on the next line
    if forced and segment.number in forced and (position == 0 or segments[position - 1].number != segment.number):
        marker = forced[segment.number]  # a recipe's heading or task
        result.explain.setdefault(segment.number, []).append(f"the recipe makes it a {marker.kind} item")
    return marker


def _open_item(marker: Marker, segment: Segment, stack: list[Item], items: list[Item]) -> None:
    """A new item under the nearest open item of a higher rank, itself now the innermost open item."""
    while stack and stack[-1].rank >= marker.rank:
        stack.pop()
    item = Item(marker, [segment], parent=stack[-1] if stack else None)
    item.found.merge(read_clauses(segment.text))
    if item.parent is not None:
        item.parent.children.append(item)
    items.append(item)
    stack.append(item)


def _ends_the_tasks(folded: str) -> bool:
    """A closing line (主题词, 抄送, 特此通知, …), the document's date or its issuer."""
    return bool(_CLOSING.search(folded) or parse_date_line(folded) or ISSUER_LINE.match(folded))


def _attach_units(stack: list[Item], items: list[Item], segment: Segment, result: ImportResult) -> bool:
    """Whether the segment names units of the items above it (a group statement, a unit line, an
    item with unreadable numbering that names its own), each attached where it belongs; False
    for a line that continues the innermost open item."""
    text = segment.text
    top = stack[-1]
    statement = group_statement(text)
    if statement is not None:
        count, names = statement
        siblings = [
            i for i in items if i.marker and top.marker and i.marker.kind == top.marker.kind and i.parent is top.parent
        ][-count:]
        for sibling in siblings:
            for name in names:
                sibling.found.add("responsible", name)
            sibling.found.rules.append(f"group statement: the last {count} items")
        top.unit_lines.append(segment)
        result.explain.setdefault(segment.number, []).append(
            f"units of the {len(siblings)} items above (group statement rule)"
        )
        return True
    found = _is_unit_line(text)
    if found is not None:
        owner = top
        siblings = top.parent.children if top.parent else []
        if top.parent is not None and len(siblings) >= 2 and not any(s.has_units for s in siblings):
            owner = top.parent  # after sub-items that name none: the block's units
        owner.found.merge(found)
        owner.unit_lines.append(segment)
        return True
    own = read_clauses(text)
    if (
        own.any
        and top.has_units
        and top.marker is not None
        and own.spans
        and own.spans[-1][1] >= len(View.of(text).folded.rstrip("。 ")) - 1
    ):
        # an item whose numbering is unreadable (mojibake): it names its own units
        item = Item(Marker(top.marker.kind, 0, 0), [segment], parent=top.parent)
        item.found.merge(own)
        if item.parent is not None:
            item.parent.children.append(item)
        items.append(item)
        stack[-1] = item
        result.explain.setdefault(segment.number, []).append("a task of its own: unreadable numbering, own units")
        return True
    return False


def _label_alone(folded: str) -> bool:
    """A label alone on its line (责任单位, 协同责任单位:): its names are on the next line."""
    match = label_pattern().fullmatch(folded.strip())
    return match is not None and label_role(match.group(1)) not in (None, "other")


def own_text(item: Item) -> str:
    return "\n".join(s.text for s in item.segments)


def task_rank(items: list[Item]) -> int | None:
    ranks = sorted({i.rank for i in items if i.marker and i.marker.kind != "bullet"} or {i.rank for i in items})
    if not ranks:
        return None
    with_units = {r: sum(1 for i in items if i.rank == r and i.has_units) for r in ranks}
    counts = {r: sum(1 for i in items if i.rank == r) for r in ranks}
    best = max(with_units.values())
    if best:
        return min(r for r in ranks if with_units[r] >= 0.5 * best)
    return max(ranks, key=lambda r: (counts[r], r))
