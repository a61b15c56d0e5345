"""ParseCache: the door to everything kept in .git/duban-cache/, one per Repository."""

from __future__ import annotations

import contextlib
from _thread import get_ident
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duban.memory import paused as paused_gc
from duban.model import Task
from duban.store.cache.columns import DIGESTS, Row, packed
from duban.store.cache.digests import digest
from duban.store.cache.documents import ParsedDocuments, PlanDocuments
from duban.store.cache.file_states import FileStates
from duban.store.cache.storage import write_atomically
from duban.store.cache.tag import cache_tag
from duban.store.cache.task_index import TaskIndex, UnreadableSnapshot
from duban.store.cache.verdicts import Verdicts

if TYPE_CHECKING:
    from duban.store.gitindex import GitView
    from duban.store.snapshot import SnapshotFile


class ParseCache:
    """Everything kept in .git/duban-cache/: parsed documents by plan (`slot`), plan snapshots,
    plan.yaml documents, verdicts and stat records."""

    def __init__(self, root: Path) -> None:
        # Deferred: loads duban.store.layout (2 duban modules in all) only when this runs
        from duban.store.layout import git_folder

        git_dir = git_folder(root)
        self.folder = git_dir / "duban-cache" if git_dir is not None else None
        self._looks: dict[int, GitView | None] = {}  # thread -> the view of its one_look block (None until taken)
        self._ahead: tuple[int, GitView] | None = None  # (thread, view) of look_ahead, until a block takes it
        self.path = self.folder / "tasks.marshal" if self.folder is not None else None  # names its neighbours
        self.tag = cache_tag()
        self._slots: dict[str, ParsedDocuments] = {}
        self._states: dict[Path, FileStates] = {}
        self._verdicts = Verdicts(self.path.with_name("clean-plans") if self.path is not None else None, self.tag)
        self._plans = PlanDocuments(self.path.with_name("plans.marshal") if self.path is not None else None, self.tag)

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

    def git_view(self) -> GitView | None:
        """git's look at the index, taken now, or the one this thread's one_look block took;
        None without a .git folder."""
        if self.folder is None:
            return None
        # Deferred: loads duban.store.gitindex (3 duban modules in all) only when this runs
        from duban.store.gitindex import GitView

        thread = get_ident()
        if thread not in self._looks:
            return GitView(self.folder.parent.parent)
        if self._looks[thread] is None:
            ahead, self._ahead = self._ahead, None
            self._looks[thread] = (
                ahead[1] if ahead is not None and ahead[0] == thread else GitView(self.folder.parent.parent)
            )
        return self._looks[thread]

    def look_ahead(self, view: GitView | None = None) -> None:
        """Start git's look now (or take `view`, a look at this repository started already),
        for this thread's next one_look block to take: a command that only reads calls it
        first, and git (11–14 ms at 10,000 files) runs while the command loads its modules and
        plans. Never before a write: the look must not be older than one."""
        if self.folder is not None and self._ahead is None:
            # Deferred: loads duban.store.gitindex (3 duban modules in all) only when this runs
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

    def _open_snapshot(self, slot: str) -> SnapshotFile | None:
        """The slot's snapshot file, open, when there is one this version wrote; else None."""
        # Deferred: loads duban.store.snapshot only when this runs
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

    def put_tasks(
        self, slot: str, key: bytes, tasks: list[Task], names: list[str], digests: list[bytes] | None = None
    ) -> None:
        """Store a snapshot; `digests`, the digest of each task's file in the same order, lets
        a later change of a few files patch it (patched_index) instead of building every task."""
        path = self._snapshot_path(slot)
        if path is not None:
            write_atomically(path, packed(self.tag, key, [task.as_row() for task in tasks], names, digests))
            with contextlib.suppress(OSError):  # the one format 2 wrote, left by an older duban
                path.with_suffix(".marshal").unlink(missing_ok=True)

    def patched_index(
        self,
        slot: str,
        key: bytes,
        plan_id: str,
        folder: Path,
        digests: dict[str, bytes],
        row_of: Callable[[str], Row | None],
    ) -> TaskIndex | None:
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
                names, stored_digests = stored.names, stored.column(DIGESTS)
                if (
                    len(names) != len(digests)
                    or not digests.keys() >= set(names)
                    or not all(isinstance(digest, bytes) for digest in stored_digests)
                ):
                    return None
                changed = [at for at, (name, old) in enumerate(zip(names, stored_digests)) if digests[name] != old]
                if not changed or len(changed) > max(16, len(names) // 8):
                    return None  # then building every task costs about the same
                patch = {at: row for at in changed if (row := row_of(names[at])) is not None}
                if len(patch) != len(changed):
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
        if not write_atomically(path, packed(self.tag, key, rows, names, [digests[name] for name in names])):
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

    def plan_document(self, key: bytes) -> dict[str, Any] | None:
        """A plan.yaml document that loaded and passed its schema, by digest of its bytes."""
        return self._plans.get(key)

    def put_plan_document(self, key: bytes, document: dict[str, Any]) -> None:
        self._plans.put(key, document)

    def has_verdict(self, verdict: bytes) -> bool:
        return verdict in self._verdicts

    def add_verdict(self, verdict: bytes) -> None:
        self._verdicts.add(verdict)

    def save(self) -> None:
        self._verdicts.save()
        for documents in self._slots.values():
            documents.save()
        for states in self._states.values():
            states.save()
