"""`git merge-file` on three versions of a text: the line merge the merge driver falls back on
for what is not a task's reports. Needs no repository."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from duban.store.gitstore import command


def merge_file(base: str, ours: str, theirs: str) -> tuple[str, int] | None:
    """`git merge-file` on three texts: the line merge, with conflict markers labelled
    ours/base/theirs where both sides changed the same lines, and the number of conflicts;
    None when git merge-file failed. Needs no repository."""
    result = merge_file_bytes(*(text.encode("utf-8") for text in (base, ours, theirs)))
    if result is None:
        return None
    data, conflicts = result
    return data.decode("utf-8", errors="replace"), conflicts


def merge_file_bytes(base: bytes, ours: bytes, theirs: bytes) -> tuple[bytes, int] | None:
    """`git merge-file` on three byte strings (any encoding); None when it failed. Its exit
    code is the number of conflicts (at most 127), or negative (255) on an error."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(folder) / name
            path.write_bytes(data)
            paths.append(str(path))
        try:
            result = subprocess.run(
                [*command("merge-file"), "-p", "-L", "ours", "-L", "base", "-L", "theirs", *paths], capture_output=True
            )
        except OSError:
            return None
        if not 0 <= result.returncode <= 127:
            return None
        return result.stdout, result.returncode
