"""What the CLI tests share: a command run in a clone as a user runs it there, and the English words
left in what a command prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli


def duban(cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# Identifiers a Chinese help text or output may hold: names of commands, formats and
# layouts, the languages, file kinds and programs, and the pinyin of the examples.
ALLOWED = {
    *cli.commands,
    "duban",
    "git",
    "origin",
    "push",
    "tags",
    "nano",
    "zh",
    "en",
    "OR",
    "or",
    "table",
    "json",
    "csv",
    "md",
    "html",
    "xlsx",
    "yaml",
    "text",
    "docx",
    "txt",
    "auto",
    "outline",
    "pipe-table",
    "cell-table",
    "narrative",
    "single",
    "area",
    "Schema",
    "Markdown",
    "HTML",
    "Excel",
    "Word",
    "WPS",
    "YAML",
    "JSON",
    "CSV",
    "UTF",
    "GB",
    "LibreOffice",
    "Windows",
    "unit",
    "type",
    "plan",  # the values of report --by
    "pre-receive",
    "exec",
    "python",
    "gitolite",
    "GitLab",
    "Gitea",  # hooks and hostings by name
    "fgw",
    "jjfz",
    "kw",
    "somewhere",
    "notice",
    "report",
    "changning",
    "baoshan",
    "pre-commit",
    "commit",
    "Test",
    "Author",
    "plans",  # the sample history's git author and first commit: data
}


def english_words(text: str) -> list[str]:
    """Words of English left in `text`, leaving out what is an identifier by its form: options,
    placeholders in capitals, refs, paths, dates, query terms and assignments (anything with
    / . : = < > _ or an inner dot), choice lists in brackets and what the user typed, in quotes."""
    text = re.sub(r"\[[^\]\n]*\|[^\]\n]*\]", " ", text)  # [table|json|csv]
    text = re.sub(r"'[^'\n]*'", " ", text)  # what was typed: 'lst'
    found = []
    for run in re.findall(r"[A-Za-z0-9_\-./:=<>$%@#|]+", text):
        run = run.rstrip(".")
        if run.startswith("-") or re.search(r"[/.:=<>_$%@#|]", run) or re.fullmatch(r"[0-9a-f]{7,40}", run):
            continue
        for word in re.findall(r"[A-Za-z][A-Za-z-]+", run):
            if word.isupper() or word in ALLOWED:
                continue
            found.append(word)
    return found
