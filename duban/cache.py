"""A cache of parsed, schema-valid task files, so a second `validate`, `list` or TUI start skips
YAML parsing.

Entries are keyed by a hash of the file's bytes, not by path, size or mtime: an edit, a
checkout or a rebase that leaves equal timestamps (coarse clocks, clock skew) still changes
the key, so a stale task is never served. The cache lives in .git/duban-cache/ (nowhere when
there is no .git folder), is tagged with duban's version and the task schema, and is simply
rebuilt when missing, from another version, or unreadable.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
from pathlib import Path
from typing import Any, Iterable, Iterator

from duban import __version__
from duban.files import replace_file
from duban.model import Task

_FORMAT = 1


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


# The modules whose code decides what a file parses to and whether it is valid: a change to
# any of them (an upgrade, or a developer's edit without a new version number) starts every
# cache and verdict afresh, so no verdict outlives the checks that gave it.
_CODE_FILES = ("yamlio.py", "schemas.py", "checks.py", "validation.py", "model.py", "cache.py", "repository.py",
               "history.py")


def files_key(named_digests: Iterable[tuple[str, bytes]]) -> bytes:
    """A hash of a folder's files by name and content digest, in whatever order they come."""
    return digest(b"\0".join(sorted(name.encode() + b"\0" + key for name, key in named_digests)))


def _tag() -> bytes:
    from importlib import resources

    schema = resources.files("duban.schema").joinpath("task.schema.json").read_bytes()
    here = Path(__file__).resolve().parent
    code = []
    for name in _CODE_FILES:
        try:
            code.append((here / name).read_bytes())
        except OSError:  # installed without sources: the version number alone tells
            code.append(name.encode())
    return digest(f"{_FORMAT}:{__version__}:".encode() + schema + b"\0".join(code))


class ParseCache:
    def __init__(self, root: Path) -> None:
        git_dir = root / ".git"
        self.path = git_dir / "duban-cache" / "tasks.marshal" if git_dir.is_dir() else None
        self._entries: dict[bytes, Any] | None = None  # loaded on first use
        self.used: set[bytes] = set()
        self.changed = False
        self.tag = _tag()
        self._verdicts: list[bytes] | None = None
        self._verdicts_changed = False

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
                stored = marshal.loads(self.path.read_bytes())
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

    # -- snapshots: a whole plan's tasks, ready to build ------------------------------------------
    # Keyed by a hash of every task file's name and bytes (files_key, or git's tree id for a
    # past date), so, as for the entries, an edit is never missed. One snapshot per slot
    # (a plan, or a plan as of a date), the latest; each task is stored as its row and the
    # path of its file relative to the folder the caller names.

    def _snapshot_path(self, slot: str) -> Path | None:
        return self.path.with_name(f"plan-{slot}.marshal") if self.path is not None else None

    def tasks(self, slot: str, key: bytes, plan_id: str, folder: Path) -> list[Task] | None:
        """The tasks stored under `key`, in the order they were stored; None when there are none."""
        path = self._snapshot_path(slot)
        if path is None:
            return None
        with paused_gc():
            try:
                tag, stored_key, (names, rows) = marshal.loads(path.read_bytes())
                if tag == self.tag and stored_key == key and len(names) == len(rows):
                    return [Task.from_row(row, plan_id, folder / name) for name, row in zip(names, rows)]
            except (OSError, EOFError, ValueError, TypeError):
                pass  # none yet, or not one this version wrote
        return None

    def put_tasks(self, slot: str, key: bytes, tasks: list[Task], names: list[str]) -> None:
        path = self._snapshot_path(slot)
        if path is not None:
            _write_atomically(path, marshal.dumps((self.tag, key, (names, [task.as_row() for task in tasks]))))

    # -- verdicts: whole plans a run found clean ------------------------------------------------
    # A verdict is a hash of plan.yaml and of every task file's name and bytes. It lets a
    # `validate` of an unchanged plan skip loading the parse cache and the checks, while still
    # reading and hashing every file. Kept in a small file of its own: 32 recent verdicts.

    @property
    def _verdicts_path(self) -> Path | None:
        return self.path.with_name("clean-plans") if self.path is not None else None

    def _load_verdicts(self) -> list[bytes]:
        if self._verdicts is None:
            self._verdicts = []
            path = self._verdicts_path
            try:
                data = path.read_bytes() if path is not None else b""
            except OSError:
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
            del verdicts[:-32]
            self._verdicts_changed = True

    def save(self) -> None:
        self._save_verdicts()
        self._save_entries()

    def _save_verdicts(self) -> None:
        path = self._verdicts_path
        if path is None or not self._verdicts_changed or self._verdicts is None:
            return
        if _write_atomically(path, self.tag + b"".join(self._verdicts)):
            self._verdicts_changed = False

    def _save_entries(self) -> None:
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
    """Replace `path` with `data`; False when it cannot be written (a read-only repository
    just goes without the cache)."""
    try:
        path.parent.mkdir(exist_ok=True)
        replace_file(path, data, durable=False)
    except OSError:
        return False
    return True
