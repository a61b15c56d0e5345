"""What every command shares: the repository option and how to reach the repository."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from duban.repository import Repository


@dataclass
class Options:
    repo: str | None = None


def repository(ctx: click.Context) -> Repository:
    """The repository named by --repo or $DUBAN_REPO, else the one around the current folder."""
    from duban.repository import Repository

    options = ctx.find_object(Options) or Options()
    return Repository.find(explicit=options.repo)
