"""What git's index says about the task files, for the cache's freshness check (cache.FileStates).

`git diff-files` compares every tracked file's stat fields with those its index entry
recorded, in C, with threads (core.preloadIndex), and names each file whose fields differ:
at 100,000 files, a fraction of the time of Python's own `lstat` of each. It compares times
to the second only, and the entry's fields may have been recorded in the same second as an
edit made just after (git's racy-timestamp check covers an entry of the index file's own
second, not an entry recorded a moment before the index was written). So a clean answer is
trusted only for an entry duban has itself checked against a file it read (FileStates.vouch):
that entry's ctime is older than the file system's clock read before that check, and every
later edit gives the file a ctime at or after that clock, which git sees as a changed ctime.

Only what is needed is parsed: the index's entries (versions 2 and 3, SHA-1 object ids), not
its extensions; a split or sparse index, index version 4, another object format or a missing
git gives no view at all, and the cache looks at every file itself.
"""

from __future__ import annotations

import os
import struct
import subprocess
from pathlib import Path

from duban.store.layout import git_folder

try:  # hashlib's own import loads OpenSSL
    from _sha1 import sha1  # type: ignore[import-not-found]
except ImportError:  # another Python implementation
    from hashlib import sha1

_HASH = 20  # SHA-1; a SHA-256 repository's index does not check out against it and gives no view
_FIXED = 62  # ctime, mtime, dev, ino, mode, uid, gid, size (4 bytes each, 10 of them), the id, flags
_ENTRY = struct.Struct(">10I20sH")
_ASSUME_VALID, _EXTENDED, _STAGE = 0x8000, 0x4000, 0x3000
_REGULAR = (0o100644, 0o100755)

# git run for this look only, whatever the user configured: ctimes compared (core.trustctime,
# core.checkStat), no file-system monitor telling git a file is unchanged, no locks taken.
_GIT_CONFIG = (
    "-c",
    "core.quotepath=off",
    "-c",
    "core.trustctime=true",
    "-c",
    "core.checkStat=default",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.ignoreStat=false",
    "-c",
    "color.ui=never",
    "-c",
    "color.diff=never",
)
_GIT_ENV_DROPPED = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_ICASE_PATHSPECS",
    "GIT_GLOB_PATHSPECS",
    "GIT_NOGLOB_PATHSPECS",
)


def index_tail(git_dir: Path) -> bytes | None:
    """The checksum that ends the index file (it changes whenever an entry does); None when
    there is none to trust (no index, or index.skipHash wrote zeros)."""
    try:
        with open(git_dir / "index", "rb") as index:
            index.seek(-_HASH, os.SEEK_END)
            tail = index.read(_HASH)
    except OSError:
        return None
    return tail if len(tail) == _HASH and tail != bytes(_HASH) else None


def index_entries(git_dir: Path, prefix: bytes) -> tuple[bytes, dict[str, bytes]] | None:
    """(the index's checksum, each entry whose path starts with `prefix`: path -> its fixed
    fields as stored), or None when the index is not one this reads (see the module's text)."""
    try:
        data = (git_dir / "index").read_bytes()
    except OSError:
        return None
    if len(data) < 12 + _HASH or data[:4] != b"DIRC" or sha1(data[:-_HASH]).digest() != data[-_HASH:]:
        return None  # none, being written, skipHash, or not SHA-1
    version, count = struct.unpack_from(">II", data, 4)
    if version not in (2, 3):
        return None
    found: dict[str, bytes] = {}
    at, end, fixed = 12, len(data) - _HASH, _FIXED
    decode = os.fsdecode
    for _entry in range(count):
        flags = int.from_bytes(data[at + 60 : at + 62], "big")
        head = fixed + 2 if flags & _EXTENDED else fixed
        length = flags & 0xFFF
        start = at + head
        stop = start + length if length < 0xFFF else data.index(b"\0", start)
        if stop > end:
            return None
        if data.startswith(prefix, start):
            found[decode(data[start:stop])] = data[at : at + head]
        at += (head + (stop - start) + 8) & ~7  # NUL-padded to a multiple of eight
    while at + 8 <= end:  # extensions: a split or sparse index holds entries elsewhere
        signature, size = data[at : at + 4], int.from_bytes(data[at + 4 : at + 8], "big")
        if signature in (b"link", b"sdir"):
            return None
        at += 8 + size
    return data[-_HASH:], found


def entry_matches(entry: bytes, size: int, mtime_ns: int, ctime_ns: int, ino: int) -> bool:
    """Whether an index entry records these stat fields (to git's precision: seconds, and the
    32 bits it keeps), for a plain file at stage 0 that git is not told to assume unchanged."""
    if len(entry) != _FIXED:
        return False  # extended flags: skip-worktree or intent-to-add
    (ctime, _ctime_ns, mtime, _mtime_ns, _dev, entry_ino, mode, _uid, _gid, entry_size, _oid, flags) = _ENTRY.unpack(
        entry
    )
    return (
        not flags & (_ASSUME_VALID | _EXTENDED | _STAGE)
        and mode in _REGULAR
        and ctime == (ctime_ns // 10**9) & 0xFFFFFFFF
        and mtime == (mtime_ns // 10**9) & 0xFFFFFFFF
        and entry_ino == ino & 0xFFFFFFFF
        and entry_size == size & 0xFFFFFFFF
    )


def stat_dirty(root: Path, pathspec: str) -> set[str] | None:
    """The tracked files under `pathspec` whose stat fields differ from their index entries
    (or that are gone, unmerged, or racily recorded and changed), as paths relative to `root`;
    None when git cannot say."""
    return _dirty_names(start_stat_dirty(root, pathspec), pathspec)


def start_stat_dirty(root: Path, pathspec: str) -> subprocess.Popen[bytes] | None:
    """stat_dirty's git, started and not waited for; None when there is no git."""
    env = {name: value for name, value in os.environ.items() if name not in _GIT_ENV_DROPPED}
    env.update(
        GIT_DIR=str(git_folder(root) or root / ".git"),
        GIT_WORK_TREE=str(root),
        GIT_LITERAL_PATHSPECS="1",
        GIT_OPTIONAL_LOCKS="0",
    )
    try:
        return subprocess.Popen(
            ["git", *_GIT_CONFIG, "diff-files", "--name-only", "-z", "--no-renames", "--", pathspec],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:  # no git
        return None


def _dirty_names(process: subprocess.Popen[bytes] | None, pathspec: str) -> set[str] | None:
    if process is None:
        return None
    output, _errors = process.communicate()
    if process.returncode != 0:
        return None
    names = {os.fsdecode(name) for name in output.split(b"\0") if name}
    inside = pathspec.rstrip("/") + "/"
    if not all(name.startswith(inside) for name in names):
        return None  # not git's plain answer (a setting changed how it names files): trust none
    return names


class GitView:
    """One look at git's index for a run: the files git finds stat-clean, and the index's
    entries when they are needed. Built by ParseCache once per run; `usable` is False when
    any part of it could not be had, and then nothing is taken from it. git runs from the
    moment the view is made and is waited for when the view is first asked something, so
    a command can start it before its other work (ParseCache.look_ahead)."""

    def __init__(self, root: Path, pathspec: str = "plans") -> None:
        self.root = root
        self.git_dir = git_folder(root) or root / ".git"
        self.prefix = pathspec.rstrip("/") + "/"
        self._pathspec = pathspec
        self._entries: dict[str, bytes] | None = None
        # The checksum read before and after git's look: the same index both times, so the
        # entries compared below are those git compared the files with.
        self._before = index_tail(self.git_dir)
        self._git = start_stat_dirty(root, pathspec) if self._before is not None else None
        self._looked = False
        self._dirty: set[str] | None = None
        self._tail: bytes | None = None
        self._usable = False

    def _finish(self) -> None:
        if not self._looked:
            self._looked = True
            self._dirty = _dirty_names(self._git, self._pathspec)
            self._tail = index_tail(self.git_dir) if self._dirty is not None else None
            self._usable = self._dirty is not None and self._tail is not None and self._tail == self._before

    @property
    def dirty(self) -> set[str] | None:
        self._finish()
        return self._dirty

    @property
    def tail(self) -> bytes | None:
        self._finish()
        return self._tail

    @property
    def usable(self) -> bool:
        self._finish()
        return self._usable

    @usable.setter
    def usable(self, value: bool) -> None:
        self._finish()
        self._usable = value

    def entries(self) -> dict[str, bytes] | None:
        """The index's entries under the path spec, parsed on first use; None when the index
        is not the one git looked at or cannot be read."""
        if self._entries is None and self.usable:
            parsed = index_entries(self.git_dir, os.fsencode(self.prefix))
            if parsed is None or parsed[0] != self.tail:
                self.usable = False
                return None
            self._entries = parsed[1]
        return self._entries
