"""File states: which task files changed since duban last read them, without reading them
(a record of each file's stat fields and digest, and git's look at its index)."""

from __future__ import annotations

import marshal
import os
import struct
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from duban.store.cache.digests import digest, files_key
from duban.store.cache.storage import write_atomically
from duban.store.files import read_checked

if TYPE_CHECKING:
    from duban.store.gitindex import GitView


class ScannedFile(Protocol):
    """A file a scan of the folder found (repository.TaskEntry)."""

    @property
    def path(self) -> str: ...

    @property
    def is_link(self) -> bool: ...


# What read_all gives for a file: (its bytes, or None when its record vouches for them; their
# digest), or the OSError that stops it being read.
FileRead = tuple[bytes | None, bytes] | OSError


# size, mtime, ctime, inode, device: an edit changes the ctime, whatever it does to the size and
# the mtime (`touch -d`, `cp -p` and `git checkout` set the mtime; none can set the ctime), and
# a file replaced by a rename has another inode.
STAT = struct.Struct("<qqqQQ")


def packed_stat_fields(stat: os.stat_result) -> bytes:
    return STAT.pack(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


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

    def __init__(
        self, cache_folder: Path | None, folder: Path, tag: bytes, git_view: Callable[[], GitView | None] | None = None
    ) -> None:
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
        self._git_prefix = (
            self.folder[len(root) + 1 :].replace(os.sep, "/") + "/"
            if root is not None and self.folder.startswith(root + os.sep)
            else None
        )
        if self.path is not None:
            try:
                tag_read, folder_read, key, index_tail, listing_stat, complete, files, body = marshal.loads(
                    read_checked(self.path)
                )
                if (
                    tag_read == tag
                    and folder_read == self.folder
                    and isinstance(key, bytes)
                    and isinstance(index_tail, (bytes, type(None)))
                    and isinstance(body, bytes)
                    and isinstance(listing_stat, (bytes, type(None)))
                    and isinstance(complete, bool)
                    and isinstance(files, int)
                ):
                    self._key, self.index_tail, self._listing_stat, self._complete = (
                        key,
                        index_tail,
                        listing_stat,
                        complete,
                    )
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
            if (
                isinstance(found, tuple)
                and len(found) == 3
                and isinstance(found[0], dict)
                and isinstance(found[1], dict)
                and isinstance(found[2], (frozenset, type(None)))
            ):
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

    def read_all(self, entries: Sequence[ScannedFile], read_bytes: Callable[[str], bytes]) -> list[FileRead]:
        """For each entry of task_files.scan_tasks, in order: (the file's bytes, or None when
        its record vouches for them; their digest), or the OSError that stops it being read.
        One loop, for the 10,000 files a plan can have."""
        view = self._look() if entries else None
        dirty = self._dirty_here(view) if view is not None else None
        records, seen, size, lstat, pack = self.records, self.seen, STAT.size, os.lstat, STAT.pack
        cut = len(self.folder) + 1
        if dirty is not None:
            # Nothing git finds changed, every file one whose entry was checked: no loop over stats.
            start = self.folder + os.sep
            names = [entry.path[cut:] for entry in entries]
            if (
                dirty.isdisjoint(names)
                and self.entries.keys() >= set(names)
                and records.keys() >= self.entries.keys()
                and all(entry.path.startswith(start) for entry in entries)
            ):
                seen.update(names)
                self.all_vouched, self.git_vouched = True, len(names)
                return [(None, records[name][size:]) for name in names]
            self._clock = file_system_clock(self.cache_folder)  # before any file is looked at
        trusted = self.entries.keys() - dirty if dirty is not None else frozenset()
        checked: list[tuple[str, bytes]] = []  # (name, record) of files met as their records say
        found: list[FileRead] = []
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
                    if record[:size] == pack(
                        stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev
                    ):
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
            if packed_stat_fields(os.lstat(self.folder)) != stat_fields:
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
        self._listing_clock = file_system_clock(self.cache_folder)
        try:
            return os.lstat(self.folder)
        except OSError:
            return None

    def keep_listing(self, stat: os.stat_result | None, entries: Sequence[ScannedFile]) -> None:
        """Remember the scan `entries` that followed `stat` (folder_stat), when it may vouch for
        a later scan: only plain files, and the folder's times older than the clock."""
        kept, clock = None, self._listing_clock
        if (
            stat is not None
            and clock
            and stat.st_mtime_ns < clock
            and stat.st_ctime_ns < clock
            and not any(entry.is_link for entry in entries)
        ):
            kept = (packed_stat_fields(stat), frozenset(os.path.basename(entry.path) for entry in entries))
        if kept != self.listing:
            self.listing, self.changed = kept, True

    def _look(self) -> GitView | None:
        """This run's GitView when git can be asked about this folder, else None."""
        if self._git_prefix is None or self._git_view is None:
            return None
        view = self._git_view()
        return view if view is not None and view.usable else None

    def _dirty_here(self, view: GitView) -> set[str] | None:
        """The names of this folder's files git's look found changed (or gone); None when the
        index cannot be read (then git vouches for none)."""
        if not self._same_index(view):
            return None
        prefix = self._git_prefix
        assert prefix is not None
        dirty = view.dirty  # a usable look (_look) has it
        if dirty is None:
            return None
        return {path[len(prefix) :] for path in dirty if path.startswith(prefix)}

    def _same_index(self, view: GitView) -> bool:
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

    def _vouch(self, view: GitView, checked: list[tuple[str, bytes]]) -> None:
        """Remember the index entry of each file met as its record says, when the entry records
        the same stat fields and its ctime's second is before the clock's (so any later edit
        changes the second git compares)."""
        # Deferred: loads duban.store.gitindex (4 duban modules in all) only when this runs
        from duban.store.gitindex import entry_matches

        if not self._same_index(view):
            return
        current = view.entries() if any(name not in self.entries for name, _record in checked) else None
        if current is None:
            return
        clock_second, prefix = (self._clock or 0) // 10**9, self._git_prefix
        assert prefix is not None
        for name, record in checked:
            size, mtime_ns, ctime_ns, ino, _dev = STAT.unpack(record[: STAT.size])
            entry = current.get(prefix + name)
            if (
                name not in self.entries
                and entry is not None
                and ctime_ns // 10**9 < clock_second
                and mtime_ns // 10**9 < clock_second
                and entry_matches(entry, size, mtime_ns, ctime_ns, ino)
            ):
                self.entries[name] = entry
                self.changed = True

    def _read_again(self, path: str, name: str, read_bytes: Callable[[str], bytes]) -> tuple[bytes, bytes]:
        if self._clock is None:
            self._clock = file_system_clock(self.cache_folder)
        if self.entries.pop(name, None) is not None:
            self.changed = True  # the entry checked against the record this replaces
        stat = os.lstat(path)  # after the clock: what is read is at least this recent
        data = read_bytes(path)
        key = digest(data)
        if self._clock and stat.st_mtime_ns < self._clock and stat.st_ctime_ns < self._clock:
            self.records[name] = packed_stat_fields(stat) + key
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
            self._key = files_key((name, record[STAT.size :]) for name, record in self.records.items())
            listing = self._listing
            body = marshal.dumps((self.records, self.entries, listing[1] if listing is not None else None))
            if write_atomically(
                self.path,
                marshal.dumps(
                    (
                        self.tag,
                        self.folder,
                        self._key,
                        self.index_tail,
                        listing[0] if listing is not None else None,
                        self._every_record_checked(),
                        len(self.records),
                        body,
                    )
                ),
            ):
                self.changed = False


def file_system_clock(cache_folder: Path | None) -> int:
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
