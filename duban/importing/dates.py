"""Deadlines and milestones in the genre's words: 6月底完成, 2021年8月前, 年底前; 4月底前…;8月底前…;
第一季度:…; 4月:…. A month becomes the last day of that month in the plan's year."""

from __future__ import annotations

import calendar
import re

from duban.importing.script import fold

_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
DEADLINE = re.compile(
    r"^(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*(?:底|末|份|中旬|下旬|上旬|\d{1,2}\s*日)?|(年底|年内|年末))"
    r"\s*(?:前|以前|之前)?\s*(?:完成|建成|见效|见成效|到位)?$"
)
_MONTH_MARK = re.compile(
    r"(?:(?<=^)|(?<=[\s;,。:\.、]))(?:(\d{4})\s*年\s*)?(?:\d{1,2}\s*-\s*)?(\d{1,2})\s*月"
    r"\s*(?:底|末|份|中旬|下旬|上旬)?\s*(?:前|以前)?\s*[:,]?"
)
_QUARTER_MARK = re.compile(r"(?:第)?([一二三四1-4])季度(?:\([^)]*\))?\s*[:]")


def _end_of_month(year: int, month: int) -> str | None:
    if not 1 <= month <= 12:
        return None
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def deadline(text: str, year: int | None) -> str | None:
    """The date a deadline phrase names (`6月底完成`, `2021年8月前`, `年底前`), or None."""
    match = DEADLINE.match(fold(text).strip().rstrip("。;,"))
    if not match or year is None and not match.group(1):
        return None
    when = int(match.group(1)) if match.group(1) else year
    assert when is not None
    if match.group(3):
        return f"{when:04d}-12-31"
    return _end_of_month(when, int(match.group(2)))


def milestones(text: str, year: int | None) -> dict[str, str]:
    """Milestones in a plan cell: quarter marks (第一季度:…) or month marks (4月底前…), each
    with the words up to the next mark. Two marks for one date are joined with ;."""
    folded = fold(text)
    found: dict[str, str] = {}

    def put(key: str, value: str) -> None:
        value = re.sub(r"。\s*\d{1,2}\s*[.、].*$", "", value.strip(), flags=re.S)
        value = value.strip().strip(";,。 ").strip()
        value = re.sub(r"\s*\d{1,2}\s*[.、]\s*$", "", value).strip(";,。 ")
        if value:
            found[key] = f"{found[key]};{value}" if key in found else value

    quarters = list(_QUARTER_MARK.finditer(folded))
    if quarters:
        for index, mark in enumerate(quarters):
            end = quarters[index + 1].start() if index + 1 < len(quarters) else len(text)
            put(f"Q{_CN_QUARTER[mark.group(1)]}", text[mark.end() : end])
        return found
    if year is None:
        return found
    months = list(_MONTH_MARK.finditer(folded))
    for index, mark in enumerate(months):
        end = months[index + 1].start() if index + 1 < len(months) else len(text)
        key = _end_of_month(int(mark.group(1)) if mark.group(1) else year, int(mark.group(2)))
        if key:
            put(key, text[mark.start() : end])
    return found
