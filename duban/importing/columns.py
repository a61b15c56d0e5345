"""What a table's header and columns are, read as a person reads them: by the header's words
and by what the column's cells hold.

- A row number is `1`, `(1)`, `1*` (a task the office leads), `1.` or `1、`; `number_style`
  tells the styles apart, so a `1 | 大力提振消费。` row among `(1)` rows reads as a sub-heading.
- A header row is a row of short label-like cells naming at least two kinds of column, one of
  them the task, its number or its units; a cell the vocabulary does not know (民生实事,
  建设地点) does not end it.
- A column whose header is unknown is decided by its cells (`decide_kinds`): the first one
  after the number is the task where no header names it; a column of persons' names is
  `leaders`, of deadlines `due`, of unit names `unlabelled` (only where no header names a unit
  column: a column of places is not a list of units).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from duban.importing.align import UNIT_KINDS, is_person_list, is_unit_list
from duban.importing.dates import deadline
from duban.importing.script import fold
from duban.importing.vocabulary import header_kind

_NUMBER = re.compile(r"^(?:[(（](\d{1,4})[)）]|(\d{1,4})\s*[*＊]|(\d{1,4})\s*[.、．]|(\d{1,4}))$")
HEADER_CELL_MAX = 16
# The commonest surnames: a column of two-character words is of persons only where most of
# them start with one (李明, 王芳), not of topics (教育, 卫生).
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童"
    "凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项"
    "连芮瞿"
)


def row_number(text: str) -> str | None:
    """The number a row opens with (`12`, `(12)`, `12*`, `12.`), as digits; None for anything else."""
    match = _NUMBER.match(fold(text).strip())
    if not match:
        return None
    return str(int(next(g for g in match.groups() if g is not None)))


def number_style(text: str) -> str:
    folded = fold(text).strip()
    if folded.startswith("("):
        return "paren"
    if folded.endswith(("*", "＊")):
        return "star"
    if folded.endswith((".", "、")):
        return "dot"
    return "bare"


def _label_like(cell: str) -> bool:
    word = re.sub(r"[(（][^()（）]*[)）]", "", re.sub(r"\s+", "", fold(cell)))  # 重点工作任务(杭州市2项配合工作)
    return 0 < len(word) <= HEADER_CELL_MAX and not re.search(r"[。;!?]", word) and row_number(word) is None


def is_header(cells: list[str]) -> bool:
    """A header row: short label-like cells, at least two of a known kind, one of them the
    number, the task or a unit or person column, and most of them known."""
    filled = [c for c in cells if c.strip()]
    if len(filled) < 2 or not all(_label_like(c) for c in filled):
        return False
    kinds = [header_kind(c) for c in filled]
    named = [k for k in kinds if k]
    if len(named) < 2 or not any(k in ("seq", "text", "lead", "responsible", "support", "leaders") for k in named):
        return False
    if "seq" in named and "text" in named and any(k in UNIT_KINDS for k in named):
        return True  # 序号, the task and its units: whatever columns an office's ledger adds
    return len(named) >= len(kinds) * 0.5


def _share(cells: list[str], test: Callable[[str], object]) -> float:
    filled = [c for c in cells if c.strip()]
    return sum(1 for c in filled if test(c)) / len(filled) if filled else 0.0


def _is_due(cell: str) -> bool:
    folded = fold(cell).strip()
    return bool(deadline(cell, 2000)) or (
        len(folded) <= 14 and bool(re.search(r"长期|年底|年内|\d{1,2}\s*月|季度", folded))
    )


def decide_kinds(headers: list[str], columns: list[list[str]]) -> list[str]:
    """Each column's kind from its header word, else from its cells (see the module's doc)."""
    kinds: list[str | None] = [header_kind(h) for h in headers]
    has_units = any(k in UNIT_KINDS for k in kinds)
    for index, kind in enumerate(kinds):
        if kind is not None:
            continue
        cells = columns[index] if index < len(columns) else []
        filled = [c for c in cells if c.strip()]
        if not filled:
            kinds[index] = "other"
        elif _share(filled, lambda c: row_number(c) is not None) >= 0.8 and index == 0:
            kinds[index] = "seq"
        elif _share(filled, is_person_list) >= 0.7 and _share(filled, lambda c: fold(c).strip()[:1] in SURNAMES) >= 0.7:
            kinds[index] = "leaders"
        elif _share(filled, _is_due) >= 0.7:
            kinds[index] = "due"
        elif "text" not in kinds and all(k in ("seq", "other", None) for k in kinds[:index]):
            kinds[index] = "text"  # the column after the number: what the row is about
        elif not has_units and _share(filled, is_unit_list) >= 0.7:
            kinds[index] = "unlabelled"
            has_units = True
        else:
            kinds[index] = "other"
    if "text" not in kinds:  # no header names the task: the column of the longest cells
        lengths = [sum(len(c) for c in (columns[i] if i < len(columns) else [])) for i in range(len(kinds))]
        candidates = [i for i, k in enumerate(kinds) if k == "other" and lengths[i]]
        if candidates:
            kinds[max(candidates, key=lambda i: lengths[i])] = "text"
    return [k or "other" for k in kinds]


def merge_header_rows(upper: list[str], lower: list[str]) -> list[str]:
    """A header written over two rows (`责任分工` over `牵头单位 / 责任单位`): the lower row's
    word where it names a column, else the upper's."""
    if len(lower) < len(upper):
        return upper
    merged = []
    for index, word in enumerate(lower):
        above = upper[index] if index < len(upper) else ""
        if header_kind(word) or not above.strip():
            merged.append(word)
        elif not word.strip() or header_kind(above):
            merged.append(above)
        else:
            merged.append(above + word)
    return merged
