"""A source document as text lines with their numbers, decoded from UTF-8 or GB18030 (the reader
for every kind of file is duban.importing.documents)."""

from __future__ import annotations

from dataclasses import dataclass

from duban.errors import DubanError
from duban.i18n import _

# Word, Excel, WPS and OpenDocument files duban reads through LibreOffice (as .docx or .xlsx)
LEGACY_OFFICE = {
    ".doc": "docx",
    ".wps": "docx",
    ".rtf": "docx",
    ".odt": "docx",
    ".xls": "xlsx",
    ".et": "xlsx",
    ".ods": "xlsx",
}


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as an editor shows it
    text: str  # stripped of surrounding whitespace
    raw: str = ""  # as in the file: a line of only a no-break space is an empty table cell
    # A table row read from a spreadsheet or Word table: its cells, exactly as stored.
    cells: tuple[str, ...] | None = None

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True)
class Document:
    name: str
    lines: tuple[Line, ...]
    encoding: str
    raw: bytes


def decode_document(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding: UTF-8 (with or without BOM), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DubanError(
        _("{name}: cannot read the document: it is neither UTF-8 nor GB18030 text").format(name=name),
        hint=_("save it as UTF-8 text (a .docx or .xlsx can be imported as it is)"),
    )


def document_from_text(text: str, name: str, encoding: str = "utf-8", raw: bytes | None = None) -> Document:
    # Split on \n only, as editors and `wc -l` count lines; str.splitlines() would also
    # split on \u2028 and other separators that appear inside Chinese paragraphs.
    raw_lines = text.split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    lines = tuple(
        Line(number, line.rstrip("\r").strip(), line.rstrip("\r")) for number, line in enumerate(raw_lines, start=1)
    )
    return Document(name=name, lines=lines, encoding=encoding, raw=raw if raw is not None else text.encode("utf-8"))
