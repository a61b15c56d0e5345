"""Parsed documents kept by the digest of the bytes they were parsed from: a plan's task
documents (one file a plan) and the plan.yaml documents that passed their schema."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from duban.memory import paused as paused_gc
from duban.store.cache.storage import write_atomically
from duban.store.files import read_checked

# What a caller keeps under a digest: a parsed document, or what it derived from those bytes
# (a task's reports). Any value marshal can write; each caller knows what it put under its keys.
Stored = Any


class ParsedDocuments:
    """Parsed, schema-valid task documents of one plan, by digest of the file's bytes."""

    def __init__(self, path: Path | None, tag: bytes) -> None:
        self.path = path
        self.tag = tag
        self._entries: dict[bytes, Stored] | None = None  # loaded on first use
        self.used: set[bytes] = set()
        self.changed = False

    @property
    def entries(self) -> dict[bytes, Stored]:
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
                if (
                    isinstance(stored, dict)
                    and stored.get("tag") == self.tag
                    and isinstance(stored.get("entries"), dict)
                ):
                    self._entries = stored["entries"]
            except (OSError, EOFError, ValueError, TypeError):
                self._entries = {}  # unreadable or from elsewhere: start again

    def get(self, key: bytes) -> Stored:
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: bytes, document: Stored) -> None:
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
        if write_atomically(self.path, marshal.dumps({"tag": self.tag, "entries": kept})):
            self.changed = False  # saved: a later save() in the same run writes only what is new


class PlanDocuments:
    """plan.yaml documents that loaded and passed their schema, by a digest of the file's bytes
    like the task documents; kept apart because they are few and every command needs one, so
    a warm start neither parses YAML nor imports the schema. Each is written at once."""

    def __init__(self, path: Path | None, tag: bytes) -> None:
        self.path = path
        self.tag = tag
        self._documents: dict[bytes, dict[str, Any]] | None = None  # loaded on first use

    def _loaded(self) -> dict[bytes, dict[str, Any]]:
        if self._documents is None:
            self._documents = {}
            try:
                tag, documents = marshal.loads(read_checked(self.path)) if self.path is not None else (None, None)
                if tag == self.tag and isinstance(documents, dict):
                    self._documents = documents
            except (OSError, EOFError, ValueError, TypeError):
                pass
        return self._documents

    def get(self, key: bytes) -> dict[str, Any] | None:
        return self._loaded().get(key)

    def put(self, key: bytes, document: dict[str, Any]) -> None:
        """Remember a schema-valid plan document, written at once (the 256 latest are kept)."""
        documents = self._loaded()
        documents.pop(key, None)
        documents[key] = document
        for old in list(documents)[:-256]:
            del documents[old]
        if self.path is not None:
            write_atomically(self.path, marshal.dumps((self.tag, documents)))
