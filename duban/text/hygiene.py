"""Input hygiene: what may stand in a value of a duban file, for every way a value gets in
(CLI options, `set`, `progress`, the TUI's forms, `edit`, the importer) and for `validate`.

A pasted line break in any of its forms (Word's Shift+Enter is a vertical tab, \\x0b; also
\\r, \\f, U+2028/U+2029) becomes a newline in a multi-line value and a space in a one-line
value, and a tab (an Excel cell boundary) becomes a space. Any other control character (ESC,
which starts terminal escape sequences, NUL, C1 controls) and the bidirectional controls that
can reorder what a reader sees (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C) are
refused: no spreadsheet, terminal or document can show them faithfully.

`validate` refuses the same characters in files edited by hand (rule `control-character`),
so what validates can always be written back and exported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from duban.errors import DubanError
from duban.i18n import N_, _

_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Every character a value may not hold once line breaks and tabs are dealt with.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# In a file: the same, and tabs too (libyaml reads a tab in a value; ruamel, which writes, refuses it).
UNSAFE_IN_FILE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def describe(character: str) -> str:
    """U+001B and its name where it has a short one."""
    names = {
        "\t": N_("tab"),
        "\x0b": N_("vertical tab"),
        "\x1b": "ESC",
        "\x00": "NUL",
        "\u202e": N_("right-to-left override"),
    }
    code = f"U+{ord(character):04X}"
    return f"{code} ({_(names[character])})" if character in names else code


def clean(value: str, what: str, multiline: bool = False) -> str:
    """`value` with line breaks and tabs normalised; DubanError naming `what` if it still holds
    a control or bidirectional-control character."""
    text = _BREAKS.sub("\n" if multiline else " ", value).replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    found = UNSAFE.search(text)
    if found:
        raise DubanError(
            _("{what} holds the control character {character} at position {position}").format(
                what=what, character=describe(found.group()), position=found.start() + 1
            ),
            hint=_("remove it; control and text-direction characters cannot be shown or exported faithfully"),
        )
    return text


def unsafe_strings(document: Any, pointer: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(pointer, character) for every string in a loaded document holding an unsafe character."""
    if isinstance(document, str):
        found = UNSAFE_IN_FILE.search(document)
        if found:
            yield pointer, found.group()
    elif isinstance(document, dict):
        for key, value in document.items():
            yield from unsafe_strings(value, (*pointer, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from unsafe_strings(value, (*pointer, index))


# A plain scalar with a digit next to an underscore or an exponent: YAML 1.1 (libyaml, which
# reads) and YAML 1.2 (ruamel, which writes) can read it differently (000_521e3 is text for
# one and the number 521000.0 for the other, which a write then prints as 5210000e-1).
_NUMBER_LIKE = re.compile(
    r"[:\-\[,][ \t]*([-+]?[\d_.]+(?:[eE][-+]?[\d_.]*)?)(?=[ \t]*(?:#.*)?$|[ \t]*[,\]])", re.MULTILINE
)


def maybe_ambiguous(text: str) -> bool:
    """True when a plain scalar looks like a number with an underscore, an exponent, a leading
    zero (08 is text to YAML 1.1, not being octal, and 8 to YAML 1.2; 010 is 8 and 10), or no
    digit at all (`._`), which the two readers may take differently."""
    return any(
        _ambiguous_number(match.group(1)) and not _inside_a_date(text, match.start())
        for match in _NUMBER_LIKE.finditer(text)
    )


_NUMBER_SHAPED = re.compile(r"[-+]?[\d_.]+(?:[eE][-+]?[\d_.]*)?\Z")
NUMBER_START = frozenset("0123456789+-._")  # how every number-shaped scalar starts


def ambiguous_scalar(value: str) -> bool:
    """Whether a plain scalar may read as one thing to YAML 1.1 and another to YAML 1.2 (see
    maybe_ambiguous): the loader asks it of each plain scalar it resolves (yaml_loader.ScalarNotes)."""
    return (
        bool(value)
        and value[0] in NUMBER_START
        and _NUMBER_SHAPED.match(value) is not None
        and _ambiguous_number(value)
    )


def _ambiguous_number(value: str) -> bool:
    if "_" in value or "e" in value or "E" in value:
        return True
    digits = value.lstrip("+-")  # [-+]?[\d.]+ here: a sign, then digits and dots
    if not digits.strip("."):
        return True  # no digit at all
    return len(digits) > 1 and digits[0] == "0" and digits[1].isdigit()


def _inside_a_date(text: str, start: int) -> bool:
    # The 05 of 2019-06-05 follows a hyphen after a digit: part of a date, not a number (and
    # every report has a date: reading each such file again would double a first validate).
    return text[start] == "-" and start > 0 and text[start - 1].isdigit()


def normalised(value: Any) -> Any:
    """A document's strings with line breaks and tabs normalised and every other unsafe
    character dropped: for the importer, which cannot send a source document back."""
    if isinstance(value, str):
        return UNSAFE.sub("", _BREAKS.sub("\n", value).replace("\t", " "))
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalised(item) for item in value]
    return value


# A plain scalar YAML reads as a date (2019-02-30, 2019-2-3): the writer's reader builds a date
# from it and fails on a day that does not exist, so such a text, valid for validate, would
# block every later write.
_DATE_LIKE = re.compile(r"[:\-\[,][ \t]*(\d{4}-\d\d?-\d\d?)(?=[ \t]*(?:#.*)?$|[ \t]*[,\]])", re.MULTILINE)
_DATE_SHAPE = re.compile(r"\d{4}-\d\d?-\d\d?\Z")  # a date alone, not one with a time
DATE_FIELDS = frozenset({"date", "due", "issued"})


def impossible_dates(document: Any, text: str, dates: Iterable[str] | None = None) -> list[tuple[tuple[Any, ...], str]]:
    """Pointers to plain values outside the date fields that read as a date that does not exist.
    `dates`: the plain scalars the loader read as dates (yaml_loader.ScalarNotes), else found in `text`."""
    # Deferred: loads datetime only when this runs
    import datetime as dt

    candidates = set()
    written_dates = (
        {date for date in dates if _DATE_SHAPE.match(date)}
        if dates is not None
        else {match.group(1) for match in _DATE_LIKE.finditer(text)}
    )
    for written in written_dates:  # a file repeats its dates
        try:
            dt.date.fromisoformat(written)  # in C; 2019-6-5 is not ISO, and is tried part by part
        except ValueError:
            try:
                dt.date(*(int(part) for part in written.split("-")))
            except ValueError:
                candidates.add(written)
    if not candidates:
        return []
    found = []

    def walk(value: Any, pointer: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*pointer, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*pointer, index))
        elif isinstance(value, str) and value in candidates and not (pointer and pointer[-1] in DATE_FIELDS):
            found.append((pointer, value))

    walk(document, ())
    return found
