"""Replacing a file whole: a temporary file in the same folder, then a rename, so a reader
sees the old bytes or the new ones, never half of each. Used for task files and caches."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_file(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` through a temporary file and a rename. `durable` syncs the data
    to disk first (a task file; a cache can be rebuilt). Raises OSError, leaving the old file
    and no temporary file behind."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        try:  # a replaced file keeps its mode (a file made read-only on purpose stays so)
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
