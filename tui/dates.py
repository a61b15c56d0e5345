"""The days a clerk types in the TUI's date boxes (the round, the progress form, the as-of box):
every form the command line reads (duban.dates.parse_day: 2019-06-24, 2019/6/24, 2019年6月24日,
full-width digits), and within a plan a day without its year (6月24日). A day that does not
read is said in the TUI's words, without the command line's option names. And the day a new
report is given before anything is typed (the progress form, the round)."""

from __future__ import annotations

import datetime as dt

from duban.dates import parse_day, parse_day_in
from duban.errors import DubanError
from duban.i18n import _


def typed_day(text: str, year: int | None = None) -> dt.date:
    """The day `text` names (in `year` when it gives none); DubanError in the TUI's words."""
    try:
        return parse_day_in(text, year) if year is not None else parse_day(text)
    except DubanError:
        raise DubanError(
            _("{text} is not a date: write it as 2019-06-24, 2019/6/24 or 2019年6月24日.").format(
                text=text.strip() or "''"
            )
        ) from None


def default_report_date(plan_year: int, as_of: str | None, last: dt.date | None, today: dt.date | None = None) -> str:
    """The date a new report gets by default: the as-of date, else today, kept inside the plan's
    year (a past plan gets its 31 December) and never before the task's last report."""
    day = dt.date.fromisoformat(as_of) if as_of else (today or dt.date.today())
    day = min(max(day, dt.date(plan_year, 1, 1)), dt.date(plan_year, 12, 31))
    if last and day < last:
        day = last
    return day.isoformat()
