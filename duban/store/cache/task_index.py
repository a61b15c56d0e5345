"""One plan's snapshot read by column: a query runs over stand-ins that read only the fields it
asks about, and only the tasks it matches are built."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duban.model import Report, Task, day_or_none, milestones_of, report_of_row
from duban.store.cache.child_paths import children
from duban.store.cache.columns import COLUMN_AT, NAMES, REST_FIELDS, ROW, Row

if TYPE_CHECKING:
    from duban.store.snapshot import SnapshotFile


class UnreadableSnapshot(ValueError):
    """A snapshot column that does not load: the snapshot is not used (it is only ever a
    shortcut), and the tasks are built from their files."""


class TaskIndex:
    """One plan's snapshot, its sections read only when asked for. `entries()` gives a
    stand-in for each task that reads its fields from the columns on first use, enough to run
    a query over; `task(i)` builds the real Task of one entry."""

    def __init__(self, plan_id: str, folder: Path, snapshot: SnapshotFile) -> None:
        self.plan_id = plan_id
        self.folder = folder
        self._snapshot = snapshot
        self._columns: dict[str, list[Any]] = {}
        self._rows: dict[int, Row] = {}
        self._reports: dict[int, tuple[Report, ...]] = {}
        self._entries: list[IndexedTask] | None = None

    def __len__(self) -> int:
        return int(self._snapshot.count)

    @property
    def names(self) -> list[str]:
        """Each task's file name (or path), in order."""
        names = self.column(NAMES)
        if not all(type(name) is str for name in names):
            raise UnreadableSnapshot(NAMES)
        return names

    def column(self, name: str) -> list[Any]:
        found = self._columns.get(name)
        if found is None:
            # Deferred: loads duban.store.snapshot (2 duban modules in all) only when this runs
            from duban.store.snapshot import BadSnapshot

            try:
                found = self._snapshot.column(name)
            except BadSnapshot:
                raise UnreadableSnapshot(name) from None
            if name == "due":  # kept as text (marshal keeps no dates), a date as Task has it
                try:
                    found = [day_or_none(day) for day in found]
                except (TypeError, ValueError):
                    raise UnreadableSnapshot(name) from None
            self._columns[name] = found
        return found

    def all_rows(self) -> list[Row]:
        return self._checked_rows(lambda snapshot: snapshot.rows())

    def _rows_at(self, positions: list[int]) -> list[Row]:
        """Task.as_row of the entries at `positions`, each unpacked from its blob once."""
        wanted = [at for at in positions if at not in self._rows]
        if wanted:
            self._rows.update(zip(wanted, self._checked_rows(lambda snapshot: snapshot.rows_at(wanted))))
        return [self._rows[at] for at in positions]

    def _checked_rows(self, read: Callable[[SnapshotFile], list[Any]]) -> list[Row]:
        """read(snapshot)'s rows, each a tuple of Task.as_row's fields, else UnreadableSnapshot."""
        # Deferred: loads duban.store.snapshot (2 duban modules in all) only when this runs
        from duban.store.snapshot import BadSnapshot

        try:
            rows = read(self._snapshot)
        except (BadSnapshot, IndexError):
            raise UnreadableSnapshot("rows") from None
        if not all(isinstance(row, tuple) and len(row) == len(ROW) for row in rows):
            raise UnreadableSnapshot("rows")
        return rows

    def value(self, name: str, at: int) -> Any:
        """The field `name` of entry `at`, as Task has it."""
        if name in COLUMN_AT:
            if name == "progress":
                found = self._reports.get(at)
                if found is None:
                    found = self._reports[at] = _reports(self.column("progress")[at])
                return found
            return self.column(name)[at]
        if name in REST_FIELDS:
            return _as_task_has(name, self._rows_at([at])[0][ROW.index(name)])
        raise AttributeError(name)

    def entries(self) -> list[IndexedTask]:
        if self._entries is None:
            self._entries = [IndexedTask(self, at) for at in range(len(self))]
        return self._entries

    def fill(self, name: str) -> None:
        """Give every entry its field `name` at once (a query reads the same field of every
        task: one look-up per field and plan, not one per task)."""
        if name in REST_FIELDS:
            rows = self.all_rows()
            for field_name in REST_FIELDS:
                field_at = ROW.index(field_name)
                for entry, row in zip(self.entries(), rows):
                    entry.__dict__[field_name] = _as_task_has(field_name, row[field_at])
            return
        if name not in COLUMN_AT:
            raise AttributeError(name)
        values: list[Any] = self.column(name)
        if name == "progress":
            values = [_reports(reports) for reports in values]
        for entry, value in zip(self.entries(), values):
            entry.__dict__[name] = value

    def task(self, at: int) -> Task:
        return self.tasks_at([at])[0]

    def tasks_at(self, positions: list[int]) -> list[Task]:
        """The real Tasks of the entries at `positions`, in that order."""
        names = self.names
        paths = children(self.folder, [names[at] for at in positions])
        plan_id, build = self.plan_id, Task.from_row
        return [build(row, plan_id, path) for row, path in zip(self._rows_at(positions), paths)]

    def all_tasks(self) -> list[Task]:
        plan_id, build = self.plan_id, Task.from_row
        return [build(row, plan_id, path) for row, path in zip(self.all_rows(), children(self.folder, self.names))]


def _as_task_has(name: str, value: Any) -> Any:
    """A field of a row as Task has it: the milestones' days are kept as text in the row."""
    return milestones_of(value) if name == "milestones" else value


def _reports(rows: list[Any] | tuple[Any, ...]) -> tuple[Report, ...]:
    """A task's reports from its snapshot rows (their dates kept as text), dates as Report has them."""
    try:
        return tuple(report_of_row(row) for row in rows)
    except (TypeError, ValueError):
        raise UnreadableSnapshot("progress") from None


class IndexedTask:
    """A task of a TaskIndex as a query sees it: Task's fields and its ref, latest and
    percent. A field is read from the index when first asked for, for every task of the
    index at once (TaskIndex.fill)."""

    def __init__(self, index: TaskIndex, at: int) -> None:
        self._index = index
        self.at = at
        self.plan_id = index.plan_id

    def __getattr__(self, name: str) -> Any:  # only for a field not yet filled in: Task's, any type
        if name.startswith("_"):
            raise AttributeError(name)
        self._index.fill(name)
        return self.__dict__[name]

    @property
    def path(self) -> Path:
        return children(self._index.folder, [self._index.names[self.at]])[0]

    # Task's own: it reads only fields an IndexedTask has
    ref = Task.ref

    def build(self) -> Task:
        return self._index.task(self.at)


def build_tasks(entries: list[IndexedTask]) -> list[Task]:
    """The real Tasks of `entries`, in their order: one pass per index."""
    by_index: dict[int, tuple[TaskIndex, list[int]]] = {}
    for entry in entries:
        by_index.setdefault(id(entry._index), (entry._index, []))[1].append(entry.at)
    built = {
        (id(index), at): task
        for index, positions in by_index.values()
        for at, task in zip(positions, index.tasks_at(positions))
    }
    return [built[(id(entry._index), entry.at)] for entry in entries]
