"""Help text wrapped in terminal cells: a Chinese character takes two.

Click measures and wraps help by characters, so `duban --lang zh guard --help` ran to 145
cells on an 80-column terminal, and the terminal broke its lines anywhere. HelpFormatter
keeps Click's layout (usage, paragraphs, `\\b` blocks kept as written, the two columns of
options and commands) and wraps with duban.text.textwidth, which measures cells and keeps
closing punctuation off the start of a line.
"""

from __future__ import annotations

from collections.abc import Iterable

import click

from duban.i18n import _
from duban.text.textwidth import cell_width, char_width, wrap


def _joined(lines: list[str]) -> str:
    """A paragraph's lines as one: a space where the source broke between words, none where it
    broke between Chinese characters (a space there is one the text never had)."""
    out = ""
    for line in (line.strip() for line in lines):
        if out and line and not (char_width(out[-1]) == 2 or char_width(line[0]) == 2):
            out += " "
        out += line
    return out


def _fill(text: str, width: int, first: str, rest: str) -> str:
    """One paragraph as lines of at most `width` cells, the first after `first`, the others after `rest`."""
    room = width - max(cell_width(first), cell_width(rest))
    lines = wrap(" ".join(text.split()), max(room, 10)) or [""]
    return "\n".join((first if index == 0 else rest) + line for index, line in enumerate(lines))


def wrap_text(
    text: str, width: int, initial_indent: str = "", subsequent_indent: str = "", preserve_paragraphs: bool = False
) -> str:
    """click.formatting.wrap_text, measured in cells."""
    text = text.expandtabs()
    if not preserve_paragraphs:
        return _fill(text, width, initial_indent, subsequent_indent)
    paragraphs: list[tuple[int, bool, list[str]]] = []  # (indent, kept as written, lines)
    lines: list[str] = []
    indent: int | None = None

    def flush() -> None:
        if lines:
            kept = lines[0].strip() == "\b"
            paragraphs.append((indent or 0, kept, lines[1:] if kept else list(lines)))
            lines.clear()

    for line in text.splitlines():
        if not line:
            flush()
            indent = None
            continue
        if indent is None:
            indent = len(line) - len(line.lstrip())
            line = line.lstrip()
        lines.append(line)
    flush()
    out = []
    for extra, kept, block in paragraphs:
        first, rest = initial_indent + " " * extra, subsequent_indent + " " * extra
        if kept:
            out.append("\n".join(rest + line for line in block))
        else:
            out.append(_fill(_joined(block), width, first, rest))
    return "\n\n".join(out)


class HelpFormatter(click.HelpFormatter):
    """Click's HelpFormatter, measuring and wrapping in cells (see the module's docstring)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = "{usage} ".format(usage=_("Usage:"))
        usage_prefix = f"{prefix:>{self.current_indent}}{prog} "
        text_width = self.width - self.current_indent
        if not args:
            self.write(usage_prefix.rstrip(" ") + "\n")
            return
        if text_width >= cell_width(usage_prefix) + 20:
            indent = " " * cell_width(usage_prefix)
            self.write(wrap_text(args, text_width, initial_indent=usage_prefix, subsequent_indent=indent))
        else:
            self.write(usage_prefix + "\n")
            indent = " " * (max(self.current_indent, cell_width(prefix)) + 4)
            self.write(wrap_text(args, text_width, initial_indent=indent, subsequent_indent=indent))
        self.write("\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(
            wrap_text(text, self.width, initial_indent=indent, subsequent_indent=indent, preserve_paragraphs=True)
            + "\n"
        )

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if any(len(row) > 2 for row in rows):
            raise TypeError("Expected two columns for definition list")
        first_col = min(max((cell_width(row[0]) for row in rows), default=0), col_max) + col_spacing
        for row in rows:
            first, second = row[0], (row[1] if len(row) > 1 else "")
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cell_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_text(second, max(self.width - first_col - 2, 10), preserve_paragraphs=True).splitlines()
            if not lines:
                self.write("\n")
                continue
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n" if line else "\n")
