"""The exit codes every duban command uses."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    """Success; `validate` found no errors (warnings are allowed)."""
    PROBLEMS = 1
    """`validate` found errors, or the command could not do its work; one line on stderr says why."""
    USAGE = 2
    """The command line itself is wrong (unknown option, missing argument)."""
    INTERNAL = 3
    """A bug in duban; the traceback is written to a log file whose path is printed."""
    INTERRUPTED = 130
    """Stopped by Ctrl-C."""
