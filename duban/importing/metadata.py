"""Plan facts a notice states in its own words: number, dates, issuer, title, reporting rule."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from duban.importing.source import Line

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔(\d{4})〕\d+号")
INDEX_NUMBER = re.compile(r"索引号\s*[:：|]?\s*\|?\s*([0-9A-Za-z][0-9A-Za-z/\-]+)")
ISSUER = re.compile(r"发文机构\s*[:：]\s*(.+)$")
PUBLISHED = re.compile(r"(?:发布日期|成文日期)\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})")
DATE_LINE = re.compile(r"^[(（]?(\d{4})年(\d{1,2})月(\d{1,2})日[)）]?$")
CN_DATE_LINE = re.compile(
    r"^[(（]?([一二三四五六七八九〇零OＯ○]{4})年([一二三四五六七八九十]{1,3})月"
    r"([一二三四五六七八九十]{1,3})日[)）]?$"
)
NOTICE_TITLE = re.compile(r"^(.{2,60}关于.+的通知|.{0,20}政府工作报告)$")
PLAN_TITLE = re.compile(
    r"^(?:附件\s*\d*\s*[:：]?\s*(?:\d+[.、．])?\s*)?(\d{4}年.{2,40}(?:分解|目标|任务|分解表|报告))$"
)
REPORTING = re.compile(r"每月(\d{1,2})日前")
REPORT_TO = re.compile(r"报送(?:至|到|给)?([^,，。;；]+)")
TARGET_TYPE = re.compile(r"([ABC])类指([^;；,，)）。]+)")
ISSUER_LINE = re.compile(r"^[\u4e00-\u9fff]{2,30}(人民政府办公室|人民政府|政府办公室|办公室)$")

_CN = {
    "〇": 0,
    "零": 0,
    "O": 0,
    "Ｏ": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _cn_small(text: str) -> int:
    """一 .. 三十一 as an integer."""
    if "十" not in text:
        return _CN[text]
    tens, _, ones = text.partition("十")
    return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)


def parse_date_line(text: str) -> str | None:
    """`2019年2月15日`, `(二OO八年二月二十六日)` -> ISO date, or None."""
    match = DATE_LINE.match(text)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        match = CN_DATE_LINE.match(text)
        if match:
            year = int("".join(str(_CN[c]) for c in match[1]))
            return dt.date(year, _cn_small(match[2]), _cn_small(match[3])).isoformat()
    except (KeyError, ValueError):
        return None
    return None


@dataclass
class Metadata:
    fields: dict[str, Any] = field(default_factory=dict)
    # line number -> which plan field it fed
    used: dict[int, str] = field(default_factory=dict)


def read_metadata(lines: Iterable[Line]) -> Metadata:
    """Plan fields found in the lines (the notice around the tasks), and which lines fed them."""
    meta = Metadata()
    found = meta.fields
    dates: list[tuple[int, str]] = []
    previous: Line | None = None
    for line in lines:
        text = line.text
        if not text:
            continue
        if "document_number" not in found and (m := DOC_NUMBER.search(text)):
            found["document_number"] = m.group(0)
            found.setdefault("year", int(m.group(1)))
            meta.used[line.number] = "document_number"
        if "index_number" not in found and (m := INDEX_NUMBER.search(text)):
            found["index_number"] = m.group(1)
            meta.used[line.number] = "index_number"
        if "issuer" not in found and (m := ISSUER.search(text)):
            found["issuer"] = m.group(1).strip()
            meta.used[line.number] = "issuer"
        if "issued" not in found and (m := PUBLISHED.search(text)):
            try:
                found["issued"] = dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
                meta.used[line.number] = "issued"
            except ValueError:
                pass  # 2019-02-30 or 2019-13-01: no such day, so no publication date (N9)
        if (iso := parse_date_line(text)) is not None:
            dates.append((line.number, iso))
            if previous is not None and ISSUER_LINE.match(previous.text) and "signed_by" not in found:
                found["signed_by"] = previous.text
                meta.used.setdefault(previous.number, "issuer")
        if "title" not in found and (NOTICE_TITLE.match(text) or PLAN_TITLE.match(text)):
            m = PLAN_TITLE.match(text)
            found["title"] = m.group(1) if m else text
            meta.used.setdefault(line.number, "title")
        if "reporting" not in found and (m := REPORTING.search(text)):
            rule: dict[str, Any] = {"day_of_month": int(m.group(1))}
            to = REPORT_TO.search(text, m.end())
            if to:
                rule["to"] = to.group(1).strip()
            sentence = _sentence_around(text, m.start())
            rule["text"] = sentence
            found["reporting"] = rule
            meta.used[line.number] = "reporting"
        for m in TARGET_TYPE.finditer(text):
            found.setdefault("target_types", {})[m.group(1)] = m.group(2).strip()
            meta.used[line.number] = "target_types"
        previous = line
    if "issued" not in found and dates:
        number, iso = dates[0]
        found["issued"] = iso
        meta.used[number] = "issued"
    if "issuer" not in found and "signed_by" in found:
        found["issuer"] = found["signed_by"]
    found.pop("signed_by", None)
    if "year" not in found and "title" in found and (m := re.search(r"(\d{4})年", found["title"])):
        found["year"] = int(m.group(1))
    return meta


def _sentence_around(text: str, position: int) -> str:
    start = max(text.rfind(p, 0, position) for p in "。;；") + 1
    ends = [i for i in (text.find(p, position) for p in "。;；") if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()
