#!/usr/bin/env python3
"""Build duban/text/pinyin_initials.marshal from pypinyin's character table: {code point: initials}.

Loading this table takes about 5 ms; importing pypinyin for the same answer took 0.25 s
(its per-character dict 0.12 s, its phrase dictionaries 0.14 s), which a `duban list lead:fgw`
paid on every run. Every reading of a character counts, its common one first (pypinyin's
order): 长 gives "zc", 体 "tbc". A test checks the table
against pypinyin. Run after upgrading pypinyin: `python scripts/build_initials.py`.
"""
from __future__ import annotations

import marshal
import unicodedata
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "duban" / "text" / "pinyin_initials.marshal"


def initials_table() -> dict[int, str]:
    from pypinyin.pinyin_dict import pinyin_dict

    table = {}
    for code, readings in pinyin_dict.items():
        letters = []
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFKD", reading.strip())
            first = next((c for c in plain if c.isalpha() and c.isascii()), "")
            if first and first.lower() not in letters:
                letters.append(first.lower())
        if letters:
            table[code] = "".join(letters)
    return table


if __name__ == "__main__":
    TARGET.write_bytes(marshal.dumps(initials_table()))
    print(f"wrote {TARGET}")
