"""What this clone remembers of the seals (.git/duban-seals/): the seals it accepted, kept
whole, so a seal later replaced, moved or deleted is named and this clone goes on judging by
the one it first saw."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from duban.store.files import replace_file
from duban.supervise.seals.tags import OBJECT_ID, Seal, parse

MEMORY = "duban-seals"  # under .git: the seals this clone has seen


class Memory:
    """.git/duban-seals/: the seals this clone accepted (their tag objects kept whole, so a
    deleted seal can still be judged by and restored), each remote's seals as last fetched,
    and signature verdicts (by tag object and signers file)."""

    def __init__(self, git_dir: Path) -> None:
        self.folder = git_dir / MEMORY
        self.seen: dict[str, dict[str, Any]] = {}
        self.remote: dict[str, dict[str, str]] = {}
        self.verdicts: dict[str, bool] = {}
        self.office: dict[str, Any] = {}
        self.unreadable = False
        self._changed = False
        try:
            data = json.loads((self.folder / "state.json").read_text(encoding="utf-8"))
            self.seen = {k: v for k, v in data.get("seen", {}).items() if isinstance(v, dict)}
            self.remote = data.get("remote", {})
            self.verdicts = data.get("verdicts", {})
            self.office = data.get("office", {})
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError, TypeError):
            self.unreadable = True

    def raw(self, object_id: str) -> bytes | None:
        if not OBJECT_ID.fullmatch(object_id):
            return None
        try:
            data = (self.folder / "objects" / object_id).read_bytes()
        except OSError:
            return None
        # Deferred: loads hashlib only when this runs
        import hashlib

        header = f"tag {len(data)}\0".encode()
        # An object kept here is only believed if it is the object it is named after.
        if (
            hashlib.sha1(header + data).hexdigest() != object_id
            and hashlib.sha256(header + data).hexdigest() != object_id
        ):
            return None
        return data

    def remembered(self, name: str) -> Seal | None:
        entry = self.seen.get(name)
        if not entry:
            return None
        raw = self.raw(str(entry.get("object", "")))
        if raw is None:
            return None
        return parse(name, str(entry["object"]), raw)

    def remember(self, seal: Seal, made_here: bool = False) -> None:
        entry = self.seen.get(seal.tag)
        if entry and entry.get("object") == seal.object and (entry.get("made_here") or not made_here):
            return
        if entry and entry.get("object") != seal.object:
            return  # the first seal seen stays: a different one is named, never adopted
        try:
            (self.folder / "objects").mkdir(parents=True, exist_ok=True)

            replace_file(self.folder / "objects" / seal.object, seal.raw, durable=False)
        except OSError:
            return
        self.seen[seal.tag] = {"object": seal.object, "made_here": made_here or bool(entry and entry.get("made_here"))}
        self._changed = True

    def made_here(self, name: str, object_id: str) -> bool:
        entry = self.seen.get(name)
        return bool(entry and entry.get("object") == object_id and entry.get("made_here"))

    def set_remote(self, remote: str, seals: dict[str, str]) -> None:
        if self.remote.get(remote) != seals:
            self.remote[remote] = seals
            self._changed = True

    def set_verdict(self, key: str, value: bool) -> None:
        if self.verdicts.get(key) != value:
            self.verdicts[key] = value
            self._changed = True

    def set_office(self, value: dict[str, Any]) -> None:
        if self.office != value:
            self.office = value
            self._changed = True

    def save(self) -> None:
        if not self._changed:
            return

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            data = {"seen": self.seen, "remote": self.remote, "verdicts": self.verdicts, "office": self.office}
            replace_file(
                self.folder / "state.json",
                json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"),
                durable=False,
            )
            self._changed = False
        except OSError:
            pass  # a read-only repository remembers nothing new; verify still compares what it has
