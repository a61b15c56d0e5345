"""Write a generated history straight into one git pack: `History(out, files)`, then
`commit(...)` for each report, then `close(branch)`.

git fast-import rebuilds every tree on a commit's path from its entries: the task folder of
a 10,000-task plan is a tree of 10,000 entries (some 400 KB), formatted, sorted, hashed and
deltified again for each of 120,000 commits, which did not finish in an hour. Here no file
is added or removed after the first commit, so an entry never moves: a report changes the
20 bytes of one blob id in each tree on its path. A tree is kept as its bytes with each
entry's offset, changed in place and hashed; it is stored as a delta against its last full
version that says just that (copy, 20 bytes, copy), and in full again once the delta would
hold more than DELTA_SLOTS changed entries (reading a tree applies at most one delta). The
objects are the ones git would write (same ids as fast-import gives for the same commits);
the pack's index is written here too (git index-pack would hash every tree version again).
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

COMMIT, TREE, BLOB, OFS_DELTA = 1, 2, 3, 6
DELTA_SLOTS = 128  # about where the size of the full copies and of the deltas balance
COPY_CHUNK = 0x10000  # the largest copy git's own deltas make


class Tree:
    """A folder of the history: its entries' bytes, where each entry's id sits in them, and
    what was stored last (its full version's offset in the pack, the slots changed since)."""

    def __init__(self, entries: dict[str, tuple[bytes, bytes]]) -> None:
        # git sorts a folder's entries by name, a subfolder's name as if it ended in "/".
        order = sorted(entries, key=lambda name: name.encode() + (b"/" if entries[name][0] == b"40000" else b""))
        self.body = bytearray()
        self.slot: dict[str, int] = {}
        for name in order:
            mode, oid = entries[name]
            self.body += mode + b" " + name.encode() + b"\0"
            self.slot[name] = len(self.body)
            self.body += oid
        self.base_offset = -1
        self.base_length = 0
        self.changed: set[int] = set()

    def set(self, name: str, oid: bytes) -> None:
        offset = self.slot[name]
        self.body[offset : offset + 20] = oid
        self.changed.add(offset)


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _copy(offset: int, size: int) -> bytes:
    """Delta instructions copying base[offset:offset+size]."""
    out = bytearray()
    while size:
        chunk = min(size, COPY_CHUNK)
        flags, operands = 0x80, bytearray()
        for index in range(4):
            if (offset >> (8 * index)) & 0xFF:
                flags |= 1 << index
                operands.append((offset >> (8 * index)) & 0xFF)
        for index in range(3):
            if (chunk >> (8 * index)) & 0xFF:
                flags |= 0x10 << index
                operands.append((chunk >> (8 * index)) & 0xFF)
        out += bytes([flags]) + operands
        offset, size = offset + chunk, size - chunk
    return bytes(out)


def slot_delta(base_length: int, target: bytes, changed: list[int]) -> bytes:
    """A git delta from a tree to `target`, the same length, which differs in the 20 bytes
    at each offset in `changed` (sorted)."""
    out = bytearray(_varint(base_length) + _varint(len(target)))
    position = 0
    for offset in changed:
        out += _copy(position, offset - position) + b"\x14" + target[offset : offset + 20]
        position = offset + 20
    out += _copy(position, len(target) - position)
    return bytes(out)


class History:
    """The pack being written under OUT/.git and the trees of the history's last commit."""

    def __init__(self, out: Path, files: dict[str, str]) -> None:
        self.out = out
        self.pack_dir = out / ".git" / "objects" / "pack"
        self.pack_dir.mkdir(parents=True, exist_ok=True)
        self.part = self.pack_dir / "tmp_generated.pack"
        self.stream = self.part.open("wb")
        self.stream.write(b"PACK" + struct.pack(">II", 2, 0))  # the count is filled in by close()
        self.offset = 12
        self.index: list[tuple[bytes, int, int]] = []  # id, crc32, offset
        self.parent: bytes | None = None
        self.trees: dict[str, Tree] = {}
        folders: dict[str, dict[str, tuple[bytes, bytes]]] = {"": {}}
        for path, text in files.items():
            parts = path.split("/")
            for depth in range(1, len(parts)):
                folders.setdefault("/".join(parts[:depth]), {})
            folders["/".join(parts[:-1])][parts[-1]] = (b"100644", self.blob(text))
        for folder in sorted(folders, key=lambda f: -f.count("/") - (f != "")):  # deepest first, the root last
            self.trees[folder] = tree = Tree(folders[folder])
            oid = self.store_tree(tree)
            if folder:
                parent, _, name = folder.rpartition("/")
                folders[parent][name] = (b"40000", oid)

    def _write(self, kind: int, data: bytes, oid: bytes, base: int = -1, size: int | None = None) -> int:
        length = len(data) if size is None else size
        header = bytearray([(kind << 4) | (length & 0x0F)])
        length >>= 4
        while length:
            header[-1] |= 0x80
            header.append(length & 0x7F)
            length >>= 7
        if kind == OFS_DELTA:
            distance = self.offset - base
            encoded = bytearray([distance & 0x7F])
            while distance >> 7:
                distance = (distance >> 7) - 1
                encoded.insert(0, 0x80 | (distance & 0x7F))
            header += encoded
        entry = bytes(header) + zlib.compress(data, 1)
        self.stream.write(entry)
        at = self.offset
        self.index.append((oid, zlib.crc32(entry), at))
        self.offset += len(entry)
        return at

    def _object(self, kind: int, data: bytes) -> bytes:
        name = {COMMIT: b"commit", TREE: b"tree", BLOB: b"blob"}[kind]
        oid = hashlib.sha1(name + b" %d\0" % len(data) + data).digest()
        self._write(kind, data, oid)
        return oid

    def blob(self, text: str) -> bytes:
        return self._object(BLOB, text.encode("utf-8"))

    def store_tree(self, tree: Tree) -> bytes:
        body = bytes(tree.body)
        oid = hashlib.sha1(b"tree %d\0" % len(body) + body).digest()
        entries = len(tree.slot)
        if tree.base_offset < 0 or len(tree.changed) > min(DELTA_SLOTS, entries // 2):
            tree.base_offset = self._write(TREE, body, oid)
            tree.base_length = len(body)
            tree.changed = set()
        else:
            self._write(OFS_DELTA, slot_delta(tree.base_length, body, sorted(tree.changed)), oid, tree.base_offset)
        return oid

    def commit(self, path: str, text: str, author: str, message: str) -> bytes:
        """A commit changing the file at `path` (one of the first commit's) to `text`;
        `author` is git's `Name <email> seconds zone`, committer the same."""
        oid = self.blob(text)
        folder, _, name = path.rpartition("/")
        while True:
            tree = self.trees[folder]
            tree.set(name, oid)
            oid = self.store_tree(tree)
            if not folder:
                break
            folder, _, name = folder.rpartition("/")
        return self.commit_tree(oid, author, message)

    def commit_tree(self, tree: bytes, author: str, message: str) -> bytes:
        head = f"tree {tree.hex()}\n" + (f"parent {self.parent.hex()}\n" if self.parent else "")
        text = head + f"author {author}\ncommitter {author}\n\n{message}"
        self.parent = self._object(COMMIT, text.encode("utf-8"))
        return self.parent

    def first_commit(self, author: str, message: str) -> bytes:
        root = self.trees[""]
        return self.commit_tree(hashlib.sha1(b"tree %d\0" % len(root.body) + root.body).digest(), author, message)

    def close(self, branch: str) -> None:
        """Finish the pack (its object count, its checksum), write its index, point the
        branch at the last commit."""
        self.stream.close()
        with self.part.open("r+b") as pack:
            pack.seek(8)
            pack.write(struct.pack(">I", len(self.index)))
            pack.seek(0)
            digest = hashlib.sha1()
            while chunk := pack.read(1 << 24):
                digest.update(chunk)
            checksum = digest.digest()
            pack.seek(0, 2)
            pack.write(checksum)
        name = self.pack_dir / f"pack-{checksum.hex()}"
        self.part.rename(name.with_suffix(".pack"))
        (name.with_suffix(".idx")).write_bytes(_index(sorted(self.index), checksum))
        assert self.parent is not None
        ref = self.out / ".git" / "refs" / "heads" / branch
        ref.parent.mkdir(parents=True, exist_ok=True)
        ref.write_text(self.parent.hex() + "\n")


def _index(entries: list[tuple[bytes, int, int]], pack_checksum: bytes) -> bytes:
    """A pack index, version 2, for entries sorted by id."""
    fanout = [0] * 256
    for oid, _, _ in entries:
        fanout[oid[0]] += 1
    total = 0
    for byte in range(256):
        total += fanout[byte]
        fanout[byte] = total
    large = [offset for _, _, offset in entries if offset >= 0x80000000]
    small = bytearray()
    position = 0
    for _, _, offset in entries:
        if offset >= 0x80000000:
            small += struct.pack(">I", 0x80000000 | position)
            position += 1
        else:
            small += struct.pack(">I", offset)
    body = (
        b"\377tOc"
        + struct.pack(">I", 2)
        + struct.pack(">256I", *fanout)
        + b"".join(oid for oid, _, _ in entries)
        + b"".join(struct.pack(">I", crc) for _, crc, _ in entries)
        + bytes(small)
        + b"".join(struct.pack(">Q", offset) for offset in large)
        + pack_checksum
    )
    return body + hashlib.sha1(body).digest()
