"""Reading a source document: text lines with their numbers, from UTF-8 or GB18030."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from duban.errors import DubanError
from duban.i18n import _


# Word, Excel, WPS and OpenDocument files duban reads through LibreOffice (as .docx or .xlsx)
LEGACY_OFFICE = {".doc": "docx", ".wps": "docx", ".rtf": "docx", ".odt": "docx",
                 ".xls": "xlsx", ".et": "xlsx", ".ods": "xlsx"}


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as an editor shows it
    text: str    # stripped of surrounding whitespace
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
    raise DubanError(_("{name}: cannot read the document: it is neither UTF-8 nor GB18030 text").format(name=name),
                     hint=_("save it as UTF-8 text (a .docx or .xlsx can be imported as it is)"))


def read_document(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".docx"):
        from duban.importing import office

        return office.read_xlsx(path) if suffix != ".docx" else office.read_docx(path)
    if suffix in LEGACY_OFFICE:
        from duban.importing import legacy

        return legacy.read_converted(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DubanError(_("{path}: cannot read the document: {reason}").format(
            path=path, reason=error.strerror)) from None
    if b"\x00" in data[:4096]:
        raise DubanError(_("{path}: this is a binary file, not a text document").format(path=path),
                         hint=_("import .txt, .docx or .xlsx files (.doc, .xls, .wps and .et with LibreOffice installed)"))
    text, encoding = decode_document(data, str(path))
    return document_from_text(text, path.name, encoding, data)


def document_from_text(text: str, name: str, encoding: str = "utf-8", raw: bytes | None = None) -> Document:
    # Split on \n only, as editors and `wc -l` count lines; str.splitlines() would also
    # split on \u2028 and other separators that appear inside Chinese paragraphs.
    raw_lines = text.split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    lines = tuple(Line(number, line.rstrip("\r").strip(), line.rstrip("\r"))
                  for number, line in enumerate(raw_lines, start=1))
    return Document(name=name, lines=lines, encoding=encoding,
                    raw=raw if raw is not None else text.encode("utf-8"))
