"""Terminal cell widths and line wrapping for Chinese text: a CJK character takes two cells.

Widths come from wcwidth (the Unicode tables terminals follow, emoji sequences included);
the line-breaking rules below are duban's own.

Wrapping follows the usual Chinese rules (禁则): closing punctuation never starts a line
and opening punctuation never ends one; runs of Latin letters and digits stay whole
unless they alone are wider than a line.
"""

from __future__ import annotations

import functools
import re

from wcwidth import wcswidth, wcwidth

# Characters that must not begin a line, and that must not end one.
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}>%")
NO_LINE_END = set("（《「『【〔〈“‘([{<")

_TOKEN = re.compile(r"[A-Za-z0-9_.%+\-/:@#]+|\s|.", re.DOTALL)


@functools.cache  # a plan uses a few thousand distinct characters; tables measure them often
def char_width(char: str) -> int:
    return max(wcwidth(char), 0)  # a control character takes no cell (wcwidth says -1)


def cell_width(text: str) -> int:
    """Width of `text` in terminal cells."""
    if text.isascii():
        return len(text)
    width = wcswidth(text)  # measures joined emoji sequences as one picture
    return width if width >= 0 else sum(map(char_width, text))


def truncate(text: str, width: int, ellipsis: str | None = None) -> str:
    """`text` cut to at most `width` cells, ending with `ellipsis` (the output's, glyphs.py) when cut."""
    if cell_width(text) <= width:
        return text
    if ellipsis is None:
        # Deferred: loads duban.text.glyphs only when this runs
        from duban.text.glyphs import glyph

        ellipsis = glyph("ellipsis")
    room = width - cell_width(ellipsis)
    if room < 0:  # narrower than the ellipsis itself ("..." in 2 cells)
        return ellipsis[: max(width, 0)]
    out, used = [], 0
    for char in text:
        w = char_width(char)
        if used + w > room:
            break
        out.append(char)
        used += w
    return "".join(out) + ellipsis


def _split_long(token: str, width: int) -> list[str]:
    pieces, current, used = [], "", 0
    for char in token:
        w = char_width(char)
        if used + w > width and current:
            pieces.append(current)
            current, used = "", 0
        current += char
        used += w
    return [*pieces, current] if current else pieces


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells; existing line breaks are kept."""
    width = max(width, 4)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        tokens: list[str] = []
        for token in _TOKEN.findall(paragraph):
            tokens += _split_long(token, width) if cell_width(token) > width else [token]
        line: list[str] = []
        used = 0
        for token in tokens:
            w = cell_width(token)
            if used + w > width and line:
                if token.isspace():
                    lines.append("".join(line).rstrip())
                    line, used = [], 0
                    continue
                carried: list[str] = []
                # Keep closing punctuation off the start of the next line, and opening
                # punctuation off the end of this one, by carrying characters down.
                # A run of them (")," or "”。") goes down with the character before it.
                while len(line) > 1 and (carried[0] if carried else token)[0] in NO_LINE_START:
                    carried.insert(0, line.pop())
                while len(line) > 1 and line[-1] and line[-1][-1] in NO_LINE_END:
                    carried.insert(0, line.pop())
                lines.append("".join(line).rstrip())
                line = carried
                used = sum(cell_width(t) for t in line)
            if not line and token.isspace():
                continue
            line.append(token)
            used += w
        lines.append("".join(line).rstrip())
    return lines
