"""Task files parsed in helper processes while `validate` checks others.

A first run parses every file, and PyYAML's C parser holds the interpreter's lock, so
threads would not help: on a machine with more than one core, a plan's files beyond a
thousand are split between this process and helpers (`python -m duban.store.parse_helpers`,
started once a run; validate then reads every plan before it checks any, so that the
helpers parse one plan while it reads the next). A helper only parses; what it returns is a
head start, never a verdict: a file it could not parse, or any failure of the helper (a
crash, a kill, a value marshal cannot carry), leaves that file to be parsed here as if no
helper existed, so the problems found and their order do not depend on the helpers.

The count of helpers: `DUBAN_JOBS` processes in all (1: none), by default one per core
available to this process, at most four.
"""

from __future__ import annotations

import collections
import marshal
import os
import queue
import subprocess
import sys
import threading
from typing import Any

from duban import memory

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
# the fields of yaml_loader.ScalarNotes; None when this process must parse the file itself.
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
    """Helper processes for one run, started on first use and stopped by close(). Plans may
    be split one after another before any answer is read: each helper answers its frames in
    the order they were sent, and keeps parsing while this process reads the next plan."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._helpers: list[_Helper] | None = None
        self._asked = 0  # frames sent so far: each is numbered, and its answer must carry the number

    @classmethod
    def for_this_machine(cls) -> ParseHelpers | None:
        """Helpers for a run here: none on one core, or where this interpreter cannot be
        started again as a helper (no sys.executable; a frozen application, whose executable
        is duban itself)."""
        count = jobs() - 1
        if count < 1 or not sys.executable or getattr(sys, "frozen", False):
            return None
        return cls(count)

    def split(self, items: list[tuple[str, bytes]]) -> ParsedAhead:
        """Hand the later part of `items` ((name, bytes) in the order they will be checked)
        to the helpers, in frames of FRAME files dealt to them in turn; the earlier part,
        which this process reaches first, stays here while the first frames are parsed."""
        if len(items) < MIN_FILES or not self._ensure_started():
            return ParsedAhead({})
        helpers = self._helpers or []
        kept = min(len(items), max(len(items) // (1 + 3 * len(helpers)), KEPT_AT_LEAST))
        frames: dict[str, tuple[_Frame, int]] = {}
        for number, first in enumerate(range(kept, len(items), FRAME)):
            chunk = items[first : first + FRAME]
            frame = helpers[number % len(helpers)].send(self._asked, [data for _name, data in chunk])
            self._asked += 1
            for position, (name, _data) in enumerate(chunk):
                frames[name] = (frame, position)
        return ParsedAhead(frames)

    @property
    def started(self) -> bool:
        return bool(self._helpers)

    def start(self, files: int) -> None:
        """Start the helpers ahead of a split of about `files` files, so that they load
        while this process reads the files (a helper takes about 0.05 s to start)."""
        if files >= MIN_FILES:
            self._ensure_started()

    def _ensure_started(self) -> bool:
        if self._helpers is None:
            self._helpers = []
            # The helper imports this very duban, wherever it was imported from.
            package_parent = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
            for _number in range(self.count):
                try:
                    self._helpers.append(
                        _Helper(
                            subprocess.Popen(
                                helper_command(),
                                stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL,
                                env=env,
                            )
                        )
                    )
                except OSError:
                    break
        return bool(self._helpers)

    def close(self) -> None:
        """Stop the helpers: each leaves when its input closes, answered or not."""
        for helper in self._helpers or ():
            helper.close()
        self._helpers = None


class _Helper:
    """One helper process and two threads: one sends frames (so that this process goes on
    while the pipe drains, and frames never interleave), one receives answers as they come
    (so that the helper never waits for this process to read, while it reads other plans).
    Answers are decoded here, in order, each for the oldest frame still waiting."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self._outgoing: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._answers: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._waiting: collections.deque[_Frame] = collections.deque()
        self._ended = False  # the helper's output ended: no more answers will come
        self._threads = [
            threading.Thread(target=self._send, daemon=True),
            threading.Thread(target=self._receive, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def send(self, number: int, texts: list[bytes]) -> _Frame:
        frame = _Frame(self, number, len(texts))
        self._waiting.append(frame)
        self._outgoing.put(_framed(marshal.dumps((number, texts))))
        return frame

    def _send(self) -> None:
        stream = self.process.stdin
        try:
            assert stream is not None
            while (payload := self._outgoing.get()) is not None:
                stream.write(payload)
                stream.flush()
            stream.close()
        except (OSError, ValueError):
            pass  # the helper is gone: its frames go unanswered and are parsed here

    def _receive(self) -> None:
        stream = self.process.stdout
        try:
            assert stream is not None
            while len(header := stream.read(_HEADER)) == _HEADER:
                length = int.from_bytes(header, "big")
                payload = stream.read(length)
                if len(payload) < length:
                    break
                self._answers.put(payload)
        except (OSError, ValueError):
            pass
        self._answers.put(None)

    def answer(self, frame: _Frame) -> None:
        """Decode answers until `frame` has its own."""
        while frame.results_read is None and self._waiting:
            oldest = self._waiting.popleft()
            payload = None if self._ended else self._answers.get()
            self._ended = payload is None
            oldest.accept(_decoded(payload))
        if frame.results_read is None:
            frame.accept(None)

    def close(self) -> None:
        self._outgoing.put(None)  # the sender closes the helper's input: it leaves when done
        if self._waiting:
            self.process.kill()  # frames no one will read: no need to finish them
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for thread in self._threads:
            thread.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


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


class _Frame:
    """One frame of files sent to a helper, and its answer, read when first wanted."""

    def __init__(self, helper: _Helper, number: int, count: int) -> None:
        self._helper = helper
        self._number = number
        self._count = count
        self.results_read: list[Any] | None = None

    def accept(self, answer: Any) -> None:
        # Only the answer to this very frame, whole, is used (a helper that died half-way
        # or answered another frame gives nothing: the checker parses those files).
        number, results = answer if isinstance(answer, tuple) and len(answer) == 2 else (None, None)
        ok = number == self._number and isinstance(results, list) and len(results) == self._count
        self.results_read = results if ok else []

    def results(self) -> list[Any]:
        if self.results_read is None:
            self._helper.answer(self)
        return self.results_read or []


def _decoded(payload: bytes | None) -> Any:
    """A helper's answer, or None when there is none or it does not decode."""
    if payload is None:
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None


def parse_one(data: bytes) -> Parsed | None:
    """A helper's work on one file: its document and notes, or None for anything this
    process must look at itself (not UTF-8, not YAML, not a mapping)."""
    # Deferred: loads duban.store.yaml_loader and 1 more (9 duban modules in all; yaml) only when this runs
    from duban.store import yaml_loader, yamlio

    try:
        text = yamlio.decode(data, "")
        notes = yaml_loader.ScalarNotes()
        doc = yamlio.load_fast(text, "", notes)
    except Exception:  # whatever stops it, the checker parses the file again and says what
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
    memory.pause_for_good()  # documents form no cycles (duban.memory)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = source.read(_HEADER)
        if len(header) < _HEADER:
            sink.flush()
            memory.end_now(0)  # nothing to tear down: the objects of a run need not be freed one by one
        payload = source.read(int.from_bytes(header, "big"))
        answer = _answer(*marshal.loads(payload))
        sink.write(_framed(answer))
        sink.flush()


if __name__ == "__main__":
    sys.exit(main())
