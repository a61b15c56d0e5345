"""The one owner of duban's memory policy: when the cyclic garbage collector runs, and when a
process ends without freeing its objects one by one. Nowhere else calls `gc` or `os._exit`.

- Building thousands of plain objects that form no cycles (task documents, rows): the
  collector would only rescan them again and again, a third of building 10,000 tasks
  (`paused`).
- A long-lived reader (the terminal UI) with a plan loaded: what is alive is moved out of the
  collector's generations once (`settle`), as its full passes over 10,000 loaded tasks took
  50-60 ms in the middle of typing; a reload hands the old plan back to it first (`unsettle`).
- A process that ends with its command (`duban`, the parse helpers): the collector stays off to
  the end (`pause_for_good`) and the exit skips freeing the run's objects (`end_now`): 10,000
  parsed documents took 0.06 s to tear down, a list's rows 0.015 s, a sixth of a warm `list`.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from collections.abc import Iterator
from typing import NoReturn


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off while the block builds objects that form no cycles (as it was after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pause_for_good() -> None:
    """The collector off until the process ends (a process that ends with its command)."""
    gc.disable()


def settle() -> None:
    """Collect what is garbage now, then keep what is alive out of the collector's passes."""
    gc.collect()
    gc.freeze()


def unsettle() -> None:
    """Hand what settle() kept back to the collector: what was long-lived may now be garbage."""
    gc.unfreeze()


def nothing_left_to_run_at_exit() -> bool:
    """Whether the interpreter's own exit would only free memory: no exit handler registered
    (CPython's count of them, read from the atexit module: no public call gives it; unknown
    elsewhere, and then the interpreter exits as usual), no profiler or tracer watching the run
    (they write what they saw after it), and no thread the exit would wait for."""
    count = getattr(atexit, "_ncallbacks", None)
    if count is None or count() or sys.getprofile() is not None or sys.gettrace() is not None:
        return False
    main_thread = threading.main_thread()
    return not any(thread is not main_thread and not thread.daemon for thread in threading.enumerate())


def end_now(code: int) -> NoReturn:
    """End the process with `code`, its output flushed, without freeing its objects one by one."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone away (`| head`), or a closed stream
            pass
    os._exit(code)
