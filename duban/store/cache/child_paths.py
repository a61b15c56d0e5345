"""Building the paths of thousands of files in one folder without pathlib parsing each again."""

from __future__ import annotations

import os
from pathlib import Path


def children(folder: Path, names: list[str]) -> list[Path]:
    """`folder / name` for each name (a file name, or a relative path such as
    plans/P/tasks/1.yaml). pathlib parses every joined path again, 5 µs a path, half the time
    of building 10,000 tasks from a snapshot. Where this Python's pathlib builds a path from
    parts it already parsed (CPython 3.11's `_from_parsed_parts`), that is used for names of
    plain parts, once it has given the same path as `/` does; else `/`."""
    make = getattr(type(folder), "_from_parsed_parts", None)
    parts = getattr(folder, "_parts", None)
    drive, root = getattr(folder, "_drv", None), getattr(folder, "_root", None)

    def plain_parts(name: str) -> list[str] | None:
        split = name.split("/")
        return None if os.sep != "/" or any(part in ("", ".", "..") for part in split) else split

    try:
        first = plain_parts(names[0]) if names else None
        if (
            first is None
            or make is None
            or not isinstance(parts, list)
            or str(make(drive, root, [*parts, *first])) != str(folder / names[0])
        ):
            raise TypeError
    except (TypeError, AttributeError, ValueError):  # another pathlib: its own way
        return [folder / name for name in names]
    built = []
    for name in names:
        split = plain_parts(name) if "/" in name or name in ("", ".", "..") else [name]
        built.append(make(drive, root, [*parts, *split]) if split is not None else folder / name)
    return built
