#!/usr/bin/env python3
"""Time `duban tui` on a generated repository: first paint with the task table filled, each filter
keystroke, and peak memory. `python benchmarks/tui.py OUT` (OUT from benchmarks/generate.py).

Runs the real app headless (Textual's run_test) in this process, so the interpreter start and
imports count in the first-paint time.
"""
from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import time
from pathlib import Path

START = time.perf_counter()


async def measure(repo: Path) -> None:
    from textual.widgets import DataTable, Input

    from duban.tui import make_app

    plan = next(p.name for p in (repo / "plans").iterdir() if p.is_dir())
    app = make_app(repo, plan, "en", "2019-06-30")
    async with app.run_test(size=(120, 36)) as pilot:
        while True:
            await pilot.pause(0.01)
            screen = app.screen
            if type(screen).__name__ == "MainScreen":
                table = screen.query_one("#tasks", DataTable)
                if table.row_count:
                    break
        first_paint = time.perf_counter() - START
        await app.workers.wait_for_complete()  # the pinyin warm-up that follows the first paint
        box = screen.query_one("#filter", Input)
        box.focus()
        timings = []
        # Each keystroke, typed slowly: the time from the key to the table showing its result,
        # less the pause the filter waits for typing to stop.
        from duban.tui.screens.main import FILTER_DELAY

        for text in ("l", "le", "lea", "lead", "lead:", "lead:f", "lead:fg", "lead:fgw", "lead:fgw ", "lead:fgw 推进"):
            began = time.perf_counter()
            box.value = text
            await pilot.pause(FILTER_DELAY)
            while screen._pending is not None:
                await pilot.pause(0.005)
            await pilot.pause()
            timings.append(time.perf_counter() - began - FILTER_DELAY)
        rows = len(screen.shown)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"first paint, {len(screen.selection.tasks)} tasks (first rows shown): {first_paint:.2f} s (target 1.5 s)")
    print(f"filter keystroke: median {statistics.median(timings) * 1000:.0f} ms, "
          f"max {max(timings) * 1000:.0f} ms over {len(timings)} keystrokes (target 100 ms); "
          f"last query matched {rows}")
    print(f"peak memory: {peak:.0f} MB (target 300 MB)")


if __name__ == "__main__":
    asyncio.run(measure(Path(sys.argv[1]).resolve()))
