"""Task files parsed in helper processes while `validate` checks others.

A first run parses every file, and PyYAML's C parser holds the interpreter's lock, so
threads would not help: on a machine with more than one core, the files of a plan beyond a
few thousand are split between this process and helpers (`python -m duban.store.parse_helpers`,
started once a run and fed plan after plan). A helper only parses; what it returns is a
head start, never a verdict: a file it could not parse, or any failure of the helper (a
crash, a kill, a value marshal cannot carry), leaves that file to be parsed here as if no
helper existed, so the problems found and their order do not depend on the helpers.

The count of helpers: `DUBAN_JOBS` processes in all (1: none), by default one per core
available to this process, at most four.
"""
from __future__ import annotations

import gc
import marshal
import os
import subprocess
import sys
import threading
from typing import IO, Any

JOBS_VAR = "DUBAN_JOBS"
MAX_JOBS = 4
# Below this many files to parse in a plan, a helper's start (about 0.05 s) costs more than
# it saves: a few files of a pre-commit run are parsed here.
MIN_FILES = 1_000
FRAME = 250  # files a frame: small enough that the first answer comes soon
# Files this process parses itself at the least, while the helpers parse their first frame;
# beyond, it keeps a quarter (one helper) or less, as it also checks every file the helpers
# parsed (measured on 10,000 files and two cores: a quarter, a fifth and a third are within
# 0.03 s of each other).
KEPT_AT_LEAST = 600
# What a helper returns for a file: (document, dates noted, ambiguous, every scalar seen),
# the fields of yamlio.ScalarNotes; None when this process must parse the file itself.
Parsed = tuple[dict[str, Any], list[str], bool, bool]
_HEADER = 8  # a frame's length, big-endian, before its marshal bytes


def jobs() -> int:
    """Processes a run may use in all (this one included)."""
    wanted = os.environ.get(JOBS_VAR, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def helper_command() -> list[str]:
    return [sys.executable, "-m", "duban.store.parse_helpers"]


class ParseHelpers:
    """Helper processes for one run, started on first use and stopped by close()."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._processes: list[subprocess.Popen[bytes]] | None = None
        self._unread: list[_Frame] = []  # frames sent whose answers are not read yet, in order
        self._asked = 0  # frames sent so far: each is numbered, and its answer must carry the number

    @classmethod
    def for_this_machine(cls) -> ParseHelpers | None:
        count = jobs() - 1
        return cls(count) if count > 0 else None

    def split(self, items: list[tuple[str, bytes]]) -> ParsedAhead:
        """Hand the later part of `items` ((name, bytes) in the order they will be checked)
        to the helpers, in frames of FRAME files dealt to them in turn; the earlier part,
        which this process reaches first, stays here while the first frames are parsed."""
        if len(items) < MIN_FILES or not self._started():
            return ParsedAhead({})
        for earlier in self._unread:  # a helper answers in the order asked: none may be left unread
            earlier.results()
        self._unread = []
        processes = self._processes or []
        kept = min(len(items), max(len(items) // (1 + 3 * len(processes)), KEPT_AT_LEAST))
        frames: dict[str, tuple[_Frame, int]] = {}
        payloads: list[list[bytes]] = [[] for _process in processes]
        for number, first in enumerate(range(kept, len(items), FRAME)):
            chunk = items[first:first + FRAME]
            process = processes[number % len(processes)]
            frame = _Frame(process, self._asked, len(chunk))
            payloads[number % len(processes)].append(
                _framed(marshal.dumps((self._asked, [data for _name, data in chunk]))))
            self._asked += 1
            self._unread.append(frame)
            for position, (name, _data) in enumerate(chunk):
                frames[name] = (frame, position)
        for process, payload in zip(processes, payloads):
            # Sent by a thread, so that this process goes on parsing while the pipe drains.
            threading.Thread(target=_send, args=(process, payload), daemon=True).start()
        return ParsedAhead(frames)

    def start(self, files: int) -> None:
        """Start the helpers ahead of a split of about `files` files, so that they load
        while this process reads the files (a helper takes about 0.05 s to start)."""
        if files >= MIN_FILES:
            self._started()

    def _started(self) -> bool:
        if self._processes is None:
            self._processes = []
            # The helper imports this very duban, wherever it was imported from.
            package_parent = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
            for _number in range(self.count):
                try:
                    self._processes.append(subprocess.Popen(
                        helper_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL, env=env))
                except OSError:
                    break
        return bool(self._processes)

    def close(self) -> None:
        """Stop the helpers: each leaves when its input closes, answered or not."""
        for process in self._processes or ():
            for stream in (process.stdin, process.stdout):
                try:
                    if stream is not None:
                        stream.close()
                except OSError:
                    pass
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._processes = None
        self._unread = []


class ParsedAhead:
    """What the helpers parsed of one plan's files, by name; take() waits for it."""

    def __init__(self, frames: dict[str, tuple[_Frame, int]]) -> None:
        self._frames = frames

    def take(self, name: str) -> Parsed | None:
        found = self._frames.pop(name, None)
        if found is None:
            return None
        frame, position = found
        results = frame.results()
        return results[position] if position < len(results) else None


def _framed(payload: bytes) -> bytes:
    return len(payload).to_bytes(_HEADER, "big") + payload


def _send(process: subprocess.Popen[bytes], frames: list[bytes]) -> None:
    try:
        assert process.stdin is not None
        for frame in frames:
            process.stdin.write(frame)
            process.stdin.flush()
    except (OSError, ValueError):
        pass  # the helper is gone (or closed): its frames go unanswered and are parsed here


class _Frame:
    """One frame of files sent to a helper, and its answer, read when first wanted."""

    def __init__(self, process: subprocess.Popen[bytes], number: int, count: int) -> None:
        self._process = process
        self._number = number
        self._count = count
        self._results: list[Any] | None = None

    def results(self) -> list[Any]:
        if self._results is None:
            answer = _read_frame(self._process.stdout)
            # Only the answer to this very frame, whole, is used (a helper that died half-way
            # or answered another frame gives nothing: the checker parses those files).
            number, results = answer if isinstance(answer, tuple) and len(answer) == 2 else (None, None)
            ok = number == self._number and isinstance(results, list) and len(results) == self._count
            self._results = results if ok and isinstance(results, list) else []
        return self._results


def _read_frame(stream: IO[bytes] | None) -> Any:
    """A helper's answer, or None when it died or sent something else."""
    try:
        if stream is None:
            return None
        header = stream.read(_HEADER)
        if len(header) < _HEADER:
            return None
        length = int.from_bytes(header, "big")
        payload = stream.read(length)
        if len(payload) < length:
            return None
        return marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def parse_one(data: bytes) -> Parsed | None:
    """A helper's work on one file: its document and notes, or None for anything this
    process must look at itself (not UTF-8, not YAML, not a mapping)."""
    from duban.store import yamlio

    try:
        text = yamlio.decode(data, "")
        notes = yamlio.ScalarNotes()
        doc = yamlio.load_fast(text, "", notes)
    except Exception:
        return None
    if not isinstance(doc, dict):
        return None
    return doc, notes.dates, notes.ambiguous, notes.complete


def _answer(number: int, texts: list[bytes]) -> bytes:
    results = [parse_one(data) for data in texts]
    try:
        return marshal.dumps((number, results))
    except ValueError:  # a value marshal cannot carry: that file is parsed by the checker
        kept = []
        for result in results:
            try:
                marshal.dumps(result)
                kept.append(result)
            except ValueError:
                kept.append(None)
        return marshal.dumps((number, kept))


def main() -> int:
    """A helper: frames of file bytes in on stdin, frames of parsed documents out, until stdin closes."""
    gc.disable()  # documents form no cycles (see cache.paused_gc)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = source.read(_HEADER)
        if len(header) < _HEADER:
            sink.flush()
            os._exit(0)  # nothing to tear down: the objects of a run need not be freed one by one
        payload = source.read(int.from_bytes(header, "big"))
        answer = _answer(*marshal.loads(payload))
        sink.write(_framed(answer))
        sink.flush()


if __name__ == "__main__":
    sys.exit(main())
