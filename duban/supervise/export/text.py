"""Text as the office's documents print it: cleaned of control characters, Chinese dates and
status words, a report's note split into 进展/存在问题/下步计划, and Markdown escaped."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from duban import vocabulary
from duban.states import LightColour
from duban.supervise.rows import plain_cell

LIGHT_FILLS = {
    LightColour.RED: "FFC7CE",
    LightColour.YELLOW: "FFEB9C",
    LightColour.GREEN: "C6EFCE",
    LightColour.GREY: "D9D9D9",
}
LIGHT_WORDS = {key: vocabulary.chinese("light", key) for key in vocabulary.keys("light")}
QUARTERS = tuple((key, vocabulary.chinese("quarter", key)) for key in vocabulary.keys("quarter"))
# Control characters (Word's Shift+Enter is \x0b) and bidi overrides: a line break or nothing.
_BREAKS = re.compile(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
_JUSTIFICATION = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")
_NOTE_PARTS = re.compile(r"(存在(?:的)?问题|困难和问题|下一?步(?:工作)?(?:计划|打算|安排))\s*[:：]")
# What Markdown would read as markup: emphasis, code, links and images (their brackets), HTML,
# tables, strike-through. A parenthesis means something only right after a link's bracket
# (](…)), so it is escaped only there; elsewhere it stays as written (各街(镇), not 各街\(镇\),
# when the file is read as text), as do braces.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&]|(?<=\])\()")


def clean(text: Any) -> str:
    """Outside text made safe for every format: control characters become a line break
    (\\x0b, \\x0c) or are dropped, bidi overrides are dropped; CR LF becomes LF."""
    value = plain_cell(text).replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", _BREAKS.sub("\n", value))


def status_word(status: str) -> str:
    # The documents are Chinese whatever the interface's language.
    return vocabulary.chinese("status", status)


def without_justification(text: str) -> str:
    """科  委 -> 科委, 社会 保障 -> 社会保障: spaces a document put between Chinese characters."""
    return _JUSTIFICATION.sub("", text)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def note_parts(note: str | None) -> dict[str, str]:
    """A report's note split into 进展, 存在问题 and 下步计划 where it words them so."""
    parts = {"进展": "", "存在问题": "", "下步计划": ""}
    if not note:
        return parts
    pieces = _NOTE_PARTS.split(note)
    parts["进展"] = pieces[0].strip(" ；;。\n")
    for marker, text in zip(pieces[1::2], pieces[2::2]):
        key = "下步计划" if marker.startswith("下") else "存在问题"
        parts[key] = (parts[key] + " " + text.strip(" ；;\n")).strip()
    return parts


def progress_words(note: str | None) -> str:
    """What a report says was done, for a 本月进展 cell: the note's 进展 part, or, for a note
    that words only its 存在问题 and 下步计划, the note as written (not an empty cell that
    reads as if nothing was reported)."""
    said = note_parts(note)["进展"]
    return said or (note or "").strip()


def md_escape(text: Any, cell: bool = False) -> str:
    """Markdown that shows the text as written: no HTML, links, images or emphasis. A line
    break is Markdown's own (two spaces, a newline), or in a table's `cell`, which holds one
    line, a space: never <br>, which reads as markup in the file."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", clean(text))
    return re.sub(r"\s*\n\s*", " ", escaped).strip() if cell else escaped.replace("\n", "  \n")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(md_escape(h, cell=True) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md_escape(c, cell=True) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
