"""What a warm `duban --help`, `list` and `validate` load: none of the heavy libraries that only
other commands need (harlequin's import-hygiene test is the model). Counted by module, not by
the clock, so it fails the same way on every machine; the process runs as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# Each only for the commands that need it: Textual and Rich for `duban tui`, openpyxl and
# python-docx for import and the ledger and circular, lxml under python-docx, jsonschema
# (Python) only in the tests, ruamel for writes.
HEAVY = {"textual", "rich", "openpyxl", "docx", "lxml", "jsonschema", "ruamel"}
# --help reads no file at all: neither YAML reader nor the schema validator.
READERS = {"yaml", "jsonschema_rs"}


# What a warm run (the cache written by a first one) reads instead: neither YAML nor the schema
# validator, and none of the core's parts for writing, importing, forms, documents or history.
WARM_SKIPS = (
    "duban.store.yamlio",
    "duban.store.yaml_round_trip",
    "duban.importing",
    "duban.forms",
    "duban.site",
    "duban.supervise.circular",
    "duban.supervise.export",
    "duban.record.history",
    "duban.validate.checks",
)


def modules_loaded_by(root: Path, *args: str) -> set[str]:
    """The modules `python -m duban ARGS` imports (read from -X importtime, which sees them
    however the process exits)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "duban", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def loaded_by(root: Path, *args: str) -> set[str]:
    """The top-level packages `python -m duban ARGS` imports."""
    return {name.split(".")[0] for name in modules_loaded_by(root, *args)}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "kept_out"),
    [
        (("--help",), HEAVY | READERS),
        (("list",), HEAVY),
        (("list", "--format", "csv"), HEAVY),
        (("validate",), HEAVY),
    ],
)
def test_a_command_loads_no_heavy_library_it_does_not_use(
    git_repo: Path, args: tuple[str, ...], kept_out: set[str]
) -> None:
    loaded = loaded_by(git_repo, *args)
    assert {"duban", "click"} <= loaded  # the count itself works
    assert loaded & kept_out == set()


def test_the_count_sees_a_heavy_library_a_command_uses(git_repo: Path) -> None:
    assert "openpyxl" in loaded_by(
        git_repo, "export", "--plan", "2019-changning", "-o", str(git_repo.parent / "台账.xlsx")
    )


@pytest.mark.parametrize("args", [("list",), ("list", "--format", "csv"), ("validate",)])
def test_a_warm_command_reads_no_yaml_and_loads_no_part_it_skips(git_repo: Path, args: tuple[str, ...]) -> None:
    cold = modules_loaded_by(git_repo, *args)
    assert {"yaml", "duban.store.yamlio"} <= cold  # the count sees what the first run reads
    warm = modules_loaded_by(git_repo, *args)
    assert {name.split(".")[0] for name in warm} & (HEAVY | READERS) == set()
    assert sorted(name for name in warm if name.startswith(WARM_SKIPS)) == []
