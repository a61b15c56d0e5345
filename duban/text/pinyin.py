"""Chinese-aware text matching: full-width forms as their ASCII twins, spacing ignored, and
pinyin initials (fgw finds 发改委; every reading of a character counts: 长 is c or z)."""

from __future__ import annotations

import bisect
import functools
import marshal
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from duban.reading import normalise_unit_name

T = TypeVar("T")

# What a Chinese input method types, read as the ASCII the grammar uses (one character for
# one, so columns stay right).
FULL_WIDTH = str.maketrans(
    {
        "：": ":",
        "（": "(",
        "）": ")",
        "＜": "<",
        "＞": ">",
        "＝": "=",
        "！": "!",
        "－": "-",
        "\u3000": " ",
        "“": '"',
        "”": '"',
        "＂": '"',
    }
)


# ---- pinyin initials -------------------------------------------------------------


def _is_initials(value: str) -> bool:
    return value.isascii() and value.isalpha()


class InitialsTable:
    """{code point: its readings' initials, the common reading's first}, built from pypinyin by
    scripts/build_initials.py and stored packed: a run of code points is a string with one
    character per point, naming its set of initials. It loads in 0.05 ms, where a dict of its
    42,000 entries took 6 ms of a 0.12 s `duban list lead:fgw`; a look-up is a bisect. After
    many look-ups (the TUI works out every title's initials) it unpacks into that dict."""

    _UNPACK_AFTER = 5000

    def __init__(self, starts: tuple[int, ...], offsets: tuple[int, ...], codes: str, sets: tuple[str, ...]) -> None:
        self._starts, self._offsets, self._codes, self._sets = starts, offsets, codes, sets
        self._seen: dict[int, str | None] = {}
        self._unpacked: dict[int, str] | None = None

    def get(self, point: int) -> str | None:
        if self._unpacked is not None:
            return self._unpacked.get(point)
        if point in self._seen:
            return self._seen[point]
        if len(self._seen) >= self._UNPACK_AFTER:
            self._unpacked = self.as_dict()
            return self._unpacked.get(point)
        found = self._seen[point] = self._look(point)
        return found

    def _look(self, point: int) -> str | None:
        run = bisect.bisect_right(self._starts, point) - 1
        if run < 0:
            return None
        at = self._offsets[run] + point - self._starts[run]
        end = self._offsets[run + 1] if run + 1 < len(self._offsets) else len(self._codes)
        return (self._sets[ord(self._codes[at])] or None) if at < end else None

    def as_dict(self) -> dict[int, str]:
        table = {}
        for run, (start, offset) in enumerate(zip(self._starts, self._offsets)):
            end = self._offsets[run + 1] if run + 1 < len(self._offsets) else len(self._codes)
            for point, code in enumerate(self._codes[offset:end], start=start):
                if code != "\0":
                    table[point] = self._sets[ord(code)]
        return table


@functools.cache
def _initials_table() -> InitialsTable:
    # Beside the module; importlib.resources costs its readers' imports (zipfile), 2 ms.
    path = Path(__file__).with_name("pinyin_initials.marshal")
    try:
        data = path.read_bytes()
    except OSError:  # installed in a zip
        # Deferred: loads importlib.resources only when this runs
        from importlib import resources

        data = resources.files("duban.text").joinpath("pinyin_initials.marshal").read_bytes()
    starts, offsets, codes, sets = marshal.loads(data)
    return InitialsTable(starts, offsets, codes, sets)


def common_initials(text: str) -> str:
    """Each character's initial in its common reading (体育局: tyj, not the rare bèn or cuì)."""
    table = _initials_table()
    return "".join((table.get(ord(char)) or char.lower())[0] for char in text if not char.isspace())


def prefer_common_readings(
    letters: str, found: list[T], names_of: Callable[[T], Iterable[str]], whole: bool = False
) -> list[T]:
    """Of several things pinyin initials matched, those the common readings spell (czj is
    财政局, not also 体育局 by 体's rare reading cuì), when any are; else all of them. With
    `whole`, the letters spell a whole name, else a part of one."""
    if len(found) < 2:
        return found
    wanted = letters.lower()
    common = [
        item
        for item in found
        if any((common_initials(n) == wanted) if whole else (wanted in common_initials(n)) for n in names_of(item))
    ]
    return common or found


def initial_sets(text: str) -> tuple[frozenset[str], ...]:
    """Each character's possible pinyin initials (all readings of 长: c and z)."""
    table = _initials_table()
    sets = []
    for char in text:
        letters = table.get(ord(char))
        if letters is not None:
            sets.append(frozenset(letters))
        elif not char.isspace():
            sets.append(frozenset({char.lower()}))
    return tuple(sets)


@functools.lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    """Lower case without whitespace, full-width punctuation as ASCII: how text is compared
    (科  委 and 科委 are one, and so are 各街（镇） and 各街(镇))."""
    return normalise_unit_name(text.lower().translate(FULL_WIDTH))


# Pinyin matching as one regular-expression search per text, in C: each distinct set of
# initials a character can have is written as one private-use character, and a typed letter
# becomes the class of every set that holds it. `fgw` then finds 发改委 with one `re.search`,
# where trying every position in Python took 60 µs a title (0.6 s a keystroke on 10,000 tasks).
_SET_CODES: dict[frozenset[str], str] = {}
_SET_CODES_LOCK = threading.Lock()  # the TUI works titles out in a thread while the user types


def _code_of(letters: frozenset[str]) -> str:
    code = _SET_CODES.get(letters)
    if code is None:
        with _SET_CODES_LOCK:
            code = _SET_CODES.get(letters)
            if code is None:
                code = _SET_CODES[letters] = chr(0xF0000 + len(_SET_CODES))  # plane 15: private use
    return code


@functools.lru_cache(maxsize=65536)
def initials_code(text: str) -> str:
    """`text` with each character written as the code of its set of initials."""
    return "".join(map(_code_of, initial_sets(text)))


@functools.lru_cache(maxsize=256)
def _initials_pattern(letters: str, known_sets: int) -> re.Pattern[str]:
    # Keyed by how many sets are known: a text met later may bring a new set, and a new pattern.
    with _SET_CODES_LOCK:
        known = list(_SET_CODES.items())
    classes = []
    for letter in letters:
        codes = "".join(code for letter_set, code in known if letter in letter_set)
        classes.append(f"[{codes}]" if codes else "(?!)")
    return re.compile("".join(classes))


def starts_with(value: str, text: str) -> bool:
    """`text` begins with what was typed: its characters, or its pinyin initials (顾村镇 for
    gcz), so a picker puts those names first, before a name that holds them further in."""
    if _folded(text).startswith(_folded(value)):
        return True
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    if _is_initials(value) and not text.isascii():
        code = initials_code(text)  # first: it may make the code of a set the pattern needs
        return _initials_pattern(value.lower(), len(_SET_CODES)).match(code) is not None
    return False


def text_matches(value: str, text: str | None) -> bool:
    """Substring match (case-insensitive, spaces ignored), or pinyin initials."""
    if not text:
        return False
    if _folded(value) in _folded(text):
        return True
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)  # ＦＧＷ, typed with the input method still on
    if _is_initials(value) and not text.isascii():
        code = initials_code(text)
        return _initials_pattern(value.lower(), len(_SET_CODES)).search(code) is not None
    return False
