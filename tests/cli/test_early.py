"""The `duban` command starts git's look for a `list` before its interface is imported
(cli.early): the command line is read as Click reads its global options, the view is used
only for the repository the command then finds, and a `list` so started lists what one
started without it lists."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from duban.cli import early
from duban.cli.context import Options, start_reading
from tests.support import git


@pytest.mark.parametrize(
    ("args", "found"),
    [
        (["list", "lead:fgw"], ("list", None)),
        (["--repo", "/x", "list"], ("list", "/x")),
        (["--repo=/x", "--lang", "zh", "list"], ("list", "/x")),
        (["--lang=en", "show", "1"], ("show", None)),
        (["--help"], (None, None)),
        (["--repo"], (None, None)),
        ([], (None, None)),
    ],
)
def test_the_command_is_read_as_click_reads_it(args: list[str], found: tuple[str | None, str | None]) -> None:
    assert early.command_and_repo(args) == found


def _context(repo: Path) -> click.Context:
    ctx = click.Context(click.Command("list"))
    ctx.obj = Options(repo=str(repo))
    return ctx


def test_a_list_takes_the_view_started_for_its_repository(git_repo: Path, tmp_path: Path) -> None:
    early.look_ahead(["--repo", str(git_repo), "list"])
    started = early._started
    assert started is not None and started[0] == git_repo.resolve()
    ctx = _context(git_repo)
    start_reading(ctx)
    assert ctx.meta["duban.reading"][1] is started[1]
    assert early._started is None  # taken once


def test_a_view_started_for_another_repository_is_not_used(git_repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "plans").mkdir()
    git(other, "init", "-q")
    early.look_ahead(["--repo", str(other), "list"])
    started = early._started
    assert started is not None
    ctx = _context(git_repo)
    start_reading(ctx)
    root, view = ctx.meta["duban.reading"]
    assert root == git_repo.resolve() and view is not None and view is not started[1]


def test_only_listing_commands_look_ahead(git_repo: Path) -> None:
    early.look_ahead(["--repo", str(git_repo), "show", "2019-changning/1"])
    assert early._started is None
    early.look_ahead(["--repo", str(git_repo / "nowhere"), "list"])  # no repository there: nothing, no error
    assert early._started is None


def test_the_command_lists_what_it_listed_without_the_head_start(git_repo: Path) -> None:
    def listed(code: str) -> list[dict[str, object]]:
        done = subprocess.run(
            [sys.executable, "-c", code, "list", "--format", "json"],
            cwd=git_repo,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=True,
        )
        return json.loads(done.stdout)

    head_start, plain = "from duban.cli.early import run; run()", "from duban.cli.main import run; run()"
    assert listed(head_start) == listed(plain)  # and the caches are warm
    task = git_repo / "plans/2019-changning/tasks/1.yaml"
    task.write_text(
        task.read_text(encoding="utf-8").replace("status: not_started", "status: delayed"), encoding="utf-8"
    )  # a change git's look must report
    with_head_start = listed(head_start)
    assert with_head_start == listed(plain)
    assert [row["status"] for row in with_head_start if row["ref"] == "2019-changning/1"] == ["delayed"]


def test_the_options_read_early_are_the_groups_options_that_take_a_value() -> None:
    """cli.early reads the global options without Click: it must know every one that takes
    a value, or a value could be taken for the command."""
    from duban.cli.main import cli

    taking_a_value = {
        name for param in cli.params if isinstance(param, click.Option) and not param.is_flag for name in param.opts
    }
    assert taking_a_value == set(early._WITH_VALUE)
