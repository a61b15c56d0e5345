"""The TUI's tests wait on what they need to see (tests/tui/waiting.py), never for a fixed time:
a `pilot.pause(0.2)` that sufficed on a quiet machine failed at random under load, the rows
checked before the filter had run. A fixed wait is allowed only where it is what is tested,
with the reason below."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support import PROJECT

# (file, function) -> why a fixed wait there is the point, not a wait for something
ALLOWED = {
    ("round_support.py", "burst"): "keys sent `gap` seconds apart, as a typist's keys reach a lagging app",
    ("round_support.py", "slow"): "a field that takes `delay` seconds per key: the slow app it simulates",
}


def fixed_waits(folder: Path) -> list[tuple[str, str, int, str]]:
    """Each call in `folder`'s Python files that waits a given time: `….pause(<anything>)`
    (pause() with no argument is one turn of the event loop, a yield), `sleep(…)` by any
    name (asyncio.sleep, time.sleep, from-imported sleep), as (file, function, line, code)."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Call) or not (node.args or node.keywords):
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in ("pause", "sleep"):
                    found.append(
                        (
                            path.relative_to(folder).as_posix(),
                            function.name,
                            node.lineno,
                            ast.get_source_segment(source, node) or name,
                        )
                    )
    # a call in nested functions is met once per enclosing function: keep the innermost
    innermost: dict[tuple[str, int, str], str] = {}
    for file, function, line, code in found:
        innermost[(file, line, code)] = function
    return sorted(
        ((file, function, line, code) for (file, line, code), function in innermost.items()),
        key=lambda wait: (wait[0], wait[2]),
    )


def test_no_tui_test_waits_a_fixed_time() -> None:
    waits = [w for w in fixed_waits(PROJECT / "tests" / "tui") if (w[0], w[1]) not in ALLOWED]
    assert not waits, (
        "wait on an event (tests/tui/waiting.py: until, filtered, on_screen, reloaded, "
        "next_look), not a fixed time:\n" + "\n".join(f"tests/tui/{f}:{n} in {fn}: {code}" for f, fn, n, code in waits)
    )


def test_the_allowed_fixed_waits_are_still_there() -> None:
    """An allowance whose wait is gone is dropped, so the list says only what is true."""
    present = {(file, function) for file, function, _line, _code in fixed_waits(PROJECT / "tests" / "tui")}
    assert set(ALLOWED) <= present


def test_a_fixed_wait_is_found(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text(
        "import asyncio, time\n"
        "async def test_a(pilot):\n"
        "    await pilot.pause()\n"  # a yield: allowed
        "    await pilot.pause(0.2)\n"
        "    await pilot.pause(delay=FILTER_DELAY * 2)\n"
        "    await asyncio.sleep(1)\n"
        "    def inner():\n"
        "        time.sleep(0.1)\n",
        encoding="utf-8",
    )
    assert [(function, line) for _file, function, line, _code in fixed_waits(tmp_path)] == [
        ("test_a", 4),
        ("test_a", 5),
        ("test_a", 6),
        ("inner", 8),
    ]
