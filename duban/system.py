"""What differs between Windows and POSIX systems, in one place: stopping a process with what it
started, opening a file without waiting on a FIFO, and streams in UTF-8. Nothing else in duban
calls what only one kind of system has (fcntl, os.killpg, signal.SIGKILL, os.O_NONBLOCK).

DUBAN_PORTABLE=1 takes the paths a system without them takes (Windows) wherever this system
can take them too, so that the test suite runs them here: git and what it started are stopped
without a process group (process.kill() alone; what git started is given up on by the reader,
gitstore.py). Where this system cannot take Windows' own path (taskkill, CREATE_NEW_PROCESS_GROUP,
no FIFOs) it takes its own. CI runs the whole suite so after the native run
(`DUBAN_PORTABLE=1 python3 dev.py test`, .ci/run). The repository lock is the same on every
system (locking.py, through the filelock library); UTF-8 streams and git's -c core.quotepath=off
are the same on every system too.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import subprocess

PORTABLE_VARIABLE = "DUBAN_PORTABLE"


def posix() -> bool:
    """Whether the POSIX paths are taken: on a POSIX system, unless DUBAN_PORTABLE is set."""
    return os.name == "posix" and not os.environ.get(PORTABLE_VARIABLE)


def group_options() -> dict[str, Any]:
    """Popen's options that start a process as the head of its own group, so that
    stop_group() stops what it starts too (ssh under git)."""
    if posix():
        return {"start_new_session": True}
    if sys.platform == "win32":
        # Deferred: loads subprocess only when this runs
        import subprocess

        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {}


def stop_group(process: subprocess.Popen[Any]) -> None:
    """Stop `process` and, where the system can, every process of its group, at once."""
    if posix():
        # Deferred: loads signal only when this runs
        import signal

        try:
            os.killpg(process.pid, signal.SIGKILL)
            return
        except ProcessLookupError:
            return
        except OSError:
            pass
    elif sys.platform == "win32":
        # Deferred: loads subprocess only when this runs
        import subprocess

        # taskkill /T ends the tree git started; TerminateProcess alone would leave ssh running.
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
    try:
        process.kill()
    except OSError:  # it ended meanwhile
        pass


# os.open's flag that keeps a FIFO from blocking the open; Windows has neither the flag nor FIFOs.
NO_WAIT: int = getattr(os, "O_NONBLOCK", 0)


def utf8_streams() -> None:
    """Standard input, output and error in UTF-8, whatever the console's code page or the
    locale (a Chinese Windows pipes in GBK): what duban writes reads the same on every system,
    and no Chinese character is ever an encoding error."""
    for name in ("stdin", "stdout", "stderr"):
        stream = getattr(sys, name, None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if stream is None or encoding in ("utf-8", "utf8") or not hasattr(stream, "reconfigure"):
            continue
        try:
            stream.reconfigure(encoding="utf-8", errors="surrogateescape" if name == "stdin" else "replace")
        except (ValueError, OSError):  # a stream already read from, or closed
            pass
