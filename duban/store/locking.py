"""One duban writer at a time per repository: a lock on .git/duban.lock.

The lock is the system's own (flock on POSIX, LockFileEx on Windows) through the filelock
library, so it is released when its holder dies, even killed, and a crashed duban never
leaves a stale lock behind. The lock file itself stays: removing it on release would let a
waiter lock a file already gone while a newcomer locks a new one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from duban.errors import DubanError
from duban.i18n import _


@contextlib.contextmanager
def repository_lock(git_dir: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold the repository's lock for the block; DubanError when another process holds it for
    `timeout` seconds, or the lock file cannot be opened."""
    # Deferred: loads filelock only when this runs
    import filelock

    path = git_dir / "duban.lock"
    # thread_local off: the lock is the process's, whichever thread (a TUI worker) takes it.
    lock = filelock.FileLock(
        path,
        timeout=timeout,
        mode=0o644,
        thread_local=False,
        preserve_lock_file=True,
        fallback_to_soft=False,
        poll_interval=0.05,
    )
    try:
        lock.acquire()
    except filelock.Timeout:
        raise DubanError(
            _("another duban process has been writing to this repository for {seconds:.0f} s").format(seconds=timeout),
            hint=_("wait for it to finish, then try again"),
        ) from None
    except OSError as error:
        raise DubanError(
            _("cannot open the lock file {path}: {reason}").format(path=path, reason=error.strerror),
            hint=_("check that you may write to {folder}; nothing was changed").format(folder=path.parent),
        ) from None
    try:
        yield
    finally:
        lock.release()
