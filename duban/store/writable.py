"""One rule for what duban's writer can write back, asked by `validate` and by every write.

validate reads a task file with libyaml (yamlio.load_fast); a write reads it round-trip with
ruamel.yaml, changes it and dumps it (record.writer.TaskWriter). The two readers disagree on a
few inputs: a tab after a key's colon or after a value, a U+FEFF or a line separator (U+2028,
U+2029, NEL) inside the text, plain values that are numbers or dates to one and not the other
(000_521e3, 010, `._`, 2019-02-30). Such a file passed validate and was then refused by every
write (audit N7). So both ask `problems()` here: they refuse the same files, in the same words,
at the same place.
"""

from __future__ import annotations

import re
from typing import Any

from duban.errors import DubanError
from duban.i18n import _
from duban.problems import Problem, RuleId
from duban.store import yaml_positions, yaml_round_trip, yamlio
from duban.text.hygiene import describe, impossible_dates, maybe_ambiguous

# The characters around which the two readers were seen to read a file's structure differently
# (the audit's fuzzer, and every control, space and separator character put at random places in
# the bundled task files: tests/reliability/test_properties.py). Only a file holding one is read
# a second time, round-trip, so a first validate of 10,000 clean files stays as fast as it was.
_SUSPECT = re.compile("[\t\x85\u2028\u2029\ufeff]|\r(?!\n)")


def _first_suspect(text: str) -> re.Match[str] | None:
    # `in` first: on Chinese text the expression takes 80 µs a file, the six tests 3 µs, and
    # nearly every file holds none of them (a first validate of 10,000 files pays 30 ms, not 1 s).
    if "\t" in text or "\r" in text or "\ufeff" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return _SUSPECT.search(text)
    return None


def problems(fast: Any, text: str, shown: str, notes: Any = None) -> list[Problem]:
    """Why duban's writer could not write `text` back as validate read it (`fast`, from
    yamlio.load_fast), each with a pointer or a position. `notes` (yaml_loader.ScalarNotes), when
    the loader took them, spare searching the text for dates and numbers."""
    found = [
        Problem(
            shown,
            _('{value!r} reads as a date that does not exist to duban\'s writer; quote it ("{value}")').format(
                value=value
            ),
            RuleId.AMBIGUOUS_SCALAR,
            pointer=pointer,
        )
        for pointer, value in impossible_dates(fast, text, notes.dates if notes is not None else None)
    ]
    if found:
        return found
    numbers = notes.ambiguous if notes is not None else maybe_ambiguous(text)
    suspect = _first_suspect(text)
    if not (numbers or suspect):
        return []
    try:
        document = yaml_round_trip.load_round_trip(text, shown)
    except yamlio.YamlError as error:
        culprit = _last_suspect(text, error.line, error.col) if suspect else None
        if culprit is None:
            return [
                Problem(
                    shown,
                    _("duban's writer cannot read this file: {reason}").format(reason=error.message),
                    RuleId.AMBIGUOUS_SCALAR if numbers else RuleId.WRITER_READS_OTHERWISE,
                    line=error.line,
                    col=error.col,
                )
            ]
        # The reader's own words ("found character '\t' that cannot start any token") say less
        # than the character, and in English only.
        return [_suspect_problem(text, shown, culprit, _("it cannot read the file from there on"))]
    if numbers:
        found = [
            Problem(
                shown,
                _('{value!r} reads as text here but as a number to duban\'s writer; quote it ("{value}")').format(
                    value=value
                ),
                RuleId.AMBIGUOUS_SCALAR,
                pointer=pointer,
            )
            if isinstance(value, str)
            else Problem(
                shown,
                _(
                    "this number reads as {value:g} here but otherwise to duban's writer (a leading "
                    "0 is octal to one YAML reader); write it without the leading 0"
                ).format(value=value),
                RuleId.AMBIGUOUS_SCALAR,
                pointer=pointer,
            )
            for pointer, value in disagreements(fast, text)
        ]
        if found:
            return found
    try:
        again = yamlio.load_fast(yaml_round_trip.dump_round_trip(document), shown)
    except yamlio.YamlError:
        again = None  # what the writer would write cannot even be read back: every field differs
    pointer = _first_difference(fast, again)
    if pointer is None:
        return []
    field = str(pointer[0]) if pointer else ""
    what = _("a write would change {field!r}").format(field=field)
    if suspect is None:
        line, col = yaml_positions.locate(document, pointer)
        return [
            Problem(
                shown,
                _("duban's writer reads this file otherwise: {what}").format(what=what),
                RuleId.WRITER_READS_OTHERWISE,
                line=line,
                col=col,
            )
        ]
    return [_suspect_problem(text, shown, suspect.start(), what)]


def _suspect_problem(text: str, shown: str, offset: int, what: str) -> Problem:
    line, col = yamlio.position(text, offset)
    return Problem(
        shown,
        _("the character {character} here makes duban's writer read this file otherwise ({what})").format(
            character=describe(text[offset]), what=what
        ),
        RuleId.WRITER_READS_OTHERWISE,
        line=line,
        col=col,
    )


def _last_suspect(text: str, line: int | None, col: int | None) -> int | None:
    """The offset of the last suspect character at or before where the writer's reader failed:
    the one that led it astray (it fails on the tab itself, or lines after a U+FEFF that made
    it read an indented item as a key). None when the failure has no position or none is before."""
    if line is None:
        return None
    end = 0
    for _line in range(line - 1):
        end = text.find("\n", end) + 1
        if end == 0:
            return None
    end += col or 1
    found = None
    for match in _SUSPECT.finditer(text, 0, end):
        found = match.start()
    return found


def check(text: str, shown: str) -> None:
    """DubanError, in validate's words and at its place, when duban's writer could not write
    `text` back as validate reads it (problems()). For a write, before it changes anything."""
    try:
        fast = yamlio.load_fast(text, shown)
    except yamlio.YamlError:
        return  # the writer's own reader says what is wrong, with its position
    found = problems(fast, text, shown)
    if not found:
        return
    first = found[0]
    if first.line is None and first.pointer is not None:
        first = yaml_positions.locate_all([first], {shown: text})[0]
    raise DubanError(
        first.message,
        path=shown,
        line=first.line,
        col=first.col,
        hint=_("correct it there, or run `duban validate`, which points at the same place"),
    )


def _first_difference(before: Any, after: Any, pointer: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """The pointer to the first place where two plain documents differ, or None."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*before, *(k for k in after if k not in before)]:
            if key not in before or key not in after:
                return (*pointer, key)
            found = _first_difference(before[key], after[key], (*pointer, key))
            if found is not None:
                return found
        return None
    if isinstance(before, list) and isinstance(after, list):
        for index, (x, y) in enumerate(zip(before, after)):
            found = _first_difference(x, y, (*pointer, index))
            if found is not None:
                return found
        return None if len(before) == len(after) else (*pointer, min(len(before), len(after)))
    return None if before == after and type(before) is type(after) else pointer


def disagreements(fast: Any, text: str) -> list[tuple[tuple[Any, ...], Any]]:
    """Pointers to values that the round-trip loader reads other than the fast loader did.
    DubanError (with its position) when the round-trip loader cannot read the text at all."""
    rt = yaml_round_trip.load_round_trip(text, "", dates_as_text=True)
    found: list[tuple[tuple[Any, ...], Any]] = []  # (pointer, the fast reader's text or number)

    def walk(a: Any, b: Any, pointer: tuple[Any, ...]) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in a:
                if key in b:
                    walk(a[key], b[key], (*pointer, key))
        elif isinstance(a, list) and isinstance(b, list):
            for index, (x, y) in enumerate(zip(a, b)):
                walk(x, y, (*pointer, index))
        elif isinstance(a, str) and not isinstance(b, str):
            found.append((pointer, a))
        elif (
            isinstance(a, (int, float))
            and isinstance(b, (int, float))
            and not isinstance(a, bool)
            and not isinstance(b, bool)
            and a != b
        ):
            found.append((pointer, a))  # 010: 8 to the fast reader (octal), 10 to the writer's

    walk(fast, rt, ())
    return found
