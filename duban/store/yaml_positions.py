"""Where a problem's pointer (a path of keys) lies in a file: its line and column."""

from __future__ import annotations

import re
from typing import Any

from duban.problems import Pointer, Problem
from duban.store.yaml_round_trip import load_round_trip
from duban.store.yamlio import YamlError


def locate(document: Any, pointer: Pointer, at_key: bool = False) -> tuple[int | None, int | None]:
    """1-based line and column of `pointer` in a round-trip-loaded document.

    Walks as deep as the pointer reaches; a pointer past the document (a missing key)
    lands on the deepest container that exists.
    """
    # Deferred: loads ruamel.yaml.comments only when this runs
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = document
    best: tuple[int, int] | None = _own_position(node)
    for depth, step in enumerate(pointer):
        last = depth == len(pointer) - 1
        if isinstance(node, CommentedMap) and step in node:
            pos = node.lc.key(step) if (at_key and last) else node.lc.value(step)
        elif isinstance(node, CommentedSeq) and isinstance(step, int) and 0 <= step < len(node):
            pos = node.lc.item(step)
        else:
            break
        best = (pos[0], pos[1])
        node = node[step]
        inner = _own_position(node)
        if inner is not None and not last:
            best = inner
    if best is None:
        return None, None
    return best[0] + 1, best[1] + 1


def _own_position(node: Any) -> tuple[int, int] | None:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return None
    return lc.line, lc.col


def locate_all(problems: list[Problem], texts: dict[str, str]) -> list[Problem]:
    """Give problems that carry a pointer their line and column in the file's text."""
    documents: dict[str, Any] = {}
    located = []
    for problem in problems:
        if problem.line is None and problem.pointer is not None and problem.path in texts:
            if problem.path not in documents:
                try:
                    documents[problem.path] = load_round_trip(texts[problem.path], problem.path, dates_as_text=True)
                except YamlError:
                    documents[problem.path] = None
            document = documents[problem.path]
            if document is not None:
                problem = problem.located(*locate(document, problem.pointer, problem.at_key))
            else:
                problem = problem.located(*_by_key(texts[problem.path], problem.pointer))
        located.append(problem)
    return located


def _by_key(text: str, pointer: tuple[Any, ...] | None) -> tuple[int | None, int | None]:
    """Where the round-trip reader cannot read the file (a tab in a value, which libyaml
    takes): the line of the pointer's last key, following its keys in order through the text."""
    keys = [k for k in pointer or () if isinstance(k, str)]
    offset = 0
    found: tuple[int | None, int | None] = (None, None)
    for key in keys:
        match = re.compile(rf"^[ \t-]*{re.escape(key)}[ \t]*:", re.MULTILINE).search(text, offset)
        if match is None:
            break
        offset = match.end()
        line = text.count("\n", 0, match.start()) + 1
        found = (line, match.group().index(key[0]) + 1)
    return found
