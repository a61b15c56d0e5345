"""Writing a cache file: whole or not at all, and never an error (a cache is only a shortcut)."""

from __future__ import annotations

from pathlib import Path

from duban.store.files import checksummed, replace_file


def write_atomically(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` and its digest (files.checksummed: a cache file whose bytes
    changed is rebuilt, never served); False when it cannot be written (a read-only repository
    just goes without the cache)."""
    try:
        path.parent.mkdir(exist_ok=True)
        replace_file(path, checksummed(data), durable=False)
    except OSError:
        return False
    return True
