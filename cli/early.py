"""The `duban` command's first step, before Click and the commands are imported.

A `duban list` starts git's look at its repository's task files here (cache.GitView), so
that git (0.01 s at 10,000 files, 0.1 s at 100,000) runs while the interface and the model
are imported (about 0.05 s), and start_reading takes the view it started. Only the global
options are read from the command line, as Click will read them; anything unusual is left
alone and the command starts its own look, as before.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# Commands that read the repository through cli.context.start_reading.
LOOKING_COMMANDS = ("list",)
_WITH_VALUE = ("--repo", "--lang")
_FLAGS = ("--ascii",)

_started: tuple[Path, Any] | None = None  # (root, GitView) started before the interface's import


def command_and_repo(args: list[str]) -> tuple[str | None, str | None]:
    """The command named after the global options, and --repo's value, as Click reads them."""
    repo = None
    at = 0
    while at < len(args):
        word = args[at]
        name, equals, value = word.partition("=")
        if name in _WITH_VALUE:
            if not equals:
                at += 1
                if at >= len(args):
                    return None, None
                value = args[at]
            if name == "--repo":
                repo = value
        elif word in _FLAGS:
            pass
        elif word.startswith("-"):
            return None, None  # --help, --version or an option Click will refuse
        else:
            return word, repo
        at += 1
    return None, None


def look_ahead(args: list[str]) -> None:
    """Start git's look for a command of LOOKING_COMMANDS; never raises."""
    global _started
    command, repo = command_and_repo(args)
    if command not in LOOKING_COMMANDS:
        return
    try:
        # Deferred: loads duban.errors and 2 more (5 duban modules in all) only when this runs
        from duban.errors import DubanError
        from duban.store.gitindex import GitView
        from duban.store.layout import find_root, git_folder

        try:
            root = find_root(explicit=repo)
        except DubanError:
            return
        if git_folder(root) is not None:
            _started = (root, GitView(root))
    except Exception:  # a head start only: the command looks for itself
        _started = None


def taken(root: Path) -> Any:
    """The view started for `root`, once; None when none was, or for another root."""
    global _started
    found, _started = _started, None
    return found[1] if found is not None and found[0] == root else None


def run() -> None:
    """The console command: the look started, then the command (cli.main.run)."""
    look_ahead(sys.argv[1:])
    # Deferred: loads duban.cli.main (30 duban modules in all; click) only when this runs
    from duban.cli.main import run as run_command

    run_command()
