"""The pre-receive hook as git runs it: the updates of a push read from its standard input
(`OLD NEW REF` a line), judged by the guard (hook.py) as the pushing account."""

from __future__ import annotations

import os

from duban.guard import access as access_file
from duban.guard.hook import Guard
from duban.guard.received import ReceivingGit
from duban.guard.refusal import Refusal


def parse_updates(text: str) -> list[tuple[str, str, str]]:
    """The pre-receive hook's stdin: `OLD NEW REF` per line."""
    updates = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            updates.append((parts[0], parts[1], parts[2]))
    return updates


def guard(
    updates: list[tuple[str, str, str]], environment: dict[str, str] | None = None, git_dir: str | None = None
) -> list[Refusal]:
    """The refusals for a push of `updates` into the repository at `git_dir` (or GIT_DIR)."""
    environment = dict(os.environ) if environment is None else environment
    checker = Guard(ReceivingGit(git_dir), access_file.pusher(environment))
    return checker.check(updates)
