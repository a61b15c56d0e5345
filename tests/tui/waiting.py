"""Waiting on what a test needs to see, not for a fixed time: the app runs its timers and
workers between checks, and the test fails with what it waited for when it never comes."""
from __future__ import annotations

import time
from collections.abc import Callable


async def until(app, pilot, condition: Callable[[], bool], what: str, limit: float = 30.0) -> None:
    """Let the app run until `condition()` holds; fail naming `what` after `limit` seconds of
    a loaded machine (a limit, never a wait: a condition that holds returns at once)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {limit:g} s for {what}")
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
