"""Reading a file's bytes cheaply, and replacing a file whole: a temporary file in the same
folder, then a rename, so a reader sees the old bytes or the new ones, never half of each.
Used for task files and caches; imports nothing heavy, so a warm start needs no YAML module."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from duban.system import NO_WAIT

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


def read_regular(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes, only when it is a regular file: a FIFO, a device or a socket put where a
    cache file was is never read (a FIFO would wait for a writer forever). OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | NO_WAIT)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


_CHECK = b"DUBANSUM"


def checksummed(data: bytes) -> bytes:
    """`data` followed by a digest of it, for a cache file: read_checked gives `data` back only
    when every byte is as written."""
    # Deferred: loads hashlib only when this runs
    import hashlib

    return data + _CHECK + hashlib.blake2b(data, digest_size=16).digest()


def read_checked(path: str | os.PathLike[str]) -> bytes:
    """What checksummed() wrote to `path`; ValueError when a byte changed or the file is not
    one it wrote, OSError when it cannot be read or is not a regular file."""
    # Deferred: loads hashlib only when this runs
    import hashlib

    data = read_regular(path)
    size = len(_CHECK) + 16
    if (
        len(data) < size
        or data[-size:-16] != _CHECK
        or hashlib.blake2b(memoryview(data)[:-size], digest_size=16).digest() != data[-16:]
    ):
        raise ValueError(f"{path}: damaged or foreign cache file")
    return data[:-size]


def replace_file(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` through a temporary file and a rename. `durable` syncs the data
    to disk first (a task file; a cache can be rebuilt). Raises OSError, leaving the old file
    and no temporary file behind."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:  # the folder cannot hold it: say the file meant, not a random name
        raise OSError(error.errno, error.strerror, str(path)) from error
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
    except OSError as error:
        if os.path.exists(temporary):
            os.unlink(temporary)
        if error.filename is None:  # a full disk says so on write(): name the file meant (N10)
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_output(path: Path, data: bytes) -> None:
    """Write a document the user asked for (-o FILE): a regular file (or none yet) is replaced
    whole, as replace_file does; a symlink writes to what it points at, and a FIFO, a device
    or a socket is written into, as the shell's `>` would, never replaced by a regular file
    (a root's `-o /dev/stdout` would otherwise replace the system's own)."""
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    if stat.S_ISREG(mode):
        replace_file(target, data)
        return
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    with open(target, "wb") as stream:
        stream.write(data)
