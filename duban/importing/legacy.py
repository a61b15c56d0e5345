"""Older office formats (.doc, .xls, WPS's .wps and .et, OpenDocument) read by converting a
copy with LibreOffice to .docx or .xlsx, then reading that as usual. The plan's source stays
the file the office gave: its name and bytes, not the converted copy's."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from duban.errors import DubanError
from duban.i18n import _
from duban.importing.source import LEGACY_OFFICE, Document

CONVERT_TIMEOUT = float(os.environ.get("DUBAN_CONVERT_TIMEOUT", "180"))  # seconds; a first start is slow


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_converted(path: Path) -> Document:
    # Deferred: loads duban.importing.office only when this runs
    from duban.importing import office

    program = soffice()
    target = LEGACY_OFFICE[path.suffix.lower()]
    if program is None:
        raise DubanError(
            _("{path}: a {kind} file is read through LibreOffice, which is not installed").format(
                path=path, kind=path.suffix.lower()
            ),
            hint=_("install LibreOffice, or save the file from Word, Excel or WPS as .{target}").format(target=target),
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DubanError(
            _("{path}: cannot read the document: {reason}").format(path=path, reason=error.strerror)
        ) from None
    with tempfile.TemporaryDirectory(prefix="duban-convert-") as work:
        folder = Path(work)
        copy = folder / ("source" + path.suffix.lower())  # an ASCII name: no locale trouble in soffice
        copy.write_bytes(raw)
        # Its own profile, so a LibreOffice the user has open does not swallow the request.
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(copy),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise DubanError(
                _("{path}: LibreOffice did not convert it within {seconds:g} s").format(
                    path=path, seconds=CONVERT_TIMEOUT
                ),
                hint=_("save it as .{target} and import that").format(target=target),
            ) from None
        converted = folder / "out" / f"source.{target}"
        if not converted.is_file():
            raise DubanError(
                _("{path}: LibreOffice could not read this file").format(path=path),
                hint=_("open it in Word, Excel or WPS and save it as .{target}").format(target=target),
            )
        document = office.read_xlsx(converted) if target == "xlsx" else office.read_docx(converted)
    return dataclasses.replace(
        document, name=path.name, raw=raw, encoding=f"{path.suffix.lower().lstrip('.')} via {target}"
    )
