"""What a report form looks like, shared by the writer and the reader: its sheets, its columns
(the fixed ones the office writes and the input ones the unit fills), the words of its headers
and how a cell's text is compared."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from duban.states import REPORTED

FORMAT = "duban-form/1"
SHEET = "报送表"  # the sheet the unit fills
BLOCK_SHEET = "duban"  # the hidden, signed block
DATE_LABEL = "填报日期"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    input: bool = False


COLUMNS = (
    Column("id", "序号", 6),
    Column("title", "任务名称", 18),
    Column("target", "目标要求", 28),
    Column("role", "本单位职责", 6),
    Column("milestone", "本期节点目标", 22),
    Column("last", "本单位上次报送", 18),
    Column("percent", "完成进度(%)", 8, input=True),
    Column("value", "完成值", 9, input=True),
    Column("status", "状态", 8, input=True),
    Column("progress", "工作进展", 26, input=True),
    Column("problems", "存在问题", 16, input=True),
    Column("next", "下步计划", 16, input=True),
)
FIXED = tuple(c.key for c in COLUMNS if not c.input)
INPUTS = tuple(c.key for c in COLUMNS if c.input)
HEADERS = {c.key: c.header for c in COLUMNS}
# The statuses a unit picks from (a report's own status, docs/reading.md rule 4).
STATUS_CHOICES = REPORTED
ROLE_WORDS = {"lead": "牵头", "support": "配合"}


def date_window(opens: dt.date, day: dt.date) -> tuple[dt.date, dt.date]:
    """The report dates a form of the period opening `opens` and due `day` takes: from a month
    before the window opens to three months after the deadline (the date cell's validation)."""
    return opens - dt.timedelta(days=31), day + dt.timedelta(days=92)


_SPACE_RUNS = re.compile(r"[ \t\u3000]+")


def cell_text(value: Any) -> str:
    """A cell's value as the form compares it: text as written (line ends and the spaces at its
    ends aside: a spreadsheet program may change them), a whole number without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACE_RUNS.sub(" ", line).strip() for line in text.split("\n")).strip()


def short_digest(text: str) -> str:
    """What the block keeps of a fixed cell: enough to tell it was changed, not its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def header_key(text: str) -> str | None:
    """The column a header cell names (its words compared without spaces or brackets' width)."""
    plain = unicodedata.normalize("NFKC", cell_text(text)).replace(" ", "").replace("\n", "")
    for column in COLUMNS:
        if plain == unicodedata.normalize("NFKC", column.header).replace(" ", ""):
            return column.key
    return None
