"""The repository receiving a push, read as the pre-receive hook reads it: git run in it (GIT_DIR
and the quarantine from the environment), a commit's trailers, a file of a commit read as YAML."""

from __future__ import annotations

import re
import subprocess
from typing import Any

from duban.store.gitstore import OPTIONS

TRAILER = re.compile(r"^([A-Za-z][A-Za-z0-9-]*): (.*)$")


class ReceivingGit:
    """git in the repository receiving the push (GIT_DIR and the quarantine come from the environment)."""

    def __init__(self, git_dir: str | None) -> None:
        self.git_dir = git_dir

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = ["git", *OPTIONS, *(["--git-dir", self.git_dir] if self.git_dir else []), *args]
        result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace")
        if check and result.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)}: {result.stderr.strip()}")
        return result

    def show(self, commit: str, path: str) -> str | None:
        result = self.run("cat-file", "blob", f"{commit}:{path}", check=False)
        return result.stdout if result.returncode == 0 else None


def trailers_of(message: str) -> dict[str, str]:
    last = message.strip().split("\n\n")[-1]
    found: dict[str, str] = {}
    for line in last.splitlines():
        match = TRAILER.match(line)
        if match:
            found.setdefault(match.group(1), match.group(2).strip())
    return found


def load_document(text: str | None, path: str) -> Any:
    if text is None:
        return None
    # Deferred: loads duban.store.yamlio (7 duban modules in all; yaml) only when this runs
    from duban.store import yamlio

    try:
        return yamlio.load_fast(text, path)
    except yamlio.YamlError:
        return UNREADABLE


UNREADABLE = object()
