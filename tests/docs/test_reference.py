"""The command reference (docs/reference.md, docs/reference.zh.md) is the commands' own help:
scripts/reference.py finds it current, every command has its section, and a section is what
the real `duban` command prints for `--help` in an 80-column terminal. A stale page is found."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from duban.cli.main import cli
from tests.support import PROJECT

SCRIPT = PROJECT / "scripts" / "reference.py"
PAGES = {"en": PROJECT / "docs" / "reference.md", "zh": PROJECT / "docs" / "reference.zh.md"}


def _script(*args: str) -> subprocess.CompletedProcess[str]:
    # In a process of its own: printing help sets the language and Click's type names for the process.
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=PROJECT, capture_output=True, text=True, encoding="utf-8", check=False
    )


def sections(page: Path) -> dict[str, str]:
    """Each `## duban ...` heading of `page` with the text block under it."""
    text = page.read_text(encoding="utf-8")
    return dict(re.findall(r"^## (duban(?: [a-z-]+)*)\n\n```text\n(.*?)\n```$", text, flags=re.MULTILINE | re.DOTALL))


def _commands(group: click.Group, path: tuple[str, ...] = ("duban",)) -> list[str]:
    context = click.Context(group)
    found = [" ".join(path)]
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        found += _commands(command, (*path, name)) if isinstance(command, click.Group) else [" ".join((*path, name))]
    return found


def test_the_reference_pages_are_current() -> None:
    done = _script("--check")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_every_command_has_its_section(lang: str) -> None:
    assert sorted(sections(PAGES[lang])) == sorted(_commands(cli))


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(PAGES))
@pytest.mark.parametrize("command", ["", "progress", "guard"])
def test_a_section_is_what_the_command_prints(lang: str, command: str) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("DUBAN_")}
    printed = subprocess.run(
        [sys.executable, "-m", "duban", "--lang", lang, *command.split(), "--help"],
        cwd=PROJECT,
        env={**env, "COLUMNS": "80", "LINES": "24"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    name = " ".join(["duban", *command.split()])
    assert sections(PAGES[lang])[name] == printed.rstrip("\n")


@pytest.mark.slow
def test_a_stale_page_is_found_and_written_again(tmp_path: Path) -> None:
    for page in PAGES.values():
        shutil.copy(page, tmp_path / page.name)
    stale = tmp_path / PAGES["zh"].name
    stale.write_text(stale.read_text(encoding="utf-8").replace("--percent", "--percentage", 1), encoding="utf-8")
    found = _script("--check", "--docs", str(tmp_path))
    assert (found.returncode, found.stdout) == (
        1,
        f"{stale} differs from the commands' --help: run scripts/reference.py\n",
    )
    assert _script("--docs", str(tmp_path)).returncode == 0
    assert stale.read_text(encoding="utf-8") == PAGES["zh"].read_text(encoding="utf-8")
    assert _script("--check", "--docs", str(tmp_path)).returncode == 0


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_help_fits_an_80_column_terminal_counting_a_chinese_character_as_two_cells(lang: str) -> None:
    """Click wrapped help by characters: `duban --lang zh guard --help` ran to 145 cells, and the
    terminal broke the lines anywhere. A line may be wider only where the help keeps its lines
    as written (a `\\b` block: the examples), as printed in the command's own text."""
    import inspect

    from duban.i18n import _, set_language
    from duban.text.textwidth import cell_width

    set_language(lang)
    kept: set[str] = set()
    for path in _commands(cli):
        command: click.Command = cli
        for name in path.split()[1:]:
            command = command.commands[name]  # type: ignore[attr-defined]
        for text in (command.help, command.epilog):
            if text:
                kept |= {line.strip() for line in _(inspect.cleandoc(text)).splitlines()}
    wide = [
        (title, line)
        for title, block in sections(PAGES[lang]).items()
        for line in block.splitlines()
        if cell_width(line) > 78 and line.strip() not in kept
    ]
    assert wide == []
