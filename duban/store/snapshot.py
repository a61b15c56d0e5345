"""The file a plan snapshot is kept in (cache.TaskIndex): sections read one by one, so that a
query reads the columns it asks about and the rows of the tasks it matches, not the file.

Layout: 8 bytes of magic, the header's length (8 bytes, little-endian), the header (marshal:
tag, key, task count, {section: (offset, length)}), then the sections. Each column is a
marshal list; `rows` is each task's marshal blob one after the other, and `row_ends` where
each ends (little-endian 8-byte integers). Reading all of a 10,000-task snapshot took 17 ms
of a 0.19 s `duban list lead:fgw`; its lead column, file names and 632 rows take about 8.

The file object stays open while the snapshot is used: a snapshot written meanwhile by
another duban replaces the file by a rename, which leaves this one's bytes as they were, so
a row read later is from the same snapshot as the header (on systems that refuse to rename
over an open file, that writer keeps the old snapshot, which is only ever a shortcut).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import struct
import sys
import threading
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from duban.system import NO_WAIT

MAGIC = b"DUBANSN4"  # 4: every section and row checked against a digest in the header
_LENGTH = struct.Struct("<Q")
_ROWS, _ROW_ENDS, _ROW_SUMS = "rows", "row_ends", "row_sums"
_ROW_SUM = 8  # bytes of each row's digest: a changed byte is caught, not a forger (the cache is this clone's)


def _sum(data: bytes | memoryview, size: int = 16) -> bytes:
    return hashlib.blake2b(data, digest_size=size).digest()


_SWAP = sys.byteorder != "little"  # row_ends are stored little-endian
_READ_COST = 4096  # bytes of a large read that cost about what one small read does


class BadSnapshot(ValueError):
    """A snapshot file that is not one this version wrote, or that does not read back."""


def pack(tag: bytes, key: bytes, columns: dict[str, list[Any]], row_blobs: Sequence[bytes]) -> bytes:
    """The file's bytes: `columns` (name -> one value per task, marshal can store them) and
    each task's row as a marshal blob."""
    sections = {name: marshal.dumps(values) for name, values in columns.items()}
    ends = array("Q")
    end = 0
    for blob in row_blobs:
        end += len(blob)
        ends.append(end)
    if ends.itemsize != 8:
        raise ValueError("array('Q') is not 8 bytes here")
    if _SWAP:
        ends.byteswap()
    sections[_ROW_ENDS] = ends.tobytes()
    sections[_ROW_SUMS] = b"".join(_sum(blob, _ROW_SUM) for blob in row_blobs)
    sections[_ROWS] = b"".join(row_blobs)
    places, offset = {}, 0
    for name, data in sections.items():
        places[name] = (offset, len(data), _sum(data))
        offset += len(data)
    header = marshal.dumps((tag, key, len(row_blobs), places))
    return b"".join((MAGIC, _LENGTH.pack(len(header)), header, *sections.values()))


class SnapshotFile:
    """An open snapshot: its tag, key and count read, its sections on demand."""

    def __init__(self, path: Path) -> None:
        """Raises OSError when it cannot be opened, BadSnapshot when it is not a snapshot."""
        # Opened without waiting and only as a regular file: a FIFO put in its place is never
        # waited on, it is not a snapshot (the cache then builds the tasks from their files).
        descriptor = os.open(path, os.O_RDONLY | NO_WAIT)
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise BadSnapshot(path)
        self._file: BinaryIO = os.fdopen(descriptor, "rb")  # kept open: see the module's text
        self._lock = threading.Lock()
        try:
            start = self._file.read(len(MAGIC) + _LENGTH.size)
            if len(start) != len(MAGIC) + _LENGTH.size or not start.startswith(MAGIC):
                raise BadSnapshot(path)
            (length,) = _LENGTH.unpack_from(start, len(MAGIC))
            header = self._file.read(length)
            self._data_at = len(start) + length
            tag, key, count, places = marshal.loads(header)
            if not (
                isinstance(tag, bytes)
                and isinstance(key, bytes)
                and isinstance(count, int)
                and isinstance(places, dict)
                and _ROWS in places
                and _ROW_ENDS in places
                and _ROW_SUMS in places
                and all(isinstance(p, tuple) and len(p) == 3 for p in places.values())
            ):
                raise BadSnapshot(path)
        except (EOFError, ValueError, TypeError, struct.error) as error:
            self._file.close()
            raise BadSnapshot(path) from error
        except BaseException:
            self._file.close()
            raise
        self.tag, self.key, self.count = tag, key, count
        self._places: dict[str, tuple[int, int, bytes]] = places
        self._ends: array[int] | None = None
        self._row_sums: bytes | None = None

    def close(self) -> None:
        self._file.close()

    def __del__(self) -> None:
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()

    def _read(self, offset: int, length: int) -> bytes:
        if not (0 <= offset and 0 <= length < 1 << 40):
            raise BadSnapshot("a section out of place")
        with self._lock:  # the TUI's workers share a snapshot
            self._file.seek(self._data_at + offset)
            data = self._file.read(length)
        if len(data) != length:
            raise BadSnapshot("short read")
        return data

    def _section(self, name: str) -> bytes:
        """A whole section, checked against its digest: one changed byte is BadSnapshot."""
        offset, length, digest = self._places[name]
        data = self._read(offset, length)
        if _sum(data) != digest:
            raise BadSnapshot(f"{name}: a changed byte")
        return data

    def column(self, name: str) -> list[Any]:
        """A column's values, one per task; BadSnapshot when it does not read back as that."""
        if name not in self._places or name in (_ROWS, _ROW_ENDS, _ROW_SUMS):
            raise BadSnapshot(name)
        try:
            values = marshal.loads(self._section(name))
        except (OSError, EOFError, ValueError, TypeError) as error:
            raise BadSnapshot(name) from error
        if not isinstance(values, list) or len(values) != self.count:
            raise BadSnapshot(name)
        return values

    def _row_ends(self) -> array[int]:
        if self._ends is None:
            try:
                ends = array("Q", self._section(_ROW_ENDS))
            except (OSError, ValueError) as error:
                raise BadSnapshot(_ROW_ENDS) from error
            if _SWAP:
                ends.byteswap()
            if len(ends) != self.count or (self.count and ends[-1] != self._places[_ROWS][1]):
                raise BadSnapshot(_ROW_ENDS)
            self._ends = ends
        return self._ends

    def _span(self, at: int) -> tuple[int, int]:
        """Where task `at`'s row lies in the rows section; BadSnapshot when the ends say nonsense."""
        ends = self._row_ends()
        start = ends[at - 1] if at else 0
        if not start <= ends[at] <= ends[-1]:
            raise BadSnapshot(_ROW_ENDS)
        return start, ends[at]

    def row(self, at: int) -> Any:
        """Task `at`'s row as stored (cache checks its shape), checked against its digest."""
        start, end = self._span(at)
        try:
            if self._row_sums is None:
                self._row_sums = self._section(_ROW_SUMS)
            data = self._read(self._places[_ROWS][0] + start, end - start)
            if _sum(data, _ROW_SUM) != self._row_sums[at * _ROW_SUM : (at + 1) * _ROW_SUM]:
                raise BadSnapshot(f"{_ROWS}: a changed byte")
            return marshal.loads(data)
        except (OSError, EOFError, ValueError, TypeError) as error:
            raise BadSnapshot(_ROWS) from error

    def rows_at(self, positions: list[int]) -> list[Any]:
        """The rows of tasks at `positions`, in that order: each read alone, or the rows
        section read once when that is less (a small read costs about what 4 KB more of a
        large one does: 632 rows of 10,000 are read alone, 2,000 of them at once)."""
        if len(positions) * _READ_COST <= self._places[_ROWS][1]:
            return [self.row(at) for at in positions]
        return self._from_section(positions)

    def rows(self) -> list[Any]:
        """Every task's row, in order: one read."""
        return self._from_section(range(self.count))

    def _from_section(self, positions: Iterable[int]) -> list[Any]:
        try:
            data = memoryview(self._section(_ROWS))
            found = []
            for at in positions:
                start, end = self._span(at)
                found.append(marshal.loads(data[start:end]))
        except (OSError, EOFError, ValueError, TypeError) as error:
            raise BadSnapshot(_ROWS) from error
        return found
