"""CJK-aware widths and wrapping: a Chinese character is two terminal cells."""

from __future__ import annotations

import pytest

from duban.text.textwidth import NO_LINE_END, NO_LINE_START, cell_width, truncate, wrap

TEXT = (
    "制定并部署2019年长宁区稳增长举措实施方案,建立工作联席机制,保持经济持续发展,"
    "人均GDP、地均GDP稳定增长,实现区级一般公共预算收入预期增长4%,达到169.36亿元左右。"
)


def test_widths_follow_the_terminal_tables() -> None:
    """Emoji sequences, variation selectors and zero-width characters as a terminal draws them."""
    assert cell_width("👨\u200d👩\u200d👧") == 2  # one family picture, not three
    assert cell_width("❤\ufe0f") == 2  # VS16 asks for the emoji form
    assert cell_width("发\u200b改") == 4  # a zero-width space takes no cell
    assert cell_width("ｱ") == 1 and cell_width("한") == 2  # half-width kana, Hangul


def test_cell_width_counts_cjk_as_two() -> None:
    assert cell_width("abc") == 3
    assert cell_width("发改委") == 6
    assert cell_width("GDP增长8%") == 9
    assert cell_width("（一）") == 6


@pytest.mark.parametrize("width", [10, 17, 24, 40, 61])
def test_wrap_respects_width_and_keeps_every_character(width: int) -> None:
    lines = wrap(TEXT, width)
    assert all(cell_width(line) <= width for line in lines)
    assert "".join(lines) == TEXT


@pytest.mark.parametrize("width", [9, 12, 15, 20, 33])
def test_wrap_never_starts_a_line_with_closing_punctuation(width: int) -> None:
    text = "主责部门和配合部门要自觉树立责任意识和大局意识，根据目标确定的总体要求。（责任单位：发改委、经委）"
    lines = wrap(text, width)
    assert "".join(lines) == text
    assert not any(line[0] in NO_LINE_START for line in lines[1:])
    assert not any(line[-1] in NO_LINE_END for line in lines[:-1])


def test_wrap_keeps_latin_words_whole() -> None:
    lines = wrap("稳增长举措实施方案 GDP-2019 增长", 12)
    assert any("GDP-2019" in line for line in lines)


def test_truncate_measures_cells() -> None:
    assert truncate("发改委、统计局", 8) == "发改委…"
    assert cell_width(truncate("发改委、统计局", 8)) <= 8
    assert truncate("发改委", 6) == "发改委"


def test_a_run_of_closing_punctuation_never_starts_a_line() -> None:
    """`show` at 50 columns began a line with "),确保…": the ")" was carried down alone."""
    text = "加快“智慧公安”建设(“雪亮工程”和社会面智能安防建设),确保全区90%的居民小区实现入室盗窃“零发案”。"
    for width in range(8, 60):
        lines = wrap(text, width)
        assert "".join(lines) == text
        assert all(line[0] not in NO_LINE_START for line in lines[1:]), (width, lines)
