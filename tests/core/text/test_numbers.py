"""Numbers as clerks type them, read by the CLI's options and the TUI's fields alike."""

from __future__ import annotations

import pytest

from duban.text.numbers import parse_figure, parse_percent


@pytest.mark.parametrize(("typed", "value"), [("50", 50), ("50%", 50), ("５０％", 50), (" 12.5 % ", 12.5), ("０", 0)])
def test_percents(typed: str, value: float) -> None:
    assert parse_percent(typed) == value


@pytest.mark.parametrize(
    ("typed", "value"),
    [("169.36", 169.36), ("1,200", 1200), ("１，２００", 1200), ("1.2万", 12000), ("３亿", 300_000_000), ("-4", -4)],
)
def test_figures(typed: str, value: float) -> None:
    assert parse_figure(typed) == pytest.approx(value)


@pytest.mark.parametrize("typed", ["", "一万", "nan", "inf", "1e400", "5%%", "万", "1.2万万", "12 34x"])
def test_anything_else_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_figure(typed)
    with pytest.raises(ValueError):
        parse_percent(typed)
