"""Writing the site into its folder, incrementally: a file whose bytes are already there is not
written again (its time stays, so a copy to a CD or a sync sees only what changed), and a
file an earlier build wrote that this build no longer makes is removed. What a build wrote is
listed in the folder's manifest (.duban-site); nothing else in the folder is ever touched."""

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
            self._before = {str(p) for p in kept.get("files", [])} if isinstance(kept, dict) else set()
        except (OSError, ValueError):
            self._before = set()

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

    def finish(self) -> Written:
        """Remove what an earlier build made and this one did not, and record this build's files."""
        for path in sorted(self._before - self._made):
            target = self.folder / path
            if ".." in Path(path).parts or Path(path).is_absolute():
                continue  # a manifest edited by hand names nothing outside the folder
            try:
                target.unlink()
                self.result.removed.append(path)
            except OSError:
                continue
        manifest = json.dumps({"files": sorted(self._made)}, ensure_ascii=False, indent=0)
        replace_file(self.folder / MANIFEST, manifest.encode("utf-8"), durable=False)
        return self.result
