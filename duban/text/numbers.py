"""Numbers as clerks type them: full-width digits (５０), a percent sign in either width (５０％),
thousands separators (1,200 or 1，200), a decimal comma (50,5 is 50.5: a comma is a thousands
separator only before groups of three digits) and the counting units 万 and 亿 (1.2万 is 12,000).
The CLI's options and the TUI's fields read percents and figures through these two."""

from __future__ import annotations

import math
import re
import unicodedata

_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def _number(text: str) -> float:
    text = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    if _NUMBER.fullmatch(text) is None:
        raise ValueError(text)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_percent(text: str) -> float:
    """50, 50%, ５０％, 50 %; ValueError for anything else (the range is the caller's)."""
    return _number(unicodedata.normalize("NFKC", str(text)).strip().removesuffix("%"))


def parse_figure(text: str) -> float:
    """A reported figure: 169.36, 1,200, １２００, 1.2万, 3亿; ValueError for anything else."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    multiplier = 1
    if text and text[-1] in _MULTIPLIERS:
        multiplier = _MULTIPLIERS[text[-1]]
        text = text[:-1]
    return _number(text) * multiplier


def whole_percent(value: float) -> int:
    """A percent as duban prints it: whole, rounded half up once from the exact value (39.47
    is 39, 62.5 is 63), never from a value already rounded to 0.1 (39.5, then 40)."""
    return math.floor(value + 0.5)
