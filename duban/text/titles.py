"""A document title broken into lines the way GB/T 9704 (7.3.1) asks: 回行时词意完整，排列
对称，长短适宜 — each line ends at a word boundary, the lines are as even as they can be,
and no line is a lone character.

No dictionary: a title is broken only where its own shape says a word ends, measured in
cells (a CJK character two, a digit one, as the fonts set them: half an em for a Latin
digit):

- after punctuation (、，：》）〕…) and before an opening one (《（〔“…);
- before a number (区政府|2019年, 目标|第二季度) and after a number with its measure word
  (2019年|重点, 6月份|推进, 11号|6月份);
- after the particle 的 or 之, never before it (情况的|通报, never 情况|的通报);
- before 关于, and before the 公文 phrases that name what is reported (|推进情况, |落实情况),
  never inside them.

Closing punctuation never starts a line and opening punctuation never ends one (禁则).
Where no such boundary gives lines that fit, a title is broken between any two Chinese
characters that the rules above do not forbid, still as evenly as it can be.
"""

from __future__ import annotations

import itertools
import re

from duban.text.textwidth import NO_LINE_END, NO_LINE_START, cell_width

# Words a title is not broken inside, and before which it may be: what the circular or a
# report says it is about (推进情况 of 关于…推进情况的通报).
PHRASES = ("关于", "推进情况", "落实情况", "进展情况", "完成情况", "执行情况", "工作情况", "有关情况")
# A number's measure words: the number and its word are one (2019年, 6月份, 11号, 第3季度).
MEASURES = ("月份", "季度", "年度", "年", "月", "日", "号", "期", "项", "个", "批", "次")
PARTICLES = "的之"
# A number: digits, or Chinese numerals before a measure word (二季度); with 第 before it.
_NUMBER = re.compile(
    r"第?(?:[0-9０-９]+(?:[.．][0-9]+)?|[一二三四五六七八九十百零〇两]+(?=" + "|".join(MEASURES) + "))"
)
_LATIN = re.compile(r"[A-Za-z0-9０-９.．\-+%]")
LONE = 2  # cells: a line of one character


def _spans(title: str) -> list[tuple[int, int]]:
    """Where the phrases and the numbers with their measure words are: (start, end)."""
    spans = [(found.start(), found.end()) for phrase in PHRASES for found in re.finditer(re.escape(phrase), title)]
    for found in _NUMBER.finditer(title):
        measure = next((m for m in MEASURES if title.startswith(m, found.end())), "")
        spans.append((found.start(), found.end() + len(measure)))
    return spans


def _forbidden(title: str, at: int) -> bool:
    before, after = title[at - 1], title[at]
    return (
        after in NO_LINE_START
        or before in NO_LINE_END
        or after in PARTICLES
        or bool(_LATIN.match(before) and _LATIN.match(after))
        or before.isspace()
        or after.isspace()
    )


def boundaries(title: str) -> tuple[list[int], list[int]]:
    """The positions a line may end at: (word boundaries, the other positions allowed)."""
    spans = _spans(title)
    inside = {at for start, end in spans for at in range(start + 1, end)}
    edges = {at for span in spans for at in span}
    words, others = [], []
    for at in range(1, len(title)):
        if at in inside or _forbidden(title, at):
            continue
        before, after = title[at - 1], title[at]
        if at in edges or before in NO_LINE_START or after in NO_LINE_END or before in PARTICLES:
            words.append(at)
        else:
            others.append(at)
    return words, others


def _lines(title: str, cuts: tuple[int, ...]) -> list[str]:
    edges = (0, *cuts, len(title))
    return [title[a:b] for a, b in itertools.pairwise(edges)]


def _best(title: str, candidates: list[int], width: int) -> list[str] | None:
    """The fewest lines that fit in `width` cells, ending at `candidates`, the longest line as
    short as it can be (even lines), none a lone character; longer lines first on a tie (an
    inverted trapezoid, as titles are set)."""
    for count in range(1, min(len(candidates), 4) + 1):
        fitting = []
        for cuts in itertools.combinations(candidates, count):
            lines = _lines(title, cuts)
            widths = [cell_width(line) for line in lines]
            if max(widths) <= width and min(widths) > LONE:
                fitting.append((max(widths) - min(widths), [-w for w in widths], lines))
        if fitting:
            return min(fitting)[2]
    return None


def title_lines(title: str, width: int) -> list[str]:
    """`title` as the lines it is set in, each at most `width` cells where that can be."""
    title = title.strip()
    if cell_width(title) <= width:
        return [title]
    words, others = boundaries(title)
    return _best(title, words, width) or _best(title, sorted(words + others), width) or [title]
