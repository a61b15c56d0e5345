"""Chinese-aware text matching: full-width forms as their ASCII twins, spacing ignored, and
pinyin initials (fgw finds 发改委; every reading of a character counts: 长 is c or z)."""
from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from duban.model import normalise_unit_name

T = TypeVar("T")

# What a Chinese input method types, read as the ASCII the grammar uses (one character for
# one, so columns stay right).
FULL_WIDTH = str.maketrans({"：": ":", "（": "(", "）": ")", "＜": "<", "＞": ">", "＝": "=", "！": "!",
                            "－": "-", "\u3000": " ", "“": '"', "”": '"', "＂": '"'})


# ---- pinyin initials -------------------------------------------------------------

def _is_initials(value: str) -> bool:
    return value.isascii() and value.isalpha()


@functools.cache
def _initials_table() -> dict[int, str]:
    """{code point: its readings' initials, the common reading's first}, built from pypinyin by
    scripts/build_initials.py.

    Loading it takes about 5 ms; importing pypinyin for the same answer took 0.25 s.
    """
    import marshal
    from importlib import resources

    return marshal.loads(resources.files("duban.text").joinpath("pinyin_initials.marshal").read_bytes())


def common_initials(text: str) -> str:
    """Each character's initial in its common reading (体育局: tyj, not the rare bèn or cuì)."""
    table = _initials_table()
    return "".join((table.get(ord(char)) or char.lower())[0] for char in text if not char.isspace())


def prefer_common_readings(letters: str, found: list[T], names_of: Callable[[T], Iterable[str]],
                           whole: bool = False) -> list[T]:
    """Of several things pinyin initials matched, those the common readings spell (czj is
    财政局, not also 体育局 by 体's rare reading cuì), when any are; else all of them. With
    `whole`, the letters spell a whole name, else a part of one."""
    if len(found) < 2:
        return found
    wanted = letters.lower()
    common = [item for item in found if any(
        (common_initials(n) == wanted) if whole else (wanted in common_initials(n)) for n in names_of(item))]
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
