"""Printing data: tables sized for Chinese text, JSON and CSV on stdout."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import click

from duban.i18n import N_, _

# What a terminal would act on rather than show: C0 and C1 controls (ESC starts escape
# sequences that retitle the window, clear the screen, hide text or write the clipboard),
# and the bidirectional controls that reorder what is shown. Newlines and tabs are kept;
# a colour sequence (SGR, ESC[...m) is matched whole so that git's colours can be let through.
_UNSAFE_CHARACTERS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
# A CR before a LF is a line end (CSV's, as Excel writes it), shown as such, not a control.
_TERMINAL_UNSAFE = re.compile("\x1b\\[[0-9;]*m|\r\n|" + _UNSAFE_CHARACTERS)
# The same characters alone (ESC among them): a search for a class is three times as quick
# as one for the alternation, and most output (every JSON row) holds none.
_ANY_UNSAFE = re.compile(_UNSAFE_CHARACTERS)


def _visible(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# The SGR parameters git's own colours use, and nothing that can hide text: no conceal (8,
# also written 08), no black (30, 90), no background but the default (a red-on-red line),
# no 256-colour or RGB forms (38;5;0;48;5;0). A diff's content can colour a line, never hide it.
_SAFE_SGR = {0, 1, 2, 3, 4, 7, 22, 23, 24, 27, 31, 32, 33, 34, 35, 36, 37, 39, 49, 91, 92, 93, 94, 95, 96, 97}


def _plain_colour(sequence: str) -> bool:
    if not sequence.startswith("\x1b[") or not sequence.endswith("m"):
        return False
    for part in sequence[2:-1].split(";"):
        if part and not part.isdigit() or len(part) > 3:
            return False
        if (int(part) if part else 0) not in _SAFE_SGR:
            return False
    return True


def terminal_safe(text: str, keep_colour: bool = False) -> str:
    """`text` with every control and bidirectional-control character written out visibly
    (ESC as \\x1b, U+202E as \\u202e); with `keep_colour`, colour sequences other than
    'conceal' (8) are kept."""

    def replace(match: re.Match[str]) -> str:
        found = match.group()
        if found == "\r\n":
            return found
        if len(found) > 1:
            if keep_colour and _plain_colour(found):
                return found
            return "".join(_visible(c) if c == "\x1b" else c for c in found)
        return _visible(found)

    if _ANY_UNSAFE.search(text) is None:
        return text
    return _TERMINAL_UNSAFE.sub(replace, text)


class EscapingStream:
    """A text stream that makes everything written to it terminal-safe: titles, notes and
    author names come from other units and are shown, never obeyed. JSON stays valid (an
    escaped character there reads back as the same character)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_safe(text) if isinstance(text, str) else text)

    def write_coloured(self, text: str) -> int:
        return self._stream.write(terminal_safe(text, keep_colour=True))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def escape_output() -> None:
    """Route stdout and stderr through EscapingStream (once)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, EscapingStream):
            setattr(sys, name, EscapingStream(stream))


def emit_document(text: str) -> None:
    """A document's text on standard output (`-o -`, `show --raw`) with the line ends the
    document has, as a file would hold them: written as bytes, past the newline translation of
    a text-mode stream, which on Windows made a CSV's \r\n into \r\r\n."""
    stream = sys.stdout
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a stream of text only (an IDE's console)
        click.echo(text, nl=False)
        return
    stream.flush()
    binary.write(terminal_safe(text).encode("utf-8"))
    binary.flush()


def echo_coloured(text: str) -> None:
    """Print git's coloured output: its colours kept, anything else escaped."""
    stream = sys.stdout
    if isinstance(stream, EscapingStream):
        stream.write_coloured(text + "\n")
        stream.flush()
    else:
        click.echo(terminal_safe(text, keep_colour=True), color=True)


def emit_json(data: Any) -> None:
    click.echo(indented_json(data))


def indented_json(data: Any) -> str:
    """The data as JSON indented by two spaces, non-ASCII text as itself: json.dumps(data,
    ensure_ascii=False, indent=2)'s bytes for what commands print (strings, numbers, lists,
    dicts), from orjson in a fifteenth of the time (json indents in pure Python: 0.14 s of
    10,000 rows, a third of a `list --format json`). Where orjson refuses (text with a lone
    surrogate, an integer beyond 64 bits), json.dumps writes it, a date as orjson does
    (YYYY-MM-DD: the model's dates, a task's due and its reports')."""
    # Deferred: loads orjson only when this runs
    import orjson

    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(data, ensure_ascii=False, indent=2, default=_iso_day)


def _iso_day(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def emit_csv(rows: Sequence[dict[str, Any]], fields: Sequence[str]) -> None:
    # Deferred: loads csv and 1 more (26 duban modules in all) only when this runs
    import csv

    from duban.supervise.rows import csv_cell

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([csv_cell(row.get(name)) for name in fields])


def emit_table(
    rows: Sequence[Sequence[str]], headers: Sequence[str], wide: Sequence[int] = (), keep: Sequence[int] = (0,)
) -> None:
    """A table measured in terminal cells (a CJK character is two), fitted to the terminal.

    When rows are too wide, the `wide` columns are cut first (with an ellipsis), then the
    others; `keep` columns (the ref, by default) are never cut. Piped output is fitted to $COLUMNS,
    or 200 when unset, so scripts get whole rows.
    """
    # Deferred: loads duban.text.glyphs and 2 more (3 duban modules in all) only when this runs
    import shutil

    from duban.text.glyphs import glyph
    from duban.text.textwidth import cell_width, truncate

    if sys.stdout.isatty():
        width = shutil.get_terminal_size((120, 24)).columns
    else:
        width = int(os.environ.get("COLUMNS", "200"))
    gap = 2
    widths = [max([cell_width(h), *(cell_width(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    excess = sum(widths) + gap * (len(widths) - 1) - width
    others = [i for i in range(len(widths)) if i not in wide and i not in keep]
    for candidates, floor in ((list(wide), 24), (others, 8), (list(wide), 6), (others, 4)):
        while excess > 0:
            shrinkable = [i for i in candidates if widths[i] > floor]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            step = min(excess, widths[widest] - floor, max(1, widths[widest] // 4))
            widths[widest] -= step
            excess -= step

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            text = truncate(cell, widths[i])
            out.append(text + " " * (widths[i] - cell_width(text)))
        return (" " * gap).join(out).rstrip()

    click.echo(line(headers))
    click.echo((" " * gap).join(glyph("rule") * w for w in widths))
    for row in rows:
        click.echo(line(row))


def echo_recorded(recorded: Any) -> None:
    """What a command that records prints: the commit's short id and subject on standard
    output (a script's one line), then its warnings on standard error."""
    click.echo(f"{recorded.sha[:10]} {recorded.message.splitlines()[0]}")
    for warning in getattr(recorded, "warnings", ()):
        # after the commit, on stderr: the report is recorded, and a script's output stays the sha line
        click.echo(_("duban: warning: {what}").format(what=warning), err=True)


def shown_when(iso: str) -> str:
    """A commit's ISO time as a history shows it: day, hour and minute."""
    return iso[:16].replace("T", " ")


def echo_commit_line(commit: Any) -> None:
    """One commit as `duban history` and `duban log` list it: short id, when, who typed it, the
    unit it reports for in brackets, the day a paper report was made when it was typed in later,
    and the subject."""
    by = commit.trailers.get("Reported-by")
    reported = commit.trailers.get("Report-date", "")
    late = f"  ({_('reported {date}').format(date=reported)})" if reported and reported != commit.date[:10] else ""
    unit = f"  [{by}]" if by else ""
    click.echo(f"{commit.sha[:10]}  {shown_when(commit.date)}  {commit.author}{unit}{late}  {commit.subject}")


def shown_field(name: str) -> str:
    """A task file's field (or milestones.Q2) as the interface names it."""
    # Deferred: loads duban.vocabulary only when a field is shown
    from duban.vocabulary import shown

    head, dot, tail = name.partition(".")
    return shown("field", head) + dot + tail


# The system's words for these, which come in English whatever the language chosen.
_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.ENOTDIR: N_("a part of the path is a file, not a folder"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.ELOOP: N_("too many symbolic links"),
    errno.EEXIST: N_("it exists already"),
    errno.EINVAL: N_("not a valid path here"),
    errno.ENXIO: N_("no reader or device there"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EROFS: N_("the file system is read-only"),
}


def os_reason(error: OSError) -> str:
    """The system's reason for `error`, in the chosen language where duban knows it."""
    known = _REASONS.get(error.errno or 0)
    return _(known) if known else str(error.strerror)
