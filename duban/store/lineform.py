"""A text file's line endings and byte-order mark, kept when duban writes the file again.

A task file saved on a Windows PC may end its lines in CRLF and start with a UTF-8 BOM. duban
reads and dumps YAML with LF and no BOM; writing that back would change every line of the
file in git's diff for one report (audit N19). A write takes the form of the file it replaces
and gives its new text the same form, so only the lines that changed show as changed.
"""

from __future__ import annotations

from dataclasses import dataclass

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class LineForm:
    bom: bool = False
    newline: str = "\n"

    @classmethod
    def of(cls, data: bytes) -> LineForm:
        """The form of a file's bytes: CRLF when most of its lines end so (a file with mixed
        endings is written all in its usual one)."""
        crlf = data.count(b"\r\n")
        return cls(bom=data.startswith(BOM), newline="\r\n" if crlf > data.count(b"\n") - crlf else "\n")

    def encode(self, text: str) -> bytes:
        """`text` (with LF, CRLF or mixed line ends, with or without a BOM) as bytes in this form."""
        plain = text.removeprefix("\ufeff").replace("\r\n", "\n")
        if self.newline != "\n":
            plain = plain.replace("\n", self.newline)
        return (BOM if self.bom else b"") + plain.encode("utf-8")
