"""Unit names in a written list: where a list splits, what looks like a unit, what names a person.

A list splits at 、 , ; and blanks outside brackets (各县(市、区)人民政府 stays whole). 及 splits
where one side is a unit named elsewhere or a group (罗店镇及相关委办局, not 老镇及旧房改造指挥部);
和 and 与 split only where both sides are units (相关委办局和街镇, not 区文化和广电旅游体育局).
Everything is matched on the folded text (script.py) and cut from the text as written.
"""

from __future__ import annotations

import re

from duban.importing.script import fold
from duban.importing.vocabulary import GROUP_START, STRONG_ENDINGS, UNIT_ENDINGS

OPENING = "(（<《〈【〔["
CLOSING = ")）>》〉】〕]"
SEPARATORS = "、,，;；"
GENERIC_GROUPS = {"镇", "街镇", "街道", "各街镇", "委办局", "各镇", "各街道", "各乡镇", "乡镇"}
# 各县、区人民政府: a level word alone, joined to the name after it.
_LEVEL_ONLY = re.compile(r"^(?:各|相关)?[省市县区镇乡街]{1,2}$")
_NOTE_IN_BRACKETS = re.compile(r"[(（]([^()（）]*)[)）]$")
_NOTE_WORDS = ("下同", "列第一位", "牵头", "负责", "为", "含", "以下", "汇总")
_SENTENCE = re.compile(r"[。!?！？:：%]")
_ROLE_TAIL = re.compile(
    r"(?:等(?:相关|有关|其他)?(?:部门|单位)|(?:分别|共同)(?:牵头|负责|配合|参与)"
    r"|(?<=[局委办厅府会心])(?:牵头|配合|参与))$"
)


def is_group(name: str) -> bool:
    folded = fold(name)
    return (folded.startswith(GROUP_START) and len(folded) >= 3) or folded in GENERIC_GROUPS


def looks_like_unit(name: str, strong: bool = False) -> bool:
    """A unit's name: short, no sentence punctuation, ending as units end (局 委 办 街道 …)."""
    folded = fold(name).strip()
    core = re.sub(r"[(（][^()（）]*[)）]$", "", folded).rstrip("等")
    if not 2 <= len(core) <= 40 or _SENTENCE.search(core) or core[0].isdigit():
        return False
    if re.search(r"\d", core) and not core.endswith(STRONG_ENDINGS):
        return False
    if is_group(core):
        return True
    return core.endswith(STRONG_ENDINGS if strong else UNIT_ENDINGS)


def looks_like_person(name: str) -> bool:
    """A person's name (梁志强) or post (各区区长): never a unit."""
    folded = fold(name).strip()
    if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", folded) and not looks_like_unit(folded):
        return True
    return bool(re.search(r"(?:长|主任|书记|市长|区长|县长|局长|主席)$", folded)) and len(folded) <= 12


def _pieces(text: str) -> list[str]:
    """Split at separators outside brackets; a lone level word joins the piece after it."""
    raw: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        if depth == 0 and (char in SEPARATORS or char.isspace()):
            raw.append("".join(current))
            raw.append(char)
            current = []
            continue
        current.append(char)
    raw.append("".join(current))
    names: list[str] = []
    glue = False
    for index in range(0, len(raw), 2):
        piece = raw[index]
        if not piece.strip():
            continue
        if glue and names:
            names[-1] += raw[index - 1] + piece
        else:
            names.append(piece)
        glue = (
            bool(_LEVEL_ONLY.match(fold(piece).strip()))
            and fold(piece).strip() not in GENERIC_GROUPS
            and index + 2 < len(raw)
            and fold(raw[index + 2]).strip()[:1] in "省市县区镇乡"
            and not raw[index + 1].isspace()
        )
    return [n.strip() for n in names if n.strip()]


def without_note(name: str) -> tuple[str, str | None]:
    """`市税务局(列第一位者为工作牵头单位,下同)` -> ('市税务局', the note); names keep short
    brackets that are part of them (各县(市、区)人民政府, 规划信息处(爱卫办))."""
    match = _NOTE_IN_BRACKETS.search(name)
    if match and (len(match.group(1)) > 10 or any(w in fold(match.group(1)) for w in _NOTE_WORDS)):
        return name[: match.start()].rstrip(), match.group(1)
    return name, None


def split_conjunctions(name: str, known: set[str] | frozenset[str] = frozenset(), words: str = "和与") -> list[str]:
    """Split a name at 和/与 (and, when asked, 及) only where both sides are units."""
    folded = fold(name)
    if not any(w in folded for w in words):
        return [name]
    for word in words:
        for match in re.finditer(word, folded):
            left, right = name[: match.start()], name[match.end() :]
            if not left or not right:
                continue
            if word == "及":
                ok = any(p in known or is_group(p) for p in (left, right))
            else:
                ok = all(p in known or is_group(p) or looks_like_unit(p, strong=True) for p in (left, right))
            if ok:
                return split_conjunctions(left, known, words) + split_conjunctions(right, known, words)
    return [name]


def split_names(text: str, known: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The names in a unit list, as written, each once, in order; 等 at the end dropped."""
    out: list[str] = []
    for piece in _pieces(text):
        piece, _note = without_note(piece)
        piece = re.sub(r"^(?:由|会同|请)", "", piece)
        piece = re.sub(r"[。.]+$", "", piece.strip())  # a list that ends its sentence
        # 市农业农村局分别牵头, 市发改委等相关部门: the verb and the group word are not the name
        piece = _ROLE_TAIL.sub("", piece) or piece
        piece = re.sub(r"等$", "", piece.strip())
        for name in split_conjunctions(piece, known, "和与及"):
            name = name.strip()
            if name and name not in out:
                out.append(name)
    return out
