"""The snapshot file: what is packed reads back, section by section and row by row, and a
damaged file is refused (BadSnapshot), never read as other rows."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from duban.store.snapshot import BadSnapshot, SnapshotFile, pack

ROWS = [(f"{n}", f"任务{n}", ("发改委",) if n % 3 else (), {"Q2": "过半"} if n % 5 else {}) for n in range(300)]


def packed_file(tmp_path: Path, rows=ROWS) -> Path:
    path = tmp_path / "plan-x.snapshot"
    columns = {"id": [row[0] for row in rows], "lead": [row[2] for row in rows]}
    path.write_bytes(pack(b"tag", b"key", columns, [marshal.dumps(row) for row in rows]))
    return path


def test_what_is_packed_reads_back(tmp_path: Path) -> None:
    snapshot = SnapshotFile(packed_file(tmp_path))
    assert (snapshot.tag, snapshot.key, snapshot.count) == (b"tag", b"key", 300)
    assert snapshot.column("lead") == [row[2] for row in ROWS]
    assert snapshot.rows() == ROWS
    assert [snapshot.row(at) for at in (0, 1, 299)] == [ROWS[0], ROWS[1], ROWS[299]]
    few, many = [299, 0, 7], list(range(299, -1, -3))  # read one by one, and from the section at once
    assert snapshot.rows_at(few) == [ROWS[at] for at in few]
    assert snapshot.rows_at(many) == [ROWS[at] for at in many]


def test_an_empty_plan_packs_and_reads(tmp_path: Path) -> None:
    snapshot = SnapshotFile(packed_file(tmp_path, rows=[]))
    assert snapshot.count == 0 and snapshot.rows() == [] and snapshot.rows_at([]) == []


def test_rows_read_later_are_of_the_snapshot_opened(tmp_path: Path) -> None:
    """Another duban writes a new snapshot (a rename over this one) while this one is read."""
    path = packed_file(tmp_path)
    snapshot = SnapshotFile(path)
    other = tmp_path / "new.snapshot"
    other.write_bytes(pack(b"tag", b"other key", {"id": ["x"]}, [marshal.dumps(("x",))]))
    os.replace(other, path)
    assert snapshot.rows_at(list(range(100))) == ROWS[:100] and snapshot.row(299) == ROWS[299]


def _with_ends(path: Path, ends: list[int]) -> None:
    snapshot = SnapshotFile(path)
    offset, length, _digest = snapshot._places["row_ends"]  # the digest then refuses it too
    data = bytearray(path.read_bytes())
    at = snapshot._data_at + offset
    data[at : at + length] = b"".join(end.to_bytes(8, "little") for end in ends)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["shuffled", "beyond", "zero"])
def test_damaged_row_ends_are_refused(tmp_path: Path, damage: str) -> None:
    path = packed_file(tmp_path)
    ends = list(SnapshotFile(path)._row_ends())
    if damage == "shuffled":
        ends[10], ends[11] = ends[11], ends[10]
    elif damage == "beyond":
        ends[5] = 1 << 62
    else:
        ends[:-1] = [0] * (len(ends) - 1)
    _with_ends(path, ends)
    snapshot = SnapshotFile(path)
    with pytest.raises(BadSnapshot):
        snapshot.rows_at([5, 11] if damage != "zero" else [3])
    with pytest.raises(BadSnapshot):
        snapshot.rows_at(list(range(300)))


@pytest.mark.parametrize("cut", [0, 5, 16, 40, -1])
def test_a_cut_or_foreign_file_is_refused(tmp_path: Path, cut: int) -> None:
    path = packed_file(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[:cut])
    with pytest.raises(BadSnapshot):
        snapshot = SnapshotFile(path)
        snapshot.rows()
        snapshot.column("lead")
    path.write_bytes(b"DUBANSN2" + data[8:])
    with pytest.raises(BadSnapshot):
        SnapshotFile(path)
