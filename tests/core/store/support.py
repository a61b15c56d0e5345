"""What the cache tests share: counting the task files duban reads, an edit that keeps a file's
size and mtime, and a file-system clock moved on."""

from __future__ import annotations

import os
from pathlib import Path


def _past_clock(monkeypatch) -> None:
    """As if the file system's clock had moved on since the files were written (in a test
    they are milliseconds old, within a coarse clock's tick, and would only be read again).

    git's look is switched off: it compares ctimes to the second, and the edits these tests
    make next fall in the second the clock pretends is over, which no real edit can (the
    tests of git's look below wait for the second to pass instead)."""
    from duban.store import gitindex
    from duban.store.cache import file_states

    real = file_states.file_system_clock
    monkeypatch.setattr(file_states, "file_system_clock", lambda folder: real(folder) + 10**9 if real(folder) else 0)
    monkeypatch.setattr(gitindex, "start_stat_dirty", lambda root, pathspec: None)


def _counting_reads(monkeypatch) -> list[str]:
    """The task files duban reads from now on (by the loader and by validate)."""
    from duban.store import files, repository
    from duban.validate import validation

    read: list[str] = []

    def counted(path: str) -> bytes:
        read.append(os.path.basename(path))
        return files.read_bytes(path)

    monkeypatch.setattr(repository, "read_bytes", counted)
    monkeypatch.setattr(validation, "read_bytes", counted)
    return read


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` (same bytes long) and put the size and mtime back."""
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text and len(old.encode()) == len(new.encode())
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
