#!/usr/bin/env python3
"""Time `duban tui` on a generated repository: first paint with the task table filled, each filter
keystroke, the plan log (`g`), Ctrl+End to the last row, and peak memory. `python benchmarks/tui.py OUT` (OUT from benchmarks/generate.py);
with `--cold`, only the first paint with no cache at all, as after a clone or an upgrade.

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
COLD = False
TYPED = ("l", "le", "lea", "lead", "lead:", "lead:f", "lead:fg", "lead:fgw", "lead:fgw ", "lead:fgw 推进")


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
        if COLD:
            print(
                f"first paint with no cache (after a clone or an upgrade), {len(screen.selection.tasks)} tasks: "
                f"{first_paint:.2f} s"
            )
            return
        # The warm-up that follows the first paint: every task's light (the area tree's counts),
        # then the titles' pinyin initials. Keystrokes are timed once it is done.
        while not screen.lights_known:
            await pilot.pause(0.005)
        await app.workers.wait_for_complete()
        ready = time.perf_counter() - START
        box = screen.query_one("#filter", Input)
        box.focus()
        # Each keystroke, typed slowly: from the key to the first frame Textual composes after
        # the filter has run (the frame a terminal would be sent), the pause the filter waits
        # for typing to stop included. Frames are timed inside the app, so the test harness's
        # own waiting does not count.
        from duban.tui.screens.main import FILTER_DELAY

        frames: list[float] = []
        display = app._display

        def timed_display(screen_, renderable) -> None:
            if renderable is not None:
                frames.append(time.perf_counter())
            display(screen_, renderable)

        app._display = timed_display
        filtered: list[float] = []
        refilter = screen.refilter

        def timed_refilter() -> None:
            refilter()
            filtered.append(time.perf_counter())

        screen.refilter = timed_refilter
        timings = []
        for text in TYPED:
            frames.clear()
            filtered.clear()
            began = time.perf_counter()
            box.value = text
            await pilot.pause(FILTER_DELAY)
            while screen._pending is not None:
                await pilot.pause(0.005)
            await pilot.pause(0.05)
            painted = next(t for t in frames if t >= filtered[-1])
            timings.append(painted - began)
        rows = len(screen.shown)
        # The plan log: from the key to the list of commits shown.
        screen.query_one("#tasks", DataTable).focus()
        began = time.perf_counter()
        await pilot.press("g")
        while not (type(app.screen).__name__ == "HistoryScreen" and app.screen.commits):
            await pilot.pause(0.005)
        await pilot.pause()
        plan_log = time.perf_counter() - began
        log_entries = len(app.screen.commits)
        await pilot.press("escape")
        # A task's history (h) with its patches, on the task with the most commits.
        import subprocess

        trailers = subprocess.run(
            ["git", "log", "--format=%(trailers:key=Task,valueonly)"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        busiest = max(set(trailers), key=trailers.count) if trailers else None
        history = None
        if busiest and busiest.startswith(plan + "/"):
            screen.jump_to(busiest)
            await pilot.pause(0.2)
            began = time.perf_counter()
            await pilot.press("h")
            while not (type(app.screen).__name__ == "HistoryScreen" and app.screen.commits):
                await pilot.pause(0.005)
            await pilot.pause()
            history = (time.perf_counter() - began, len(app.screen.commits), busiest)
            await pilot.press("escape")
        box.value = ""
        await pilot.pause(0.2)
        began = time.perf_counter()
        await pilot.press("ctrl+end")
        await pilot.pause()
        last_row = time.perf_counter() - began
        table = screen.query_one("#tasks", DataTable)
        reached = getattr(table, "cursor_index", table.cursor_row) + 1
        total = len(screen.shown)
        tasks = len(screen.selection.tasks)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"first paint, {tasks} tasks (first rows shown): {first_paint:.2f} s (target 0.8 s); "
        f"lights and pinyin worked out after it by {ready:.2f} s"
    )
    print(
        f"filter keystroke: median {statistics.median(timings) * 1000:.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms over {len(timings)} keystrokes (targets 50 and 100 ms), "
        f"including the {FILTER_DELAY * 1000:.0f} ms pause for typing to stop; last query matched {rows}"
    )
    print("  each: " + ", ".join(f"{text!r} {ms * 1000:.0f}" for text, ms in zip(TYPED, timings)))
    print(f"plan log (g): {plan_log:.2f} s for the latest {log_entries} commits (target 0.5 s)")
    if history:
        print(
            f"history (h) of {history[2]}: {history[0]:.2f} s for its {history[1]} commits with patches (target 0.5 s)"
        )
    print(f"Ctrl+End: {last_row:.2f} s to row {reached} of {total}")
    print(f"peak memory: {peak:.0f} MB (target 250 MB)")


if __name__ == "__main__":
    target = Path(sys.argv[1]).resolve()
    if "--cold" in sys.argv[2:]:
        # As after a clone or an upgrade: no parse cache, no snapshot. Only the first paint
        # differs from a warm start, so only it is reported.
        import shutil

        shutil.rmtree(target / ".git" / "duban-cache", ignore_errors=True)
        COLD = True
    START = time.perf_counter()
    asyncio.run(measure(target))
