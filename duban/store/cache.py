"""A cache of parsed, schema-valid task files, so a second `validate`, `list` or TUI start skips
YAML parsing.

Entries are keyed by a hash of the file's bytes, not by path, size or mtime: an edit, a
checkout or a rebase that leaves equal timestamps (coarse clocks, clock skew) still changes
the key, so a stale task is never served. Which hash a file has is known without reading it
when its stat fields are those of a record taken when it was last read (FileStates, the rule
git's index follows). The cache lives in .git/duban-cache/ (nowhere when there is no .git
folder), is tagged with duban's version and the task schema, and is simply rebuilt when
missing, from another version, or unreadable.
"""
from __future__ import annotations

import contextlib
import importlib.util
import gc
import marshal
import os
import struct
from _thread import get_ident
from pathlib import Path
from typing import Any
from collections.abc import Iterable, Iterator

try:  # hashlib's own import loads OpenSSL (2.5 ms a process), which blake2b does not need
    from _blake2 import blake2b
except ImportError:  # another Python implementation
    from hashlib import blake2b

from duban import __version__
from duban.store.files import checksummed, read_checked, replace_file
from duban.model import Task
from duban.reading import deciding_report, figure_against

_FORMAT = 3  # 2: plan snapshots stored by column; 3: in sections read on demand (snapshot.py)


def digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()


# The modules whose code decides what a file parses to and whether it is valid: a change to
# any of them (an upgrade, or a developer's edit without a new version number) starts every
# cache and verdict afresh, so no verdict outlives the checks that gave it.
# Named as modules, not file names, so a module moved without updating this list fails loudly
# (tests/unit/test_cache.py) instead of silently hashing a name that no longer exists.
_CODE_MODULES = ("duban.store.yamlio", "duban.schemas", "duban.validate.checks", "duban.validate.validation",
                 "duban.model", "duban.store.cache", "duban.store.repository", "duban.record.history",
                 "duban.text.hygiene", "duban.store.snapshot")


def files_key(named_digests: Iterable[tuple[str, bytes]]) -> bytes:
    """A hash of a folder's files by name and content digest, in whatever order they come."""
    return digest(b"\0".join(sorted(name.encode() + b"\0" + key for name, key in named_digests)))


def _schema_bytes(name: str) -> bytes:
    import duban.schema

    try:  # beside the package's own file; importlib.resources costs its readers' imports (zipfile)
        return (Path(duban.schema.__file__ or "").parent / name).read_bytes()
    except OSError:  # installed in a zip
        from importlib import resources

        return resources.files("duban.schema").joinpath(name).read_bytes()


def _tag() -> bytes:
    # Both schemas: plan.yaml documents are cached too, as having passed theirs.
    schema = _schema_bytes("task.schema.json") + b"\0" + _schema_bytes("plan.schema.json")
    code = []
    for name in _CODE_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise RuntimeError(f"the cache tag names {name}, which is not a module: update _CODE_MODULES")
        try:
            code.append(Path(spec.origin).read_bytes())
        except OSError:  # installed without sources: the version number alone tells
            code.append(name.encode())
    return digest(f"{_FORMAT}:{__version__}:".encode() + schema + b"\0".join(code))


class ParseCache:
    """Everything kept in .git/duban-cache/: parsed documents by plan (`slot`), plan snapshots,
    plan.yaml documents, verdicts and stat records."""

    def __init__(self, root: Path) -> None:
        from duban.store.layout import git_folder

        git_dir = git_folder(root)
        self.folder = git_dir / "duban-cache" if git_dir is not None else None
        self._looks: dict[int, Any] = {}  # thread -> the view of its one_look block (None until taken)
        self._ahead: tuple[int, Any] | None = None  # (thread, view) of look_ahead, until a block takes it
        self.path = self.folder / "tasks.marshal" if self.folder is not None else None  # names its neighbours
        self.tag = _tag()
        self._slots: dict[str, ParsedDocuments] = {}
        self._verdicts: list[bytes] | None = None
        self._verdicts_changed = False
        self._states: dict[Path, FileStates] = {}
        self._plans: dict[bytes, Any] | None = None

    def slot(self, plan_id: str) -> ParsedDocuments:
        """The parsed documents of one plan's files (work tree and past dates), loaded on first
        use. One file a plan: a command that reads fifty plans writes each plan's once, not a
        file of every plan's documents fifty times, and a command about one plan loads only
        that plan's (100,000 tasks in 50 plans: 1.6 MB, not 80 MB)."""
        if plan_id not in self._slots:
            path = self.folder / f"tasks-{plan_id}.marshal" if self.folder is not None else None
            self._slots[plan_id] = ParsedDocuments(path, self.tag)
        return self._slots[plan_id]

    def file_states(self, folder: Path) -> FileStates:
        """The stat records of one folder's files, loaded once per cache."""
        if folder not in self._states:
            self._states[folder] = FileStates(self.folder, folder, self.tag, self.git_view)
        return self._states[folder]

    def git_view(self) -> Any:
        """git's look at the index (gitindex.GitView), taken now, or the one this thread's
        one_look block took; None without a .git folder."""
        if self.folder is None:
            return None
        from duban.store.gitindex import GitView

        thread = get_ident()
        if thread not in self._looks:
            return GitView(self.folder.parent.parent)
        if self._looks[thread] is None:
            ahead, self._ahead = self._ahead, None
            self._looks[thread] = ahead[1] if ahead is not None and ahead[0] == thread \
                else GitView(self.folder.parent.parent)
        return self._looks[thread]

    def look_ahead(self, view: Any = None) -> None:
        """Start git's look now (or take `view`, a gitindex.GitView of this repository started
        already), for this thread's next one_look block to take: a command that only reads
        calls it first, and git (11–14 ms at 10,000 files) runs while the command loads its
        modules and plans. Never before a write: the look must not be older than one."""
        if self.folder is not None and self._ahead is None:
            from duban.store.gitindex import GitView

            root = self.folder.parent.parent
            if view is None or view.root != root:
                view = GitView(root)
            self._ahead = (get_ident(), view)

    @contextlib.contextmanager
    def one_look(self) -> Iterator[None]:
        """Within the block, the files of every plan are checked against one look of git's
        (a pass over fifty plans asks git once, not fifty times). Only around reading: a file
        duban writes within the block could be vouched for by the look taken before. The look
        is the thread's own: a TUI worker that records a report and loads again while another
        worker is still loading takes a look after its write."""
        thread = get_ident()
        if thread in self._looks:  # within another such block: its look
            yield
            return
        self._looks[thread] = None
        try:
            yield
        finally:
            self._looks.pop(thread, None)

    # -- snapshots: a whole plan's tasks, ready to build ------------------------------------------
    # Keyed by a hash of every task file's name and bytes (files_key, or git's tree id for a
    # past date), so, as for the entries, an edit is never missed. One snapshot per slot
    # (a plan, or a plan as of a date), the latest; each task is stored as its row and the
    # path of its file relative to the folder the caller names. The rows are stored by
    # column (TaskIndex), so a query reads only the columns it asks about and builds only the
    # tasks it matches.

    def _snapshot_path(self, slot: str) -> Path | None:
        return self.path.with_name(f"plan-{slot}.snapshot") if self.path is not None else None

    def _open_snapshot(self, slot: str) -> Any:
        """The slot's snapshot file, open, when there is one this version wrote; else None."""
        from duban.store.snapshot import BadSnapshot, SnapshotFile

        path = self._snapshot_path(slot)
        if path is None:
            return None
        try:
            snapshot = SnapshotFile(path)
        except (OSError, BadSnapshot):
            return None  # none yet, or not one this version wrote
        if snapshot.tag != self.tag:
            snapshot.close()
            return None
        return snapshot

    def index(self, slot: str, key: bytes, plan_id: str, folder: Path) -> TaskIndex | None:
        """The snapshot stored under `key`, unbuilt; None when there is none."""
        snapshot = self._open_snapshot(slot)
        if snapshot is None:
            return None
        if snapshot.key != key:
            snapshot.close()
            return None
        return TaskIndex(plan_id, folder, snapshot)

    def tasks(self, slot: str, key: bytes, plan_id: str, folder: Path) -> list[Task] | None:
        """The tasks stored under `key`, in the order they were stored; None when there are none."""
        index = self.index(slot, key, plan_id, folder)
        if index is None:
            return None
        with paused_gc():
            try:
                return index.all_tasks()
            except (UnreadableSnapshot, EOFError, ValueError, TypeError):
                return None

    def put_tasks(self, slot: str, key: bytes, tasks: list[Task], names: list[str],
                  digests: list[bytes] | None = None) -> None:
        """Store a snapshot; `digests`, the digest of each task's file in the same order, lets
        a later change of a few files patch it (patched_index) instead of building every task."""
        path = self._snapshot_path(slot)
        if path is not None:
            _write_atomically(path, _packed(self.tag, key, [task.as_row() for task in tasks], names, digests))
            with contextlib.suppress(OSError):  # the one format 2 wrote, left by an older duban
                path.with_suffix(".marshal").unlink(missing_ok=True)

    def patched_index(self, slot: str, key: bytes, plan_id: str, folder: Path, digests: dict[str, bytes],
                      row_of: Any) -> TaskIndex | None:
        """The slot's stored snapshot with the row of each file whose digest (`digests`: file
        name -> digest now) differs from the one it was stored with replaced by row_of(name) (a
        Task.as_row, or None when the file does not load), stored under `key`; None when there
        is no snapshot of the same file names, more than a few changed, or a row cannot be had.
        A row is kept only where the file's digest is the one its row was built from."""
        snapshot = self._open_snapshot(slot)
        if snapshot is None:
            return None
        with paused_gc():
            try:
                stored = TaskIndex(plan_id, folder, snapshot)
                names, stored_digests = stored.names, stored.column(_DIGESTS)
                if len(names) != len(digests) or not digests.keys() >= set(names) \
                        or not all(isinstance(digest, bytes) for digest in stored_digests):
                    return None
                changed = [at for at, (name, old) in enumerate(zip(names, stored_digests)) if digests[name] != old]
                if not changed or len(changed) > max(16, len(names) // 8):
                    return None  # then building every task costs about the same
                patch = {at: row_of(names[at]) for at in changed}
                if any(row is None for row in patch.values()):
                    return None
                rows = stored.all_rows()
                for at, row in patch.items():
                    rows[at] = row
            except (UnreadableSnapshot, EOFError, ValueError, TypeError):
                return None
            finally:
                snapshot.close()
        path = self._snapshot_path(slot)
        assert path is not None
        if not _write_atomically(path, _packed(self.tag, key, rows, names, [digests[name] for name in names])):
            return None
        return self.index(slot, key, plan_id, folder)

    def log_file(self, name: str) -> Path | None:
        """Where gitstore.path_log keeps the log of the paths `name` names (no folder: none)."""
        if self.folder is None:
            return None
        try:
            self.folder.mkdir(exist_ok=True)
        except OSError:
            return None
        return self.folder / f"log-{digest(name.encode()).hex()[:16]}.marshal"

    # -- plan documents: plan.yaml files that loaded and passed their schema ----------------------
    # Keyed by a digest of the file's bytes, like the entries; kept apart because they are few
    # and every command needs one, so a warm start neither parses YAML nor imports the schema.

    def _plans_path(self) -> Path | None:
        return self.path.with_name("plans.marshal") if self.path is not None else None

    def _plan_documents(self) -> dict[bytes, Any]:
        if self._plans is None:
            self._plans = {}
            path = self._plans_path()
            try:
                tag, documents = marshal.loads(read_checked(path)) if path is not None else (None, None)
                if tag == self.tag and isinstance(documents, dict):
                    self._plans = documents
            except (OSError, EOFError, ValueError, TypeError):
                pass
        return self._plans

    def plan_document(self, key: bytes) -> dict[str, Any] | None:
        return self._plan_documents().get(key)

    def put_plan_document(self, key: bytes, document: dict[str, Any]) -> None:
        """Remember a schema-valid plan document, written at once (the 256 latest are kept)."""
        documents = self._plan_documents()
        documents.pop(key, None)
        documents[key] = document
        for old in list(documents)[:-256]:
            del documents[old]
        path = self._plans_path()
        if path is not None:
            _write_atomically(path, marshal.dumps((self.tag, documents)))

    # -- verdicts: whole plans a run found clean ------------------------------------------------
    # A verdict is a hash of plan.yaml and of every task file's name and bytes. It lets a
    # `validate` of an unchanged plan skip loading the parse cache and the checks, while still
    # reading and hashing every file. Kept in a small file of its own: the 1,024 latest (a
    # provincial office follows hundreds of plans; 16 bytes each).

    @property
    def _verdicts_path(self) -> Path | None:
        return self.path.with_name("clean-plans") if self.path is not None else None

    def _load_verdicts(self) -> list[bytes]:
        if self._verdicts is None:
            self._verdicts = []
            path = self._verdicts_path
            try:
                data = read_checked(path) if path is not None else b""
            except (OSError, ValueError):
                data = b""
            if data[: len(self.tag)] == self.tag:  # another version's verdicts are ignored
                body = data[len(self.tag):]
                self._verdicts = [body[i: i + 16] for i in range(0, len(body) - 15, 16)]
        return self._verdicts

    def has_verdict(self, verdict: bytes) -> bool:
        return verdict in self._load_verdicts()

    def add_verdict(self, verdict: bytes) -> None:
        verdicts = self._load_verdicts()
        if verdict not in verdicts:
            verdicts.append(verdict)
            del verdicts[:-1024]
            self._verdicts_changed = True

    def save(self) -> None:
        self._save_verdicts()
        for documents in self._slots.values():
            documents.save()
        for states in self._states.values():
            states.save()

    def _save_verdicts(self) -> None:
        path = self._verdicts_path
        if path is None or not self._verdicts_changed or self._verdicts is None:
            return
        if _write_atomically(path, self.tag + b"".join(self._verdicts)):
            self._verdicts_changed = False


class ParsedDocuments:
    """Parsed, schema-valid task documents of one plan, by digest of the file's bytes."""

    def __init__(self, path: Path | None, tag: bytes) -> None:
        self.path = path
        self.tag = tag
        self._entries: dict[bytes, Any] | None = None  # loaded on first use
        self.used: set[bytes] = set()
        self.changed = False

    @property
    def entries(self) -> dict[bytes, Any]:
        if self._entries is None:
            self._entries = {}
            self._load()
        return self._entries

    def _load(self) -> None:
        # A cache that cannot be read (missing, or a folder without read permission) is empty:
        # it is only ever a shortcut. Path.exists() raises on EACCES, so reading is the test.
        if self.path is None:
            return
        # marshal.loads on the whole file, with the collector paused, loads 10,000 tasks in
        # 0.05 s; marshal.load on a stream with the collector running took 0.21 s.
        with paused_gc():
            try:
                stored = marshal.loads(read_checked(self.path))
                if isinstance(stored, dict) and stored.get("tag") == self.tag \
                        and isinstance(stored.get("entries"), dict):
                    self._entries = stored["entries"]
            except (OSError, EOFError, ValueError, TypeError):
                self._entries = {}  # unreadable or from elsewhere: start again

    def get(self, key: bytes) -> Any:
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: bytes, document: Any) -> None:
        self.entries[key] = document
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """Write atomically when something was added. What this run used is kept first, then
        older entries (other dates, other branches) up to three times as many, so the
        file stays bounded while `list` and `list --as-of` do not evict each other."""
        if self.path is None or not self.changed:
            return
        kept = {key: self.entries[key] for key in self.used if key in self.entries}
        room = max(3 * len(kept), 1000) - len(kept)
        for key, document in self.entries.items():
            if room <= 0:
                break
            if key not in kept:
                kept[key] = document
                room -= 1
        if _write_atomically(self.path, marshal.dumps({"tag": self.tag, "entries": kept})):
            self.changed = False  # saved: a later save() in the same run writes only what is new


# -- the snapshot by column -----------------------------------------------------------------------

# Task.as_row's fields, by position. The small ones a query or a list row reads are a column
# each (with each file's name and digest); a task is built from its whole row, kept as its
# own blob (snapshot.py), so a query that matches 600 of 10,000 tasks unpacks 600 rows.
_ROW = ("id", "title", "text", "area", "status", "section", "category", "parent", "lead", "support", "type",
        "milestones", "due", "indicators", "progress", "source")
_REST_FIELDS = ("text", "milestones", "indicators", "source")  # read from the row, not a column
_COLUMN_AT = {name: at for at, name in enumerate(_ROW) if name not in _REST_FIELDS}
_NAMES, _DIGESTS = "file names", "file digests"


def _packed(tag: bytes, key: bytes, rows: list[tuple[Any, ...]], names: list[str],
            digests: list[bytes] | None) -> bytes:
    from duban.store.snapshot import pack

    columns: dict[str, list[Any]] = {name: [row[at] for row in rows] for name, at in _COLUMN_AT.items()}
    columns[_NAMES] = list(names)
    columns[_DIGESTS] = list(digests) if digests is not None else [None] * len(rows)
    return pack(tag, key, columns, [marshal.dumps(row) for row in rows])


class UnreadableSnapshot(ValueError):
    """A snapshot column that does not load: the snapshot is not used (it is only ever a
    shortcut), and the tasks are built from their files."""


class TaskIndex:
    """One plan's snapshot, its sections read only when asked for. `entries()` gives a
    stand-in for each task that reads its fields from the columns on first use, enough to run
    a query over; `task(i)` builds the real Task of one entry."""

    def __init__(self, plan_id: str, folder: Path, snapshot: Any) -> None:
        self.plan_id = plan_id
        self.folder = folder
        self._snapshot = snapshot  # snapshot.SnapshotFile
        self._columns: dict[str, list[Any]] = {}
        self._rows: dict[int, tuple[Any, ...]] = {}
        self._reports: dict[int, tuple[Any, ...]] = {}
        self._entries: list[IndexedTask] | None = None

    def __len__(self) -> int:
        return int(self._snapshot.count)

    @property
    def names(self) -> list[str]:
        """Each task's file name (or path), in order."""
        names = self.column(_NAMES)
        if not all(type(name) is str for name in names):
            raise UnreadableSnapshot(_NAMES)
        return names

    def column(self, name: str) -> list[Any]:
        found = self._columns.get(name)
        if found is None:
            from duban.store.snapshot import BadSnapshot

            try:
                found = self._columns[name] = self._snapshot.column(name)
            except BadSnapshot:
                raise UnreadableSnapshot(name) from None
        return found

    def all_rows(self) -> list[tuple[Any, ...]]:
        return self._checked_rows(lambda snapshot: snapshot.rows())

    def _rows_at(self, positions: list[int]) -> list[tuple[Any, ...]]:
        """Task.as_row of the entries at `positions`, each unpacked from its blob once."""
        wanted = [at for at in positions if at not in self._rows]
        if wanted:
            self._rows.update(zip(wanted, self._checked_rows(lambda snapshot: snapshot.rows_at(wanted))))
        return [self._rows[at] for at in positions]

    def _checked_rows(self, read: Any) -> list[tuple[Any, ...]]:
        """read(snapshot)'s rows, each a tuple of Task.as_row's fields, else UnreadableSnapshot."""
        from duban.store.snapshot import BadSnapshot

        try:
            rows = read(self._snapshot)
        except (BadSnapshot, IndexError):
            raise UnreadableSnapshot("rows") from None
        if not all(isinstance(row, tuple) and len(row) == len(_ROW) for row in rows):
            raise UnreadableSnapshot("rows")
        return rows

    def value(self, name: str, at: int) -> Any:
        """The field `name` of entry `at`, as Task has it."""
        if name in _COLUMN_AT:
            if name == "progress":
                found = self._reports.get(at)
                if found is None:
                    from duban.model import Report

                    found = self._reports[at] = tuple(Report(*report) for report in self.column("progress")[at])
                return found
            return self.column(name)[at]
        if name in _REST_FIELDS:
            return self._rows_at([at])[0][_ROW.index(name)]
        raise AttributeError(name)

    def entries(self) -> list[IndexedTask]:
        if self._entries is None:
            self._entries = [IndexedTask(self, at) for at in range(len(self))]
        return self._entries

    def fill(self, name: str) -> None:
        """Give every entry its field `name` at once (a query reads the same field of every
        task: one look-up per field and plan, not one per task)."""
        if name in _REST_FIELDS:
            rows = self.all_rows()
            for field_name in _REST_FIELDS:
                field_at = _ROW.index(field_name)
                for entry, row in zip(self.entries(), rows):
                    entry.__dict__[field_name] = row[field_at]
            return
        if name not in _COLUMN_AT:
            raise AttributeError(name)
        values: list[Any] = self.column(name)
        if name == "progress":
            from duban.model import Report

            values = [tuple(Report(*report) for report in reports) for reports in values]
        for entry, value in zip(self.entries(), values):
            entry.__dict__[name] = value

    def task(self, at: int) -> Task:
        return self.tasks_at([at])[0]

    def tasks_at(self, positions: list[int]) -> list[Task]:
        """The real Tasks of the entries at `positions`, in that order."""
        names = self.names
        paths = _children(self.folder, [names[at] for at in positions])
        plan_id, build = self.plan_id, Task.from_row
        return [build(row, plan_id, path) for row, path in zip(self._rows_at(positions), paths)]

    def all_tasks(self) -> list[Task]:
        plan_id, build = self.plan_id, Task.from_row
        return [build(row, plan_id, path) for row, path in zip(self.all_rows(), _children(self.folder, self.names))]


class IndexedTask:
    """A task of a TaskIndex as a query sees it: Task's fields and its ref, latest and
    percent. A field is read from the index when first asked for, for every task of the
    index at once (TaskIndex.fill)."""

    def __init__(self, index: TaskIndex, at: int) -> None:
        self._index = index
        self.at = at
        self.plan_id = index.plan_id

    def __getattr__(self, name: str) -> Any:  # only for a field not yet filled in
        if name.startswith("_"):
            raise AttributeError(name)
        self._index.fill(name)
        return self.__dict__[name]

    @property
    def path(self) -> Path:
        return _children(self._index.folder, [self._index.names[self.at]])[0]

    @property
    def ref(self) -> str:
        return f"{self.plan_id}/{self.id}"

    @property
    def latest(self) -> Any:
        return deciding_report(self.progress, self.lead, figure=figure_against(self.indicators))

    @property
    def percent(self) -> float | None:
        latest = self.latest  # as Task.percent (docs/reading.md rule 2)
        return figure_against(self.indicators)(latest) if latest else None

    def build(self) -> Task:
        return self._index.task(self.at)


def build_tasks(entries: list[IndexedTask]) -> list[Task]:
    """The real Tasks of `entries`, in their order: one pass per index."""
    by_index: dict[int, tuple[TaskIndex, list[int]]] = {}
    for entry in entries:
        by_index.setdefault(id(entry._index), (entry._index, []))[1].append(entry.at)
    built = {(id(index), at): task for index, positions in by_index.values()
             for at, task in zip(positions, index.tasks_at(positions))}
    return [built[(id(entry._index), entry.at)] for entry in entries]


# -- file states: which files changed since they were last read, without reading them -----------

# size, mtime, ctime, inode, device: an edit changes the ctime, whatever it does to the size and
# the mtime (`touch -d`, `cp -p` and `git checkout` set the mtime; none can set the ctime), and
# a file replaced by a rename has another inode.
_STAT = struct.Struct("<qqqQQ")


def _stat_fields(stat: os.stat_result) -> bytes:
    return _STAT.pack(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


class FileStates:
    """For each file of one folder, its stat fields when duban last read it and the digest of
    the bytes it read: a file whose stat fields are unchanged is not read again.

    A record is kept only for a file whose mtime and ctime are both older than the file
    system's clock read before the file was looked at (git's rule for racy entries, with the
    clock read first): an edit made after that moment, in the same clock tick included, gives
    the file a ctime at or after that clock, so no later edit can leave it looking unchanged.
    A file changed within the clock's granularity is simply read again next time. The clock
    is the mtime the file system gives a marker file in the cache folder when touched, the
    clock task files get their timestamps from, whatever its granularity.

    In a git repository the files are not even looked at one by one when git can vouch for
    them (gitindex): a file whose record duban has checked against its index entry (the
    entry records the file's stat fields, and its ctime is in a second before the clock read
    before that check) is taken as its record says while `git diff-files` finds it unchanged
    and its entry is still that one. Any later edit gives the file a ctime in a later second
    than the entry's, which git sees.
    """

    def __init__(self, cache_folder: Path | None, folder: Path, tag: bytes, git_view: Any = None) -> None:
        self.cache_folder = cache_folder
        self.folder = str(folder)
        self.tag = tag
        self.path = cache_folder / f"files-{folder.parent.name}.marshal" if cache_folder is not None else None
        # file name -> stat fields + digest; file name -> the index entry checked against its
        # record (the properties records and entries: unpacked from _body on first use).
        self._records: dict[str, bytes] | None = {}
        self._entries: dict[str, bytes] | None = {}
        self.index_tail: bytes | None = None  # the checksum of the index those entries are from
        self.seen: set[str] = set()
        self.changed = False
        self.all_vouched = False  # set by read_all: every file had a record that vouched for it
        self.git_vouched = 0  # set by read_all: the files taken on git's word, without a stat call
        self.unscanned = False  # set by unchanged_key: the folder was not even scanned
        self._key: bytes | None = None  # files_key of the records, as saved with them
        self._clock: int | None = None  # read once, before the first file this run reads
        self._git_view = git_view
        # The folder's stat fields before a scan that found only plain files, and their names
        # (kept under the records' rule: older than the clock read before the stat). A file
        # added, removed or renamed in the folder changes its mtime and ctime.
        self._listing: tuple[bytes, frozenset[str]] | None = None
        self._listing_clock = 0  # read by folder_stat
        # The records, entries and listed names, packed as saved (unpacked on first use: a
        # `list` whose folder git vouches for needs only the header, 0.6 ms, not 4 at 10,000
        # files); and, from the header, whether every listed file's record has its entry.
        self._body: bytes | None = None
        self._listing_stat: bytes | None = None
        self._complete = False
        self._all_seen = False  # unchanged_key saw every listed name before the body was unpacked
        self._files = 0  # how many records the header says the body holds
        root = str(cache_folder.parent.parent) if cache_folder is not None else None
        # The folder as git names it (plans/P/tasks/), when it lies under the repository's root.
        self._git_prefix = self.folder[len(root) + 1:].replace(os.sep, "/") + "/" \
            if root is not None and self.folder.startswith(root + os.sep) else None
        if self.path is not None:
            try:
                tag_read, folder_read, key, index_tail, listing_stat, complete, files, body = marshal.loads(
                    read_checked(self.path))
                if tag_read == tag and folder_read == self.folder and isinstance(key, bytes) \
                        and isinstance(index_tail, (bytes, type(None))) and isinstance(body, bytes) \
                        and isinstance(listing_stat, (bytes, type(None))) and isinstance(complete, bool) \
                        and isinstance(files, int):
                    self._key, self.index_tail, self._listing_stat, self._complete = key, index_tail, listing_stat, complete
                    self._files = files
                    self._body, self._records, self._entries = body, None, None
            except (OSError, EOFError, ValueError, TypeError):
                pass  # none yet, or unreadable: every file is read

    def _unpack(self) -> None:
        records: dict[str, bytes] = {}
        entries: dict[str, bytes] = {}
        listing = None
        try:
            found = marshal.loads(self._body or b"")
            if isinstance(found, tuple) and len(found) == 3 and isinstance(found[0], dict) \
                    and isinstance(found[1], dict) and isinstance(found[2], (frozenset, type(None))):
                records, entries = found[0], found[1]
                if found[2] is not None and self._listing_stat is not None:
                    listing = (self._listing_stat, found[2])
        except (EOFError, ValueError, TypeError):
            self._key = None  # unreadable: every file is read
        self._records, self._entries, self._listing, self._body = records, entries, listing, None
        if self._all_seen and listing is not None:
            self.seen.update(listing[1])

    @property
    def records(self) -> dict[str, bytes]:
        if self._records is None:
            self._unpack()
        assert self._records is not None
        return self._records

    @property
    def entries(self) -> dict[str, bytes]:
        if self._entries is None:
            self._unpack()
        assert self._entries is not None
        return self._entries

    @entries.setter
    def entries(self, value: dict[str, bytes]) -> None:
        if self._entries is None:
            self._unpack()
        self._entries = value

    @property
    def listing(self) -> tuple[bytes, frozenset[str]] | None:
        if self._records is None:
            self._unpack()
        return self._listing

    @listing.setter
    def listing(self, value: tuple[bytes, frozenset[str]] | None) -> None:
        if self._records is None:
            self._unpack()
        self._listing = value

    def key(self, named_digests: Iterable[tuple[str, bytes]]) -> bytes:
        """files_key of the folder's files, given as (name, digest): the one saved with the
        records when read_all found every file as its record says, else computed."""
        if self.all_vouched and self._key is not None and not self.changed and len(self.seen) == len(self.records):
            return self._key
        return files_key(named_digests)

    def read_all(self, entries: list[Any], read_bytes: Any) -> list[tuple[bytes | None, bytes] | OSError]:
        """For each entry of repository.scan_tasks, in order: (the file's bytes, or None when
        its record vouches for them; their digest), or the OSError that stops it being read.
        One loop, for the 10,000 files a plan can have."""
        view = self._look() if entries else None
        dirty = self._dirty_here(view) if view is not None else None
        records, seen, size, lstat, pack = self.records, self.seen, _STAT.size, os.lstat, _STAT.pack
        cut = len(self.folder) + 1
        if dirty is not None:
            # Nothing git finds changed, every file one whose entry was checked: no loop over stats.
            start = self.folder + os.sep
            names = [entry.path[cut:] for entry in entries]
            if dirty.isdisjoint(names) and self.entries.keys() >= set(names) and records.keys() >= self.entries.keys() \
                    and all(entry.path.startswith(start) for entry in entries):
                seen.update(names)
                self.all_vouched, self.git_vouched = True, len(names)
                return [(None, records[name][size:]) for name in names]
            self._clock = _file_system_clock(self.cache_folder)  # before any file is looked at
        trusted = self.entries.keys() - dirty if dirty is not None else frozenset()
        checked: list[tuple[str, bytes]] = []  # (name, record) of files met as their records say
        found: list[tuple[bytes | None, bytes] | OSError] = []
        vouched = by_git = 0
        for entry in entries:
            path = entry.path
            name = path[cut:] if path[cut - 1] == os.sep and path.startswith(self.folder) else os.path.basename(path)
            seen.add(name)
            try:
                record = records.get(name)
                if record is not None:
                    if name in trusted:
                        found.append((None, record[size:]))
                        vouched += 1
                        by_git += 1
                        continue
                    stat = lstat(path)
                    if record[:size] == pack(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino,
                                             stat.st_dev):
                        found.append((None, record[size:]))
                        vouched += 1
                        if view is not None:
                            checked.append((name, record))
                        continue
                found.append(self._read_again(path, name, read_bytes))
                if view is not None and name in records:
                    checked.append((name, records[name]))
            except OSError as error:
                found.append(error)
        self.all_vouched = vouched == len(entries)
        self.git_vouched = by_git
        if checked and view is not None:
            self._vouch(view, checked)
        return found

    def unchanged_key(self) -> bytes | None:
        """files_key of the folder's files without scanning it or looking at a file: when its
        stat fields are those of the kept listing, git's look finds none of its files changed,
        and every file is one whose index entry was checked; else None (then scan and read_all)."""
        if self._key is None or (self._records is None and not (self._listing_stat and self._complete)):
            return None
        view = self._look()
        dirty = self._dirty_here(view) if view is not None else None
        if dirty is None or dirty:
            return None
        # Asked after git's look, which drops the entries the index no longer holds as checked
        # (and unpacks the records when the index changed since they were saved).
        if self._records is None:
            if self._listing_stat is None:
                return None
            stat_fields = self._listing_stat
        else:
            if not self._every_record_checked():
                return None
            assert self._listing is not None
            stat_fields = self._listing[0]
        try:
            if _stat_fields(os.lstat(self.folder)) != stat_fields:
                return None
        except OSError:
            return None
        if self._records is None:  # still packed: the names are seen when they are unpacked
            self._all_seen = True
        else:
            assert self._listing is not None
            self.seen.update(self._listing[1])
        self.all_vouched, self.git_vouched, self.unscanned = True, self._count(), True
        return self._key

    def _every_record_checked(self) -> bool:
        """Whether the kept listing names exactly the files with records, each with its checked
        git entry (what unchanged_key needs; saved in the header as `complete`)."""
        listing = self._listing
        return listing is not None and bool(self.records) and self.entries.keys() == self.records.keys() == listing[1]

    def _count(self) -> int:
        if self._records is None:
            return self._files
        return len(self._records)

    def folder_stat(self) -> os.stat_result | None:
        """The folder's stat fields, taken before it is scanned (and after the clock is read)."""
        self._listing_clock = _file_system_clock(self.cache_folder)
        try:
            return os.lstat(self.folder)
        except OSError:
            return None

    def keep_listing(self, stat: os.stat_result | None, entries: list[Any]) -> None:
        """Remember the scan `entries` that followed `stat` (folder_stat), when it may vouch for
        a later scan: only plain files, and the folder's times older than the clock."""
        kept, clock = None, self._listing_clock
        if stat is not None and clock and stat.st_mtime_ns < clock and stat.st_ctime_ns < clock \
                and not any(entry.is_link for entry in entries):
            kept = (_stat_fields(stat), frozenset(os.path.basename(entry.path) for entry in entries))
        if kept != self.listing:
            self.listing, self.changed = kept, True

    def _look(self) -> Any:
        """This run's GitView when git can be asked about this folder, else None."""
        if self._git_prefix is None or self._git_view is None:
            return None
        view = self._git_view()
        return view if view is not None and view.usable else None

    def _dirty_here(self, view: Any) -> set[str] | None:
        """The names of this folder's files git's look found changed (or gone); None when the
        index cannot be read (then git vouches for none)."""
        if not self._same_index(view):
            return None
        prefix = self._git_prefix
        assert prefix is not None
        return {path[len(prefix):] for path in view.dirty if path.startswith(prefix)}

    def _same_index(self, view: Any) -> bool:
        """Keep only the checked entries the index still holds as they were; False when the
        index cannot be read (then none is trusted)."""
        if view.tail == self.index_tail:
            return True
        current = view.entries()
        if current is None:
            return False
        prefix = self._git_prefix
        assert prefix is not None
        kept = {name: entry for name, entry in self.entries.items() if current.get(prefix + name) == entry}
        self.entries, self.index_tail, self.changed = kept, view.tail, True
        return True

    def _vouch(self, view: Any, checked: list[tuple[str, bytes]]) -> None:
        """Remember the index entry of each file met as its record says, when the entry records
        the same stat fields and its ctime's second is before the clock's (so any later edit
        changes the second git compares)."""
        from duban.store.gitindex import entry_matches

        if not self._same_index(view):
            return
        current = view.entries() if any(name not in self.entries for name, _record in checked) else None
        if current is None:
            return
        clock_second, prefix = (self._clock or 0) // 10**9, self._git_prefix
        assert prefix is not None
        for name, record in checked:
            size, mtime_ns, ctime_ns, ino, _dev = _STAT.unpack(record[:_STAT.size])
            entry = current.get(prefix + name)
            if name not in self.entries and entry is not None and ctime_ns // 10**9 < clock_second \
                    and mtime_ns // 10**9 < clock_second and entry_matches(entry, size, mtime_ns, ctime_ns, ino):
                self.entries[name] = entry
                self.changed = True

    def _read_again(self, path: str, name: str, read_bytes: Any) -> tuple[bytes, bytes]:
        if self._clock is None:
            self._clock = _file_system_clock(self.cache_folder)
        if self.entries.pop(name, None) is not None:
            self.changed = True  # the entry checked against the record this replaces
        stat = os.lstat(path)  # after the clock: what is read is at least this recent
        data = read_bytes(path)
        key = digest(data)
        if self._clock and stat.st_mtime_ns < self._clock and stat.st_ctime_ns < self._clock:
            self.records[name] = _stat_fields(stat) + key
            self.changed = True
        elif self.records.pop(name, None) is not None:
            self.changed = True
        return data, key

    def save(self) -> None:
        """Write the records when some changed; records of files not met this run are dropped."""
        if self.path is None or self._records is None:
            return  # never unpacked: nothing changed
        gone = self.records.keys() - self.seen
        if gone and self.seen:
            for name in gone:
                del self.records[name]
                self.entries.pop(name, None)
            self.changed = True
        if self.changed:
            self._key = files_key((name, record[_STAT.size:]) for name, record in self.records.items())
            listing = self._listing
            body = marshal.dumps((self.records, self.entries, listing[1] if listing is not None else None))
            if _write_atomically(self.path, marshal.dumps((self.tag, self.folder, self._key, self.index_tail,
                                                           listing[0] if listing is not None else None,
                                                           self._every_record_checked(), len(self.records),
                                                           body))):
                self.changed = False


def _file_system_clock(cache_folder: Path | None) -> int:
    """The file system's time now, as it would stamp a file; 0 when there is no cache folder
    to touch a marker in (then no record is kept)."""
    if cache_folder is None:
        return 0
    marker = cache_folder / "clock"
    try:
        cache_folder.mkdir(exist_ok=True)
        try:
            os.utime(marker)
        except FileNotFoundError:
            marker.touch()
        return os.stat(marker).st_mtime_ns
    except OSError:
        return 0


def _children(folder: Path, names: list[str]) -> list[Path]:
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
        if first is None or make is None or not isinstance(parts, list) or str(
                make(drive, root, [*parts, *first])) != str(folder / names[0]):
            raise TypeError
    except (TypeError, AttributeError, ValueError):  # another pathlib: its own way
        return [folder / name for name in names]
    built = []
    for name in names:
        split = plain_parts(name) if "/" in name or name in ("", ".", "..") else [name]
        built.append(make(drive, root, [*parts, *split]) if split is not None else folder / name)
    return built


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Building thousands of objects that form no cycles: the cyclic collector would only
    rescan them again and again (it cost a third of building 10,000 tasks)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_atomically(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` and its digest (files.checksummed: a cache file whose bytes
    changed is rebuilt, never served); False when it cannot be written (a read-only repository
    just goes without the cache)."""
    try:
        path.parent.mkdir(exist_ok=True)
        replace_file(path, checksummed(data), durable=False)
    except OSError:
        return False
    return True
