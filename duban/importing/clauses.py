"""Where a task names its units, persons and deadline, in all the ways the genre writes it:

- labels with a colon, anywhere (`(牵头单位:X;责任单位:A、B)`, `主办单位:X。`, `牵头领导:人名 责任单位:X`),
  or a label alone at the end of a line whose value is the next line;
- prose in brackets of any shape: `(A、B牵头,C参与,D按职责分工负责)`, `〔X牵头,…〕`;
- an unlabelled list of units in the task's final brackets: `增长11%(市发改委,各县市区政府)`.
Persons go to leaders, a deadline among the names (`6月底完成`) to due.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.importing.dates import deadline
from duban.importing.names import CLOSING, OPENING, looks_like_unit, split_names
from duban.importing.script import View, fold
from duban.importing.vocabulary import PROSE_ROLES, UNIT_ENDINGS, label_pattern, label_role

CONVENTION_FIRST_LEADS = re.compile(r"(?:列|排)(?:在)?(?:第一位|首位|第一)[^。;\n]{0,8}?(?:为|是)(?:工作)?牵头")
GROUP_STATEMENT = re.compile(
    r"^(?:以上|上述)?(\d+|[一二三四五六七八九十]+)项(?:目标|任务|工作|项目|指标)?(?:的)?责任单位"
    r"(?:均|都)?(?:为|是)(.+?)[。.;]?$"
)
ONE_STATEMENT = re.compile(r"^该(?:项)?(?:目标|任务|项目|工作|指标)(?:的)?责任单位(?:均)?(?:为|是)(.+?)[。.;]?$")
MAX_NAME = 30
# What may stand before an opening unit list: nothing, or the item's number (1. (一) 一、).
_MARKER_ONLY = re.compile(r"^\s*(?:\d{1,3}\s*[.、]|\(?[一二三四五六七八九十]{1,3}[)、]|\(\d{1,3}\))?\s*$")


@dataclass
class Found:
    units: list[tuple[str, str]] = field(default_factory=list)  # (role, name as written)
    leaders: list[str] = field(default_factory=list)
    due: list[str] = field(default_factory=list)  # deadline phrases as written
    rules: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # where clauses sit in the kept text
    title_end: int | None = None  # where the first label starts

    def add(self, role: str, name: str) -> None:
        if (role, name) not in self.units:
            self.units.append((role, name))

    def merge(self, other: Found) -> None:
        for role, name in other.units:
            self.add(role, name)
        self.leaders += [n for n in other.leaders if n not in self.leaders]
        self.due += other.due
        self.rules += other.rules
        self.spans += [span for span in other.spans if span not in self.spans]

    @property
    def any(self) -> bool:
        return bool(self.units)


def _value_end(folded: str, start: int, stops: list[int]) -> int:
    """Where a label's value ends: ; 。 a line end or a blank after the names, the bracket that
    encloses the label, or the next label."""
    next_label = min([s for s in stops if s > start] or [len(folded)])
    depth = 0
    index = start
    while index < next_label:
        char = folded[index]
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            if depth == 0:
                return index
            depth -= 1
        elif depth == 0 and (char in ";。\n" or (char.isspace() and folded[start:index].strip())):
            return index
        index += 1
    return next_label


def _names_into(found: Found, role: str, text: str, loose: bool) -> None:
    for piece in _pieces_with_marks(text):
        name, marked_lead = piece
        if marked_lead and role in ("responsible", "support"):
            found.add("lead", name)  # 市发改委(牵头)
            continue
        if deadline(name, 2000):
            found.due.append(name)
        elif role == "leaders":
            found.leaders.append(name)
        elif role in ("lead", "responsible", "support") and (
            looks_like_unit(name) or (loose and len(name) <= MAX_NAME and not re.search(r"[\d。:]", name))
        ):
            found.add(role, name)


_LEAD_MARK = re.compile(r"[(（](?:牵头|牵头单位|牵头部门)[)）]$")


def _pieces_with_marks(text: str) -> list[tuple[str, bool]]:
    """Names of a labelled list, each with whether it is marked `(牵头)`."""
    out: list[tuple[str, bool]] = []
    for raw in split_names(re.sub(r"[(（](牵头|牵头单位|牵头部门)[)）]", r"〈\1〉", text)):
        marked = "〈" in raw
        name = re.sub(r"〈[^〉]*〉", "", raw).strip()
        if name:
            out.append((name, marked))
    return out


def prose_sentences(view: View) -> Found:
    """Sentences that only assign units, outside brackets: `由市发改委牵头,市财政局配合。`"""
    found = Found()
    folded = view.folded
    depth, start = 0, 0
    bounds: list[tuple[int, int]] = []
    for index, char in enumerate(folded):
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0 and char in "。;\n":
            bounds.append((start, index))
            start = index + 1
    bounds.append((start, len(folded)))
    for first, last in bounds:
        sentence = Found()
        clauses = [
            (a + first, b + first) for a, b in _clauses(folded[first:last]) if folded[a + first : b + first].strip()
        ]
        pending: list[str] = []
        for a, b in clauses:
            clause = folded[a:b]
            offset = a + len(clause) - len(clause.lstrip())
            clause = clause.strip()
            if pending or a == clauses[0][0]:
                offset, clause = _after_label(folded, offset, clause)
            match = next(
                ((role, m) for role, verb in PROSE_ROLES if (m := verb.search(clause)) and m.start() > 0), None
            )
            end = offset + (match[1].start() if match else len(clause))
            names = split_names(re.sub(r"^(?:由|请|要由)", "", view.cut(offset, end)))
            if not names or not all(looks_like_unit(n) and fold(n).endswith(UNIT_ENDINGS) for n in names):
                break
            if match is None:  # A、B等相关部门, C按职责分工负责: the verb governs the groups before it
                pending += names
                continue
            role, verb_match = match
            for name in pending + names:
                sentence.add(role, name)
            pending = []
            sentence.rules.append(f"prose sentence …{verb_match.group(0)}")
        else:
            if sentence.any and not pending:
                sentence.spans.append((first, last))
                found.merge(sentence)
    return found


def _after_label(folded: str, offset: int, clause: str) -> tuple[int, str]:
    """A clause without the short word and colon that open it (部门分工:X牵头 -> X牵头)."""
    match = re.match(r"^[\u4e00-\u9fff]{2,8}:\s*", clause)
    if match and match.end() < len(clause):
        return offset + match.end(), clause[match.end() :]
    return offset, clause


def labelled(view: View) -> Found:
    found = Found()
    folded = view.folded
    matches = [m for m in label_pattern().finditer(folded) if label_role(m.group(1)) is not None]
    # A label word without a colon counts only as a line of its own (责任单位 / next line: units).
    matches = [
        m
        for m in matches
        if ":" in m.group(0)
        or (
            (m.start() == 0 or folded[m.start() - 1] == "\n")
            and (folded[m.end(1) :].startswith("\n") or m.end(1) == len(folded))
        )
    ]
    stops = [m.start() for m in matches]
    for match in matches:
        role = label_role(match.group(1)) or "other"
        start = match.end()
        while start < len(folded) and folded[start] in " \n":
            start += 1
        end = _value_end(folded, start, stops)
        if found.title_end is None and role != "other":
            found.title_end = match.start()
        found.spans.append((match.start(), end))
        if role == "due":
            found.due.append(view.cut(start, end).strip())
            continue
        if role == "other":
            continue
        _names_into(found, role, view.cut(start, end), loose=True)
        found.rules.append(f"label {match.group(1)}")
    return found


def bracket_groups(folded: str) -> list[tuple[int, int]]:
    """Top-level bracket groups: (position of the opening bracket, of the closing one)."""
    groups: list[tuple[int, int]] = []
    depth, start = 0, -1
    for index, char in enumerate(folded):
        if char in OPENING:
            if depth == 0:
                start = index
            depth += 1
        elif char in CLOSING and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, index))
    return groups


def _clauses(text: str) -> list[tuple[int, int]]:
    out, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0 and char in ",;。":
            out.append((start, index))
            start = index + 1
    out.append((start, len(text)))
    return out


def bracketed(view: View) -> Found:
    """Prose and unlabelled unit lists in brackets."""
    found = Found()
    folded = view.folded
    groups = bracket_groups(folded)
    for number, (open_at, close_at) in enumerate(groups):
        inner = folded[open_at + 1 : close_at]
        if CONVENTION_FIRST_LEADS.search(inner) or "下同" in inner:
            continue  # a note on the convention (列第一位者为牵头单位,下同) names no unit
        if ":" in inner and any(label_role(m.group(1)) for m in label_pattern().finditer(inner)):
            continue  # labelled: read by labelled()
        prose = Found()
        pending: list[str] = []
        for start, end in _clauses(inner):
            offset = open_at + 1 + start + (len(inner[start:end]) - len(inner[start:end].lstrip()))
            offset, clause = _after_label(folded, offset, inner[start:end].strip())
            verbs = [(role, m) for role, verb in PROSE_ROLES if (m := verb.search(clause)) and m.start() > 0]
            if not verbs:  # a group with no verb of its own: the next verb governs it
                names = split_names(view.cut(offset, offset + len(clause)))
                pending = pending + names if names and all(looks_like_unit(n) for n in names) else []
                continue
            role, match = verbs[0]
            names = split_names(view.cut(offset, offset + match.start()))
            if names and all(looks_like_unit(n) for n in names):
                for name in pending + names:
                    prose.add(role, name)
                prose.rules.append(f"prose …{match.group(0)}")
            pending = []
        if prose.any:
            prose.spans.append((open_at, close_at + 1))
            found.merge(prose)
            continue
        trailing = not folded[close_at + 1 :].strip(" 。.;,\n") and number == len(groups) - 1
        leading = number == 0 and bool(_MARKER_ONLY.match(folded[:open_at])) and bool(folded[close_at + 1 :].strip())
        if trailing or leading:
            names = split_names(view.cut(open_at + 1, close_at))
            strong = len(names) >= 2 or (names and looks_like_unit(names[0], strong=True) and len(names[0]) >= 3)
            if names and strong and all(looks_like_unit(n) for n in names):
                for name in names:
                    found.add("unlabelled", name)
                found.rules.append("unlabelled list in the " + ("final" if trailing else "opening") + " brackets")
                found.spans.append((open_at, close_at + 1))
    return found


def read_clauses(text: str) -> Found:
    """Everything `text` says about its units, persons and deadline."""
    view = View.of(text)
    found = labelled(view)
    found.merge(bracketed(view))
    if not found.any:
        found.merge(prose_sentences(view))
    return found


def group_statement(text: str) -> tuple[int, list[str]] | None:
    """`4项目标的责任单位均为市发展改革委。` -> (4, names); `该目标责任单位为市经委。` -> (1, names)."""
    view = View.of(text.strip())
    if match := GROUP_STATEMENT.match(view.folded):
        count = match.group(1)
        number = int(count) if count.isdigit() else "一二三四五六七八九十".index(count) + 1 if len(count) == 1 else 10
        return number, split_names(view.cut(match.start(2), match.end(2)))
    if match := ONE_STATEMENT.match(view.folded):
        return 1, split_names(view.cut(match.start(1), match.end(1)))
    return None
