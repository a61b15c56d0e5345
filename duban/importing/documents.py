"""Any source document read into numbered lines, by its kind: a text file (UTF-8 or GB18030,
duban.importing.source), a .docx or .xlsx (office), or an older office format converted by
LibreOffice (legacy). Above all three, so none of them imports another's reader back."""

from __future__ import annotations

from pathlib import Path

from duban.errors import DubanError
from duban.i18n import _
from duban.importing import legacy, office
from duban.importing.source import LEGACY_OFFICE, Document, decode_document, document_from_text


def read_document(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".docx"):
        return office.read_xlsx(path) if suffix != ".docx" else office.read_docx(path)
    if suffix in LEGACY_OFFICE:
        return legacy.read_converted(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DubanError(
            _("{path}: cannot read the document: {reason}").format(path=path, reason=error.strerror)
        ) from None
    if b"\x00" in data[:4096]:
        raise DubanError(
            _("{path}: this is a binary file, not a text document").format(path=path),
            hint=_("import .txt, .docx or .xlsx files (.doc, .xls, .wps and .et with LibreOffice installed)"),
        )
    text, encoding = decode_document(data, str(path))
    return document_from_text(text, path.name, encoding, data)
