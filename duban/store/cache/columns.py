"""How a plan's snapshot keeps its tasks: Task.as_row's fields by position, the small ones a
column each, every row whole beside them (snapshot.py writes the file)."""

from __future__ import annotations

import marshal
from typing import Any

# A task as Task.as_row gives it: its fields in the order of ROW, each whatever marshal keeps
# (strings, lists, tuples of reports).
Row = tuple[Any, ...]

# Task.as_row's fields, by position. The small ones a query or a list row reads are a column
# each (with each file's name and digest); a task is built from its whole row, kept as its
# own blob (snapshot.py), so a query that matches 600 of 10,000 tasks unpacks 600 rows.
ROW = (
    "id",
    "title",
    "text",
    "area",
    "status",
    "section",
    "category",
    "parent",
    "lead",
    "support",
    "type",
    "milestones",
    "due",
    "indicators",
    "progress",
    "source",
)
REST_FIELDS = ("text", "milestones", "indicators", "source")  # read from the row, not a column
COLUMN_AT = {name: at for at, name in enumerate(ROW) if name not in REST_FIELDS}
NAMES, DIGESTS = "file names", "file digests"


def packed(tag: bytes, key: bytes, rows: list[Row], names: list[str], digests: list[bytes] | None) -> bytes:
    """A snapshot file's bytes: the columns of `rows`, each file's name and digest, the rows."""
    # Deferred: loads duban.store.snapshot (2 duban modules in all) only when this runs
    from duban.store.snapshot import pack

    columns: dict[str, list[Any]] = {name: [row[at] for row in rows] for name, at in COLUMN_AT.items()}
    columns[NAMES] = list(names)
    columns[DIGESTS] = list(digests) if digests is not None else [None] * len(rows)
    return pack(tag, key, columns, [marshal.dumps(row) for row in rows])
