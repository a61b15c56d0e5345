"""Named steps where a test stops a running command, to kill it there as a crash would.

Where DUBAN_STOP_AT names a step (several: comma-separated) and DUBAN_STOP_DIR a folder, the
process that reaches the step writes <folder>/<step>.reached (its pid), then waits until
<folder>/<step>.go appears. A test waits for the first file and SIGKILLs the process: the kill
lands at a known point of the command, not wherever a guessed sleep ends. Unset (always,
outside tests), a step costs one look at the environment.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

STOP_AT = "DUBAN_STOP_AT"
STOP_DIR = "DUBAN_STOP_DIR"


def step(name: str) -> None:
    wanted = os.environ.get(STOP_AT)
    if not wanted or name not in wanted.split(","):
        return
    folder = Path(os.environ.get(STOP_DIR) or ".")
    # Written aside and renamed into place: a test polling for the file never reads it empty.
    aside = folder / f"{name}.reached.{os.getpid()}"
    aside.write_text(str(os.getpid()), encoding="utf-8")
    os.replace(aside, folder / f"{name}.reached")
    go = folder / f"{name}.go"
    while not go.exists():  # a test kills the process here, or lets it go on
        time.sleep(0.01)
