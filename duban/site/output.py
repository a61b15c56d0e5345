"""Writing the site into its folder, incrementally: a file whose bytes are already there is not
written again (its time stays, so a copy to a CD or a sync sees only what changed), and a
file an earlier build wrote that this build no longer makes is removed. What a build wrote is
listed in the folder's manifest (.duban-site), with what the build read (site.fingerprint)
and each file's size and time, so a build that would read the same can tell the pages are
there as written and stop; nothing else in the folder is ever touched."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from duban.store.files import replace_file

MANIFEST = ".duban-site"


@dataclass
class Written:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class Output:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.result = Written()
        self._made: set[str] = set()
        try:
            kept = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = {}
        kept = kept if isinstance(kept, dict) else {}
        self._before = {str(p) for p in kept.get("files", [])}
        self._read = kept.get("read")
        stats = kept.get("stats")
        self._stats: dict[str, object] = stats if isinstance(stats, dict) else {}

    def holds(self, read: str | None) -> bool:
        """Whether the last build read what `read` says and every file it wrote is still
        there as it left it (same size and time): then the pages are what a build would write."""
        if read is None or read != self._read or set(self._stats) != self._before:
            return False
        for path, stat in self._stats.items():
            try:
                found = (self.folder / path).stat()
            except OSError:
                return False
            if [found.st_size, found.st_mtime_ns] != stat:
                return False
        self.result.unchanged = sorted(self._before)
        return True

    def write(self, path: str, data: str | bytes) -> None:
        """Write `data` at `path` (from the folder, / between parts) unless it is there already."""
        content = data.encode("utf-8") if isinstance(data, str) else data
        target = self.folder / path
        self._made.add(path)
        try:
            if target.read_bytes() == content:
                self.result.unchanged.append(path)
                return
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, content, durable=False)
        self.result.written.append(path)

    def finish(self, read: str | None = None) -> Written:
        """Remove what an earlier build made and this one did not, and record this build's
        files, and what it read (site.fingerprint; None: not known, the next build works all out)."""
        for path in sorted(self._before - self._made):
            target = self.folder / path
            if ".." in Path(path).parts or Path(path).is_absolute():
                continue  # a manifest edited by hand names nothing outside the folder
            try:
                target.unlink()
                self.result.removed.append(path)
            except OSError:
                continue
        stats = {}
        for path in sorted(self._made):
            found = (self.folder / path).stat()
            stats[path] = [found.st_size, found.st_mtime_ns]
        manifest = json.dumps({"files": sorted(self._made), "read": read, "stats": stats}, ensure_ascii=False, indent=0)
        replace_file(self.folder / MANIFEST, manifest.encode("utf-8"), durable=False)
        return self.result
