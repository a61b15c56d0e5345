"""Measures of the printed circular that .docx and HTML share: where the 署名 and 成文日期 end
(GB/T 9704-2012), and the title's lines at 二号."""

from __future__ import annotations

from duban.text.textwidth import cell_width
from duban.text.titles import title_lines


def signature_indents(office: str, date: str, autospace: float = 0.0) -> tuple[float, float]:
    """How far from the right margin, in characters of the body's size, the 署名 and the 成文
    日期 end (GB/T 9704-2012 7.3.5.1, as for a document the office seals): the date 右空四字,
    the office centred over it. Measured in cells, a digit half a character, plus `autospace`
    characters where Chinese meets a digit or a Latin letter (a word processor's spacing)."""

    def chars(text: str) -> float:
        meets = sum(a.isascii() != b.isascii() for a, b in zip(text, text[1:]))
        return cell_width(text) / 2 + autospace * meets

    return max(0.0, 4 + (chars(date) - chars(office)) / 2), 4.0


TITLE_SIZE = 22  # pt, 二号


def title_lines_in(title: str, width_pt: float) -> list[str]:
    """The title's lines in a text area `width_pt` wide at 二号 (duban.text.titles)."""
    return title_lines(title, int(2 * width_pt / TITLE_SIZE))
