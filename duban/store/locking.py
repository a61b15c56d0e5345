"""One duban writer at a time per repository: an advisory lock on .git/duban.lock.

flock is released by the kernel when the holder dies, even by SIGKILL, so a crashed
duban never leaves a stale lock behind.
"""
from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from collections.abc import Iterator

from duban.errors import DubanError
from duban.i18n import _

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; git's own index.lock still guards the index
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def repository_lock(git_dir: Path, timeout: float = 30.0) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    path = git_dir / "duban.lock"
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise DubanError(_("cannot open the lock file {path}: {reason}").format(path=path, reason=error.strerror),
                         hint=_("check that you may write to {folder}; nothing was changed").format(
                             folder=path.parent)) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DubanError(_("another duban process has been writing to this repository for "
                                       "{seconds:.0f} s").format(seconds=timeout),
                                     hint=_("wait for it to finish, then try again")) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)  # closing the descriptor releases the lock
