"""The one date parser for every date a user types (--date, --as-of, --since, --until, --month,
`due=`, the TUI's as-of box), and the moments duban hands to git.

A day is written YYYY-MM-DD; 2019-6-24, 2019/6/24, 2019.6.24, 2019年6月24日 and 2019年6月24号
(the spoken 号 for 日, as clerks write it too) are read, full-width digits included, so a clerk
can type what the paper says. A month is YYYY-MM (or 2019-6, 2019年6月). Anything else gets
the same one-line message and hint wherever it was typed.

git's own date parser is never given a date: it reads years past 2099 as something else and
silently matches nothing, so duban compares dates itself (see history.py).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from duban.errors import DubanError
from duban.i18n import _

_DAY = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*[日号]?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*[日号]?")
_MONTH = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_day(text: str, option: str = "date") -> dt.date:
    """The day `text` names; DubanError naming `option` otherwise."""
    match = _DAY.fullmatch(_normal(text)) if isinstance(text, str) else None
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise DubanError(_("{option} {text!r} is not a date").format(option=option, text=text),
                     hint=_("write it as YYYY-MM-DD"))


def parse_day_in(text: str, year: int, option: str = "date") -> dt.date:
    """The day `text` names, as parse_day reads it; a day written without its year (7月5日,
    7-5, 7/5), as a clerk writes the days of the plan's own year, is in `year`."""
    match = _MONTH_DAY.fullmatch(_normal(text)) if isinstance(text, str) else None
    if match:
        try:
            return dt.date(year, *(int(part) for part in match.groups()))
        except ValueError:
            pass
        raise DubanError(_("{option} {text!r} is not a date").format(option=option, text=text),
                         hint=_("write it as YYYY-MM-DD"))
    return parse_day(text, option)


def parse_month(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the month `text` names."""
    import calendar

    match = _MONTH.fullmatch(_normal(text)) if isinstance(text, str) else None
    if match:
        year, month = (int(part) for part in match.groups())
        if 1 <= month <= 12 and year >= 1:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    raise DubanError(_("--month {text!r} is not a month").format(text=text),
                     hint=_("write it as YYYY-MM, e.g. 2019-06"))


def period_end(text: str, option: str, last: bool) -> dt.date:
    """A day, or a month standing for its first (`last` False) or last day: --since 2019-06."""
    if isinstance(text, str) and _MONTH.fullmatch(_normal(text)) and not _DAY.fullmatch(_normal(text)):
        first, final = parse_month(text)
        return final if last else first
    return parse_day(text, option)


def end_of_day(day: dt.date) -> int:
    """The last second of `day` in local time, as a Unix timestamp (what git's %ct gives)."""
    return int(dt.datetime.combine(day, dt.time(23, 59, 59)).timestamp())


def start_of_day(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(0, 0, 0)).timestamp())
