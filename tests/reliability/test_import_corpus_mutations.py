"""Mutations of the real corpus documents never raise anything but duban's own error type:
full-width <-> ASCII punctuation, line breaks added, lines shuffled inside tables, truncation;
and the importer's crash sites found by the audit (M7) give one clear error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.errors import DubanError
from duban.importing.importer import import_document
from duban.importing.source import document_from_text
from tests.support import PROJECT

CORPUS = next(
    (p for p in (PROJECT.parent / "shared" / "corpus", Path("/work/shared/corpus")) if (p / "docs").is_dir()), None
)
DOCS = sorted((CORPUS / "docs").glob("*.txt")) if CORPUS else []
TEXTS = [p.read_text(encoding="utf-8") for p in DOCS]
EXAMPLES = settings(
    max_examples=2000 if os.environ.get("DUBAN_DEEP") else 150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PAIRS = [("(", "（"), (")", "）"), (":", "："), (";", "；"), (",", "，"), ("|", "｜"), (".", "．"), (" ", "　")]


def _import(text: str, layout: str = "auto") -> None:
    try:
        import_document(None, "2024-x", layout, document=document_from_text(text, "m.txt"), year=2024)
    except DubanError as error:
        assert str(error)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    if not TEXTS:
        return ""
    text = draw(st.sampled_from(TEXTS))
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["width", "break", "shuffle", "truncate", "drop"]))
        if kind == "width":
            ascii_char, wide = draw(st.sampled_from(PAIRS))
            text = "\n".join(lines)
            text = text.replace(ascii_char, wide) if draw(st.booleans()) else text.replace(wide, ascii_char)
            lines = text.split("\n")
        elif kind == "break" and lines:
            index = draw(st.integers(0, len(lines) - 1))
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index : index + 1] = [line[:at], line[at:]]
        elif kind == "shuffle" and len(lines) > 2:
            table = [i for i, line in enumerate(lines) if "|" in line or "│" in line] or list(range(len(lines)))
            start = draw(st.sampled_from(table))
            end = min(len(lines), start + draw(st.integers(2, 8)))
            chunk = lines[start:end]
            lines[start:end] = draw(st.permutations(chunk))
        elif kind == "truncate":
            text = "\n".join(lines)
            lines = text[: draw(st.integers(0, len(text)))].split("\n")
        elif kind == "drop" and lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.skipif(not TEXTS, reason="the shared corpus is not beside this checkout nor at /work/shared")
@EXAMPLES
@given(mutated())
def test_corpus_mutations_raise_only_duban_errors(text: str) -> None:
    _import(text)


@pytest.mark.skipif(not TEXTS, reason="the shared corpus is not beside this checkout nor at /work/shared")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.sampled_from(["general", "outline", "pipe-table", "cell-table", "narrative"]))
def test_forced_layouts_on_mutations_raise_only_duban_errors(text: str, layout: str) -> None:
    _import(text, layout)


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        ("序号\n第一季度\n\n第四季度\n\n1\n", "auto"),  # was StopIteration (cells.py:101)
        ("序号\n\n第一季度\n\n第四季度\n\n1\n\n发改委\n\n商务委\n", "auto"),  # was KeyError 'text' (cells.py:174)
        ("121 | 提升公共文化服务能力 | 开展文化从业人员培\n", "cell-table"),  # was ValueError from max() (cells.py:100)
        (
            "序号\n\n第一季度\n\n第四季度\n\n"
            + "".join(f"x{i}\n\n" for i in range(40))
            + "1\n\n"
            + "".join("目标\n\n——\n\n——\n\n——\n\n——\n\n发改委\n\n" for _ in range(12)),
            "cell-table",
        ),  # 12 targets: cells.py:156
        ("第一季度\n\n序号\n\n1\n", "cell-table"),
    ],
)
def test_audit_m7_crash_sites_give_one_clear_error(text: str, layout: str) -> None:
    try:
        result = import_document(None, "2019-x", layout, document=document_from_text(text, "crash.txt"))
    except DubanError as error:
        assert "crash.txt" in str(error)
    else:
        assert result.tasks
