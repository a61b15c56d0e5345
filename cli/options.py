"""The options many commands share, spelled once: `--plan` (one plan or several, completed from
the plans here), `--as-of` (a day, read from git for a past one) and `--format`. Each command
says in its own help what the option means to it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from duban.cli import completion

F = TypeVar("F", bound=Callable[..., Any])


def plan_option(help: str, *, several: bool = False) -> Callable[[F], F]:
    """--plan PLAN-ID, as `plan_id`; repeatable as `plan_ids` when a command takes `several`."""
    return click.option(
        "--plan",
        "plan_ids" if several else "plan_id",
        multiple=several,
        metavar="PLAN-ID",
        shell_complete=completion.plan_ids,
        help=help,
    )


def as_of_option(help: str) -> Callable[[F], F]:
    """--as-of YYYY-MM-DD, as `as_of` (text: the command reads it as a day in the clerk's forms)."""
    return click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help=help)


def format_option(choices: Sequence[str], help: str, default: str | None = None) -> Callable[[F], F]:
    """--format, as `output_format`: one of `choices`, `default` shown in the help when there is one."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=default,
        show_default=default is not None,
        help=help,
    )
