#!/usr/bin/env python3
"""Compile duban/locale/*/LC_MESSAGES/duban.po into duban.mo (what msgfmt does), so no
gettext tools are needed: `python scripts/compile_catalog.py`. A test checks the .mo is current."""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "duban" / "locale"


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr; multi-line strings joined; the header entry kept under ''.

    A plural entry is keyed "singular\0plural" with its forms joined by "\0", and an entry with
    a context "context\x04msgid", as in a .mo file.
    """
    entries: dict[str, str] = {}
    key: str | None = None
    current: dict[str, str] = {}

    def finish() -> None:
        msgid = current.get("msgid")
        if msgid is None:
            return
        if "msgctxt" in current:
            msgid = current["msgctxt"] + "\x04" + msgid
        if "msgid_plural" in current:
            forms = [current[k] for k in sorted(k for k in current if k.startswith("msgstr["))]
            entries[msgid + "\0" + current["msgid_plural"]] = "\0".join(forms)
        elif "msgstr" in current:
            entries[msgid] = current["msgstr"]
        current.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith(("msgctxt ", "msgid ")) and any(k.startswith("msgstr") for k in current):
            finish()  # entries need no blank line between them
        if not line or line.startswith("#"):
            continue
        if line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    finish()
    return entries


def mo_bytes(entries: dict[str, str]) -> bytes:
    """The GNU .mo format: header, sorted key and value tables, then the strings."""
    keys = sorted(entries)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(entries[k].encode() + b"\0" for k in keys)
    start = 7 * 4 + 16 * len(keys)
    key_table, value_table = [], []
    offset = 0
    for k in keys:
        key_table += [len(k.encode()), start + offset]
        offset += len(k.encode()) + 1
    offset = 0
    for k in keys:
        value_table += [len(entries[k].encode()), start + len(ids) + offset]
        offset += len(entries[k].encode()) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    return (
        header
        + struct.pack(f"{len(key_table)}i", *key_table)
        + struct.pack(f"{len(value_table)}i", *value_table)
        + ids
        + strs
    )


def compile_all() -> list[Path]:
    written = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(mo_bytes(parse_po(po.read_text(encoding="utf-8"))))
        written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(f"wrote {path}", file=sys.stderr)
