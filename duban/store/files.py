"""Reading a file's bytes cheaply, and replacing a file whole: a temporary file in the same
folder, then a rename, so a reader sees the old bytes or the new ones, never half of each.
Used for task files and caches; imports nothing heavy, so a warm start needs no YAML module."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

# A task file is about 1 KB; a file this large is a mistake or an attack, not a task.
MAX_FILE_BYTES = 2 * 1024 * 1024


def read_bytes(path: str) -> bytes:
    """A file's bytes by plain system calls: for 10,000 task files, half the time of
    open().read(), which sets up a buffered reader per file. OSError as open() raises it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, 16384)  # a task file is about 1 KB
        if len(data) == 16384:
            chunks = [data]
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
                if sum(map(len, chunks)) > MAX_FILE_BYTES:
                    break  # enough to say it is too large
            data = b"".join(chunks)
    finally:
        os.close(fd)
    return data


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
        try:  # keep the file's own mode (a file made read-only on purpose stays so)
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
