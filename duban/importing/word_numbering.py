"""The labels of Word's automatic numbering (一、 (一) 1. ①), which a paragraph's text does
not contain: Word draws them from numbering.xml. An office that numbers its tasks with
Word's list buttons gets the same reading as one that typed the numbers.

Word counts a list per abstract numbering definition: paragraphs of two w:num instances
that share one continue the count unless the second restarts it (w:startOverride). A level
restarts when a shallower level of the same list advances.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "〇一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_count(number: int) -> str:
    """1 一, 10 十, 12 十二, 20 二十, 105 一百零五: how 一、 headings count."""
    if number <= 0:
        return str(number)
    if number < 10:
        return _CN_DIGITS[number]
    if number < 20:
        return "十" + (_CN_DIGITS[number - 10] if number > 10 else "")
    if number < 100:
        tens, ones = divmod(number, 10)
        return _CN_DIGITS[tens] + "十" + (_CN_DIGITS[ones] if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        tail = (
            ""
            if not rest
            else (
                "零" + chinese_count(rest)
                if rest < 10
                else ("一" + chinese_count(rest) if rest < 20 else chinese_count(rest))
            )
        )
        return _CN_DIGITS[hundreds] + "百" + tail
    return str(number)


def _roman(number: int) -> str:
    values = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = ""
    for value, letters in values:
        while number >= value:
            out += letters
            number -= value
    return out


def _letters(number: int) -> str:
    # Word's letter lists go A..Z, then AA..ZZ
    return chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1) if number > 0 else str(number)


def format_number(number: int, kind: str) -> str:
    if kind in (
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "japaneseCounting",
        "ideographDigital",
    ):
        return chinese_count(number)
    if kind in ("ideographTraditional",) and 0 < number <= len(_TIANGAN):
        return _TIANGAN[number - 1]
    if kind in ("ideographZodiac",) and 0 < number <= len(_DIZHI):
        return _DIZHI[number - 1]
    if kind.startswith("decimalEnclosedCircle") and 0 < number <= len(_CIRCLED):
        return _CIRCLED[number - 1]
    if kind == "decimalFullWidth":
        return str(number).translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    if kind == "decimalZero":
        return f"{number:02d}"
    if kind == "upperLetter":
        return _letters(number)
    if kind == "lowerLetter":
        return _letters(number).lower()
    if kind == "upperRoman":
        return _roman(number)
    if kind == "lowerRoman":
        return _roman(number).lower()
    if kind == "none":
        return ""
    return str(number)  # decimal, and any format duban does not know: the count itself


@dataclass
class _Level:
    start: int = 1
    kind: str = "decimal"
    text: str = "%1."


@dataclass
class _List:
    levels: dict[int, _Level] = field(default_factory=dict)
    counts: dict[int, int] = field(default_factory=dict)


def _val(element: Any, tag: str) -> str | None:
    found = element.find(W + tag) if element is not None else None
    return found.get(W + "val") if found is not None else None


class Numbering:
    """Reads numbering.xml once; label(paragraph element) gives each numbered paragraph's label
    in document order (call it for every paragraph, in order: it counts)."""

    def __init__(self, document: Any) -> None:
        self.lists: dict[str, _List] = {}
        self.num_abstract: dict[str, str] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.styles: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):  # no list in the document
            return
        for abstract in root.findall(W + "abstractNum"):
            levels = {}
            for lvl in abstract.findall(W + "lvl"):
                text = _val(lvl, "lvlText")
                levels[int(lvl.get(W + "ilvl", "0"))] = _Level(
                    start=int(_val(lvl, "start") or 1),
                    kind=_val(lvl, "numFmt") or "decimal",
                    text="%1." if text is None else text,
                )
            self.lists[abstract.get(W + "abstractNumId", "")] = _List(levels)
        for num in root.findall(W + "num"):
            num_id = num.get(W + "numId", "")
            self.num_abstract[num_id] = _val(num, "abstractNumId") or ""
            for override in num.findall(W + "lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    self.overrides.setdefault(num_id, {})[int(override.get(W + "ilvl", "0"))] = int(start)
        try:
            for style in document.styles.element.findall(W + "style"):
                props = style.find(W + "pPr")
                num_pr = props.find(W + "numPr") if props is not None else None
                if num_pr is not None and _val(num_pr, "numId"):
                    self.styles[style.get(W + "styleId", "")] = (
                        _val(num_pr, "numId") or "",
                        int(_val(num_pr, "ilvl") or 0),
                    )
        except (KeyError, AttributeError):
            pass

    def label(self, paragraph: Any) -> str:
        props = paragraph.find(W + "pPr")
        num_pr = props.find(W + "numPr") if props is not None else None
        if num_pr is not None:
            num_id, level = _val(num_pr, "numId"), int(_val(num_pr, "ilvl") or 0)
        else:
            num_id, level = self.styles.get(_val(props, "pStyle") or "", (None, 0))
        if not num_id or num_id == "0" or num_id not in self.num_abstract:
            return ""
        found = self.lists.get(self.num_abstract[num_id])
        if found is None or level not in found.levels:
            return ""
        restart = self.overrides.get(num_id, {})
        if level in restart:  # the first paragraph of a restarted instance starts again
            found.counts[level] = restart.pop(level) - 1
        spec = found.levels[level]
        found.counts[level] = found.counts.get(level, spec.start - 1) + 1
        for deeper in [d for d in found.counts if d > level]:
            del found.counts[deeper]
        if spec.kind == "bullet":
            return ""  # a bullet is no number: the text reads as it would without it
        label = spec.text
        for depth in range(level, -1, -1):
            shown = found.levels.get(depth, _Level())
            count = found.counts.get(depth, shown.start)
            # a bullet level above shows as its count; the paragraph's own level is no bullet here
            label = label.replace(
                f"%{depth + 1}", format_number(count, "decimal" if shown.kind == "bullet" else shown.kind)
            )
        return label
