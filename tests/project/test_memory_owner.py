"""duban/memory.py is the one owner of the garbage collector's policy and of the process exit
that skips freeing the run's objects (issue 27): no other module of duban/, cli/ or tui/
calls `gc` or `os._exit`, or reads atexit's private count."""

from __future__ import annotations

import re

from tests.support import PROJECT

OWNER = PROJECT / "duban" / "memory.py"
CALLS = re.compile(r"^\s*(import gc\b|from gc import)|\bgc\.[a-z_]+\(|\bos\._exit\(|\batexit\._", re.MULTILINE)


def test_only_the_memory_module_runs_the_collector_or_ends_the_process() -> None:
    found = []
    for folder in ("duban", "cli", "tui"):
        for path in sorted((PROJECT / folder).rglob("*.py")):
            if path.resolve() == OWNER.resolve() or path.is_symlink() or any(p.is_symlink() for p in path.parents):
                continue
            for match in CALLS.finditer(path.read_text(encoding="utf-8")):
                found.append(f"{path.relative_to(PROJECT)}: {match.group().strip()}")
    assert found == []


def test_a_call_outside_the_owner_is_found() -> None:
    text = "import gc\n\ndef f():\n    gc.freeze()\n    os._exit(0)\n"
    assert [m.group().strip() for m in CALLS.finditer(text)] == ["import gc", "gc.freeze(", "os._exit("]
