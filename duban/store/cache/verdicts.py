"""Verdicts: whole plans a run found clean.

A verdict is a hash of plan.yaml and of every task file's name and bytes. It lets a
`validate` of an unchanged plan skip loading the parse cache and the checks, while still
reading and hashing every file. Kept in a small file of its own: the 1,024 latest (a
provincial office follows hundreds of plans; 16 bytes each)."""

from __future__ import annotations

from pathlib import Path

from duban.store.cache.storage import write_atomically
from duban.store.files import read_checked


class Verdicts:
    def __init__(self, path: Path | None, tag: bytes) -> None:
        self.path = path
        self.tag = tag
        self._verdicts: list[bytes] | None = None  # loaded on first use
        self._changed = False

    def _loaded(self) -> list[bytes]:
        if self._verdicts is None:
            self._verdicts = []
            try:
                data = read_checked(self.path) if self.path is not None else b""
            except (OSError, ValueError):
                data = b""
            if data[: len(self.tag)] == self.tag:  # another version's verdicts are ignored
                body = data[len(self.tag) :]
                self._verdicts = [body[i : i + 16] for i in range(0, len(body) - 15, 16)]
        return self._verdicts

    def __contains__(self, verdict: bytes) -> bool:
        return verdict in self._loaded()

    def add(self, verdict: bytes) -> None:
        verdicts = self._loaded()
        if verdict not in verdicts:
            verdicts.append(verdict)
            del verdicts[:-1024]
            self._changed = True

    def save(self) -> None:
        if self.path is None or not self._changed or self._verdicts is None:
            return
        if write_atomically(self.path, self.tag + b"".join(self._verdicts)):
            self._changed = False
