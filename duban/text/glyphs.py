"""The marks duban draws in text output (rules, an ellipsis, arrows, a current-quarter mark, a
tick and a cross), as Unicode or as ASCII.

─ … ▲ ▼ ▶ ● → · are "ambiguous width" characters: one cell in a modern terminal, two in the
classic Windows console on a CJK code page (936, 950, 932, 949), where tables drawn with them
no longer line up. `duban --ascii` (or DUBAN_ASCII=1) draws them in ASCII, and so does duban by
itself in such a console: the marks here, and those in duban's own messages (plain(), which the
translations go through: "……", quotes, dashes). Text that is data (a title, a note) is never changed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

UNICODE = {
    "rule": "─",
    "ellipsis": "…",
    "current": "▶",
    "up": "▲",
    "down": "▼",
    "dot": "●",
    "arrow": "→",
    "middle": "·",
    "tick": "✓",
    "cross": "✗",
    "hollow": "○",
}
ASCII = {
    "rule": "-",
    "ellipsis": "...",
    "current": ">",
    "up": "^",
    "down": "v",
    "dot": "*",
    "arrow": "->",
    "middle": "-",
    "tick": "+",
    "cross": "x",
    "hollow": "o",
}
# What else duban's own messages write that is not one cell everywhere, and its ASCII.
_PUNCTUATION = {
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "—": "--",
    "–": "-",
    "■": "#",
    "□": "[ ]",
    "↑": "Up",
    "↓": "Down",
}
_PLAIN = str.maketrans({**{UNICODE[name]: ASCII[name] for name in UNICODE}, **_PUNCTUATION})
# Code pages whose console fonts draw ambiguous-width characters two cells wide.
CJK_CODE_PAGES = (932, 936, 949, 950, 54936)

_chosen = UNICODE


def use_ascii(on: bool) -> None:
    global _chosen
    _chosen = ASCII if on else UNICODE


def ascii_chosen() -> bool:
    """Whether output is drawn in ASCII now (--ascii, DUBAN_ASCII, or a legacy console)."""
    return _chosen is ASCII


def plain(message: str) -> str:
    """`message` (one of duban's own, never data) as output draws it now: in ASCII, its marks,
    ellipses, quotes and dashes in their ASCII forms."""
    return message.translate(_PLAIN) if _chosen is ASCII else message


def glyph(name: str) -> str:
    """The mark `name` (rule, ellipsis, current, up, down, dot, arrow, middle) as output draws it now."""
    return _chosen[name]


def legacy_console(
    platform: str = sys.platform, code_page: int | None = None, environ: Mapping[str, str] = os.environ
) -> bool:
    """Whether output goes to the classic Windows console on a CJK code page: not Windows
    Terminal (WT_SESSION), nor a terminal that says what it is (TERM_PROGRAM, ConEmu)."""
    if platform != "win32" or any(name in environ for name in ("WT_SESSION", "TERM_PROGRAM", "ConEmuANSI")):
        return False
    if code_page is None:
        try:
            # Deferred: loads ctypes only when this runs
            import ctypes

            code_page = int(ctypes.windll.kernel32.GetConsoleOutputCP())  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return False
    return code_page in CJK_CODE_PAGES
