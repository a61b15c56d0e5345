"""The TUI in characters that are one cell wide everywhere, for a console that draws the
ambiguous-width ones (─ ▁ ▊ ▶ ● …) two cells wide: the classic Windows console on a CJK code
page, or wherever `duban --ascii` or DUBAN_ASCII=1 asks for it (duban/text/glyphs.py).

Textual draws borders, scrollbars and tree guides itself; each is chosen here through what
Textual lets an app choose: border types by CSS (duban's own rules name $frame, $line and
$field, Textual's widgets are given ascii borders by ascii.tcss), the scrollbar's renderer
(ScrollBar.renderer), a tree's icons and guide lines (Tree.ICON_NODE, Tree.LINES), the header's
icon and the footer's key names (App.get_key_display: Enter for ⏎). duban's own marks come from
glyphs.py, its messages through i18n (glyphs.plain). A commit's subject in the history is the
record's own text and is shown as written, as a plan's text is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widgets import DirectoryTree, Tree

from duban.text.glyphs import ascii_chosen

ASCII_CSS = Path(__file__).resolve().parent / "ascii.tcss"
# The border types duban's own CSS names by role, in Unicode and in ASCII.
BORDERS = {"frame": ("thick", "ascii"), "line": ("solid", "ascii"), "field": ("tall", "ascii")}
TREE_LINES = ("  ", "| ", "`-", "|-")  # blank, through, last child, a child


class AsciiScrollBarRender(ScrollBarRender):
    """A scrollbar whose thumb is whole cells of colour, without the eighth blocks (▁ ▂ ▃, ▉ ▊ ▋)
    that draw its ends to an eighth of a cell."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


def css_variables(ascii: bool) -> dict[str, str]:
    """$frame, $line and $field for duban's .tcss files: the border type of a dialog's frame,
    of a rule between panes, of a field; $cut, how a line too long is cut (… or not marked)."""
    return {**{name: types[ascii] for name, types in BORDERS.items()}, "cut": "clip" if ascii else "ellipsis"}


def choose_scrollbars(ascii: bool) -> None:
    """Every scrollbar drawn from now on, in ASCII or in Unicode (Textual's own way to choose)."""
    ScrollBar.renderer = AsciiScrollBarRender if ascii else ScrollBarRender


def one_cell_tree(tree: Tree[Any]) -> None:
    """`tree`'s node icons and guide lines in ASCII (> and v for ▶ and ▼, | and `- for │ and └─)."""
    tree.ICON_NODE, tree.ICON_NODE_EXPANDED = "> ", "v "
    tree.LINES = {style: TREE_LINES for style in Tree.LINES}
    if isinstance(tree, DirectoryTree):  # 📁 📂 📄
        tree.ICON_NODE, tree.ICON_NODE_EXPANDED, tree.ICON_FILE = "+ ", "- ", "  "


def header_icon() -> str | None:
    """The icon at the header's left: Textual's ⭘, or # in ASCII."""
    return "#" if ascii_chosen() else None
