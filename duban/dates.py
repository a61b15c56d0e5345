"""The one date parser for every date a user types (--date, --as-of, --since, --until, --month,
`due=`, the TUI's date boxes, a query's dates), and the moments duban hands to git.

A day is written YYYY-MM-DD; 2019-6-24, 2019/6/24, 2019.6.24, 2019年6月24日 (or 号), 20190624
and 二〇一九年六月二十四日 are read too, full-width digits included, so a clerk can type what the
paper says. A day written without its year (6月24日, 6-24) is in the plan's year when the
command is about one plan, else in this year; a day written alone (24号, 24日) is the latest
such day on or before today (the 24th typed on 7 December is 24 November), as a clerk means
a day just past. A month is YYYY-MM (or 2019-6, 2019年6月, 2019年6月份, 201906; 6月 in the
plan's or this year). Anything else gets the same one-line message and hint wherever it was
typed.

git's own date parser is never given a date: it reads years past 2099 as something else and
silently matches nothing, so duban compares dates itself (see history.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from duban.errors import DubanError
from duban.i18n import _

_SEP = r"\s*(?:-|/|\.|年)\s*"
_MONTH_SEP = r"\s*(?:-|/|\.|月)\s*"
_DAY = re.compile(r"(\d{4})" + _SEP + r"(\d{1,2})" + _MONTH_SEP + r"(\d{1,2})\s*[日号]?")
_COMPACT_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_DAY = re.compile(r"(\d{1,2})" + _MONTH_SEP + r"(\d{1,2})\s*[日号]?")
_DAY_ALONE = re.compile(r"(\d{1,2})\s*[日号]")
_MONTH = re.compile(r"(\d{4})" + _SEP + r"(\d{1,2})\s*(?:月份?)?")
_COMPACT_MONTH = re.compile(r"(\d{4})(\d{2})")
_MONTH_ALONE = re.compile(r"(\d{1,2})\s*月份?")

# Chinese numerals as dates are written in them: 二〇一九 digit by digit, 二十四 with 十.
_CHINESE_DIGITS = {character: str(value % 10) for value, character in enumerate("〇一二三四五六七八九零")}
_CHINESE_NUMBER = re.compile(r"[〇零一二三四五六七八九十]+")


def _arabic(match: re.Match[str]) -> str:
    run = match.group()
    if "十" not in run:
        return "".join(_CHINESE_DIGITS[character] for character in run)
    tens, _ten, units = run.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return run  # not a number of a date (二〇十): left to fail
    return str(int(_CHINESE_DIGITS[tens] if tens else "1") * 10 + int(_CHINESE_DIGITS[units] if units else "0"))


def _normal(text: str) -> str:
    return _CHINESE_NUMBER.sub(_arabic, unicodedata.normalize("NFKC", text).strip())


def _not_a_date(text: str, option: str) -> DubanError:
    return DubanError(
        _("{option} {text!r} is not a date").format(option=option, text=text), hint=_("write it as YYYY-MM-DD")
    )


def _latest_day(day: int, on_or_before: dt.date) -> dt.date | None:
    """The latest day numbered `day` on or before `on_or_before` (within a year)."""
    year, month = on_or_before.year, on_or_before.month
    for _step in range(12):
        if day <= calendar.monthrange(year, month)[1]:
            found = dt.date(year, month, day)
            if found <= on_or_before:
                return found
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def parse_day(text: str, option: str = "date", *, year: int | None = None, today: dt.date | None = None) -> dt.date:
    """The day `text` names; DubanError naming `option` otherwise. A day without its year is
    in `year` (the plan's) or today's year; a day alone is the latest such day on or before
    today, and needs its month when `year` is another year than today's."""
    normal = _normal(text) if isinstance(text, str) else ""
    today = today or dt.date.today()
    try:
        if match := (_DAY.fullmatch(normal) or _COMPACT_DAY.fullmatch(normal)):
            return dt.date(*(int(part) for part in match.groups()))
        if match := _MONTH_DAY.fullmatch(normal):
            month, day = (int(part) for part in match.groups())
            return dt.date(year or today.year, month, day)
        if match := _DAY_ALONE.fullmatch(normal):
            found = _latest_day(int(match.group(1)), today) if year is None or year == today.year else None
            if found is not None:
                return found
            # A plan of another year: which of its months is the clerk's to say.
            raise DubanError(
                _("{option} {text!r} is not a date").format(option=option, text=text),
                hint=_("write its month too: {example}").format(example=f"6月{match.group(1)}日"),
            )
    except ValueError:
        pass
    raise _not_a_date(text, option)


def parse_day_in(text: str, year: int, option: str = "date") -> dt.date:
    """The day `text` names, a day without its year (7月5日, 7-5, 7/5) in `year`: as a clerk
    writes the days of the plan's own year."""
    return parse_day(text, option, year=year)


def parse_month(text: str, *, year: int | None = None, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day of the month `text` names (6月 in `year`, else this year)."""
    normal = _normal(text) if isinstance(text, str) else ""
    match = _MONTH.fullmatch(normal) or _COMPACT_MONTH.fullmatch(normal)
    if match:
        found_year, month = (int(part) for part in match.groups())
    elif match := _MONTH_ALONE.fullmatch(normal):
        found_year, month = year or (today or dt.date.today()).year, int(match.group(1))
    else:
        found_year, month = 0, 0
    if 1 <= month <= 12 and found_year >= 1:
        return dt.date(found_year, month, 1), dt.date(found_year, month, calendar.monthrange(found_year, month)[1])
    raise DubanError(
        _("--month {text!r} is not a month").format(text=text), hint=_("write it as YYYY-MM, e.g. 2019-06")
    )


def _is_month(text: str) -> bool:
    normal = _normal(text)
    return bool(
        _MONTH.fullmatch(normal) or _COMPACT_MONTH.fullmatch(normal) or _MONTH_ALONE.fullmatch(normal)
    ) and not (_DAY.fullmatch(normal) or _MONTH_DAY.fullmatch(normal) or _COMPACT_DAY.fullmatch(normal))


def period_end(text: str, option: str, last: bool, *, year: int | None = None) -> dt.date:
    """A day, or a month standing for its first (`last` False) or last day: --since 2019-06."""
    if isinstance(text, str) and _is_month(text):
        first, final = parse_month(text, year=year)
        return final if last else first
    return parse_day(text, option, year=year)


def end_of_day(day: dt.date) -> int:
    """The last second of `day` in local time, as a Unix timestamp (what git's %ct gives)."""
    return int(dt.datetime.combine(day, dt.time(23, 59, 59)).timestamp())


def start_of_day(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(0, 0, 0)).timestamp())
