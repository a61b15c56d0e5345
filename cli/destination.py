"""Where a command writes: the format a file's name says, refused at the door where it and
--format disagree, and standard output for `-o -` or no -o."""

from __future__ import annotations

from pathlib import Path

from duban.errors import DubanError
from duban.i18n import _

FORMAT_OF_SUFFIX = {
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}
BINARY_FORMATS = ("docx", "xlsx")


def chosen_format(given: str | None, output: Path | None, choices: tuple[str, ...], default: str | None) -> str:
    """--format, or the format the file's name says; refused at the door when the two disagree
    (Markdown written into 通报.docx cannot be opened by Word) or a binary format would go to
    standard output (`-o -` or no -o)."""
    # Deferred: loads duban.errors only when this runs

    if output is not None and output.suffix.lower() == ".pdf":
        raise DubanError(
            _("duban does not write PDF: {path}").format(path=output),
            hint=_("write .{first}, then save it as PDF from Word, WPS or LibreOffice").format(
                first="docx" if "docx" in choices else choices[0]
            ),
        )
    named = FORMAT_OF_SUFFIX.get(output.suffix.lower()) if output is not None else None
    if named is not None and named not in choices:
        named = None
    if given is not None and named is not None and given != named:
        raise DubanError(
            _("--format {format} does not match the file name {path} ({named})").format(
                format=given, path=output, named=named
            ),
            hint=_("drop --format, or name the file .{format}").format(format=given),
        )
    # The default is for standard output only: a file named 通报 or x.pdf would get Markdown
    # that nothing opens by that name.
    fmt = given or named or (default if output is None else None)
    if fmt is None and output is None:
        shown = [choice for choice in choices if choice not in BINARY_FORMATS]
        raise DubanError(
            _("which format for standard output?"), hint=_("add --format ({choices})").format(choices=", ".join(shown))
        )
    if fmt is None:
        raise DubanError(
            _("which format? {path} does not say").format(path=output),
            hint=_("add --format ({choices}), or name the file .{first}").format(
                choices=", ".join(choices), first=choices[0]
            ),
        )
    if fmt in BINARY_FORMATS and output is None:
        raise DubanError(
            _("a .{format} file cannot go to standard output").format(format=fmt),
            hint=_("add -o FILE.{format}").format(format=fmt),
        )
    return fmt


def output_file(output: Path | None) -> Path | None:
    """The file -o names; None for standard output (no -o, or `-o -`)."""
    return None if output is None or str(output) == "-" else output


def output_folder(path: Path) -> None:
    """Refuse an output path whose folder does not exist, in one line rather than a crash."""
    # Deferred: loads duban.errors only when this runs

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DubanError(
            _("folder {folder} does not exist").format(folder=folder),
            hint=_("create it first, or write to an existing folder"),
        )
