#!/usr/bin/env python3
"""Write the command reference, docs/reference.md (English) and docs/reference.zh.md (Chinese),
from the help the `duban` command itself prints for every command and subcommand:

    .venv/bin/python scripts/reference.py            # after a change to a command's options or help
    .venv/bin/python scripts/reference.py --check    # only say whether the pages are current

Each help is what `duban --lang LANG COMMAND --help` prints in an 80-column terminal with no DUBAN_*
variable set, so the pages show what a user at a terminal reads; tests/docs/test_reference.py runs
the check and compares the pages with the real command's output."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
DOCS = PROJECT / "docs"
WIDTH = "80"


@dataclass(frozen=True)
class Page:
    """One language's reference page: its file name, its words and the language asked of duban."""

    name: str
    lang: str
    title: str
    preface: str


PAGES = (
    Page(
        "reference.md",
        "en",
        "Command reference",
        "Every command's `--help`, as `duban --lang en COMMAND --help` prints it in an 80-column terminal.\n"
        "Written by `scripts/reference.py` from the commands themselves (run it after changing an option\n"
        "or a help text); `tests/docs/test_reference.py` fails when this page differs from the help.\n"
        "The same page in Chinese: [reference.zh.md](reference.zh.md).",
    ),
    Page(
        "reference.zh.md",
        "zh",
        "命令参考",
        "每条命令的 `--help`，即在 80 列终端中 `duban --lang zh 命令 --help` 的输出。\n"
        "本页由 `scripts/reference.py` 从命令本身生成（修改选项或帮助文字后运行它）；"
        "本页与帮助不一致时，`tests/docs/test_reference.py` 失败。\n"
        "英文版：[reference.md](reference.md)。",
    ),
)


def command_paths() -> list[tuple[str, ...]]:
    """Every command under `duban`, groups before their subcommands, in the order help lists them."""
    sys.path.insert(0, str(PROJECT))
    import click

    from duban.cli.main import cli

    found: list[tuple[str, ...]] = [()]

    def walk(group: click.Group, path: tuple[str, ...]) -> None:
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            found.append((*path, name))
            if isinstance(command, click.Group):
                walk(command, (*path, name))

    walk(cli, ())
    return found


def help_text(lang: str, path: tuple[str, ...]) -> str:
    """What `duban --lang LANG PATH... --help` prints: the command group called as the `duban`
    command calls it, in the terminal main() sets up (Click's CliRunner would force 80 columns
    where a terminal of 80 gives 78)."""
    from duban.cli.main import cli

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli.main(args=["--lang", lang, *path, "--help"], prog_name="duban", standalone_mode=False)
    if code != 0:
        raise SystemExit(f"duban {' '.join(path)} --help failed ({code})")
    return printed.getvalue().rstrip() + "\n"


def render(page: Page, helps: dict[tuple[str, ...], str]) -> str:
    """The Markdown of `page`: a list of the commands, then each command's help in a text block."""
    names = [" ".join(("duban", *path)) for path in helps]
    lines = [f"# {page.title}", "", page.preface, ""]
    lines += [f"- [`{name}`](#{name.replace(' ', '-')})" for name in names[1:]]
    for name, text in zip(names, helps.values()):
        lines += ["", f"## {name}", "", "```text", text.rstrip("\n"), "```"]
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """The text each reference page should have, by file name."""
    paths = command_paths()
    texts = {page.name: {path: help_text(page.lang, path) for path in paths} for page in PAGES}
    return {page.name: render(page, texts[page.name]) for page in PAGES}


def main(argv: list[str]) -> int:
    # The help of an 80-column terminal, whatever this one is, and no setting of the user's.
    os.environ.update(COLUMNS=WIDTH, LINES="24")
    for name in [name for name in os.environ if name.startswith("DUBAN_")]:
        del os.environ[name]
    folder = Path(argv[argv.index("--docs") + 1]) if "--docs" in argv else DOCS
    wanted = pages()
    if "--check" in argv:
        stale = [
            name
            for name, text in wanted.items()
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"{folder / name} differs from the commands' --help: run scripts/reference.py")
        return 1 if stale else 0
    for name, text in wanted.items():
        (folder / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
