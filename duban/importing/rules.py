"""The shared rules every layout combines: headings, items, unit clauses, titles, indicators.

Full-width and ASCII punctuation are both accepted everywhere (牵头单位： and 牵头单位:).
"""

from __future__ import annotations

import re
from typing import Any

from duban.importing.names import split_conjunctions

CN_DIGITS = "一二三四五六七八九十"

AREA_HEADING = re.compile(rf"^([{CN_DIGITS}]+)、\s*(.+?)[。.]?$")
SECTION_HEADING = re.compile(rf"^[(（]([{CN_DIGITS}]+)[)）]\s*(.+?)[。.]?$")
NUMBERED_ITEM = re.compile(r"^(\d{1,4})\s*[、.．]\s*(?!\d)(.+)$")
SUB_ITEM = re.compile(r"^[▲△●◆■]\s*(.+)$")

LEAD_WORDS = ("牵头单位", "牵头部门", "主责部门", "主责单位")
SUPPORT_WORDS = ("责任单位", "责任部门", "配合部门", "配合单位", "协办单位")
ROLE_OF = {**{w: "lead" for w in LEAD_WORDS}, **{w: "support" for w in SUPPORT_WORDS}}
_ROLE_PATTERN = "|".join(sorted(ROLE_OF, key=len, reverse=True))
ROLE_LABEL = re.compile(rf"({_ROLE_PATTERN})\s*[:：]\s*")
UNIT_LINE = re.compile(rf"^({_ROLE_PATTERN})\s*[:：]\s*(.*)$")

OPENING = "(（<《〈【〔["
CLOSING = ")）>》〉】〕]"
UNIT_SEPARATORS = "、,，;；"


def strip_spaces_in_name(name: str) -> str:
    return re.sub(r"\s+", "", name)


def trailing_unit_clause(text: str) -> tuple[str, str] | None:
    """Split `text。(牵头单位:X;责任单位:Y)` into the text and the clause inside the parentheses.

    Only a final parenthesised group that starts with a role word counts; brackets inside
    it (相关县(市、区)政府, 新农村建设办公室<农委>) are matched by depth.
    """
    stripped = text.rstrip()
    if not stripped or stripped[-1] not in ")）":
        return None
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        char = stripped[index]
        if char in CLOSING:
            depth += 1
        elif char in OPENING:
            depth -= 1
            if depth == 0:
                inner = stripped[index + 1 : -1].strip()
                if ROLE_LABEL.match(inner):
                    return stripped[:index].rstrip(), inner
                return None
    return None


def split_clause(clause: str) -> list[tuple[str, str, str]]:
    """`牵头单位:X、Y;责任单位:Z` -> [(role, role word, 'X、Y'), (role, role word, 'Z')]."""
    labels = list(ROLE_LABEL.finditer(clause))
    parts = []
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(clause)
        names = clause[label.end() : end].strip().rstrip(";；,，。")
        word = label.group(1)
        parts.append((ROLE_OF[word], word, names))
    return parts


GROUP_START = ("各", "相关", "有关", "其他")
GENERIC_GROUPS = {"镇", "街镇", "街道", "各街镇", "委办局"}


def _is_groupish(name: str) -> bool:
    return name.startswith(GROUP_START) or name in GENERIC_GROUPS


def split_units(text: str, known: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Unit names in a list written with 、 , ; or 及, brackets respected.

    `市工业和信息化局,相关县(市、区)政府` -> ['市工业和信息化局', '相关县(市、区)政府'].
    及 joins two units (罗店镇及相关委办局) but also sits inside names (老镇及旧房改造指挥部):
    it splits only where one side is a unit named on its own elsewhere (`known`) or a group.
    """
    names: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        if depth == 0 and char in UNIT_SEPARATORS:
            names.append("".join(current))
            current = []
            continue
        current.append(char)
    names.append("".join(current))
    out: list[str] = []
    for name in (strip_spaces_in_name(n) for n in names if n.strip()):
        pieces = [p for p in name.split("及") if p]
        if len(pieces) > 1 and any(p in known or _is_groupish(p) for p in pieces):
            whole = pieces
        else:
            whole = [name]
        for piece in whole:  # 和/与 only where both sides are units (相关委办局和街镇)
            out += split_conjunctions(piece, known)
    return out


def unit_kind(name: str) -> str:
    if _is_groupish(name) or name.endswith("等") or name.endswith("成员单位"):
        return "group"
    if name.endswith(("公司", "分公司", "集团")):
        return "company"
    if name.endswith("街道") or name.endswith("街道办事处"):
        return "street"
    if name.endswith("镇") or name.endswith("镇政府"):
        return "town"
    if name.endswith("政府"):
        return "government"
    return "department"


_SENTENCE_END = re.compile(r"[。;；!！?？]")
_CLAUSE_END = re.compile(r"[,，:：]")
TITLE_LIMIT = 40


def title_of(text: str) -> str:
    """The first sentence, or its first clause when the sentence is long; never cut mid-word."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    if len(first) > TITLE_LIMIT:
        clause = _CLAUSE_END.split(first, maxsplit=1)[0].strip()
        if clause:
            first = clause
    return first or text.strip()


_NUMBER = r"(\d+(?:\.\d+)?)"
_CHANGE = re.compile(rf"(增长|增加|提高|下降|降低|减少){_NUMBER}\s*(%|％|个百分点)")
_LEVEL_ONLY = re.compile(
    rf"^(?:全年)?(?:完成|达到|实现)?{_NUMBER}\s*(亿元|万元|元|万人|人|家|个|项|件|台|座|套|所|处)$"
)
_CEILING = re.compile(rf"控制在{_NUMBER}\s*(亿元|万元|元|万人|人|家|个|项|%|％)以内")


def number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def indicators_in(text: str, name: str | None = None) -> list[dict[str, Any]]:
    """Quantified targets stated in `text`: changes (增长8%), a bare amount (11000人), ceilings."""
    found: list[dict[str, Any]] = []

    def add(value: str, unit: str, kind: str, phrase: str) -> None:
        entry: dict[str, Any] = {}
        if name:
            entry["name"] = name
        entry.update(value=number(value), unit=unit.replace("％", "%"), kind=kind, text=phrase)
        found.append(entry)

    level = _LEVEL_ONLY.match(text.strip())
    if level:
        add(level.group(1), level.group(2), "level", text.strip())
    for change in _CHANGE.finditer(text):
        kind = "growth" if change.group(1) in ("增长", "增加", "提高") else "decrease"
        add(change.group(2), change.group(3), kind, change.group(0))
    for ceiling in _CEILING.finditer(text):
        add(ceiling.group(1), ceiling.group(2), "ceiling", ceiling.group(0))
    return found


_AMOUNT_UNITS = "亿元|万元|元|万人|人|家|个|项|件|台|座|套|所|处|张|户|平方米|万平方米|公里"
_TARGET_NAME = re.compile(r"^(.+?)(?=(?:增长|增加|提高|下降|降低|减少)\d|控制在|达到|\d)")
_AMOUNT = re.compile(rf"(?<!增长)(?<!下降)(?<!控制在)(\d+(?:\.\d+)?)\s*({_AMOUNT_UNITS})(?!以内)")


def target_indicators(phrase: str) -> list[dict[str, Any]]:
    """Indicators of one stated target (生产总值增长8%; 区级财政收入118亿元,增长8%), named."""
    named = _TARGET_NAME.match(phrase)
    name = named.group(1).rstrip(",，") if named else None
    found: list[dict[str, Any]] = []
    for amount in _AMOUNT.finditer(phrase):
        found.append(
            {
                **({"name": name} if name else {}),
                "value": number(amount.group(1)),
                "unit": amount.group(2),
                "kind": "level",
                "text": amount.group(0),
            }
        )
    return found + [i for i in indicators_in(phrase, name) if i["kind"] != "level"]
