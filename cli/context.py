"""What every command shares: the repository option and how to reach the repository."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from duban.i18n import _

if TYPE_CHECKING:
    from duban.repository import Repository
    from duban.selection import Selection


@dataclass
class Options:
    repo: str | None = None
    language: str | None = None  # zh or en once the group has chosen


def repository(ctx: click.Context) -> Repository:
    """The repository named by --repo or $DUBAN_REPO, else the one around the current folder."""
    from duban.repository import Repository

    options = ctx.find_object(Options) or Options()
    return Repository.find(explicit=options.repo)


def selection(ctx: click.Context, plan_ids: list[str] | tuple[str, ...], as_of: str | None) -> Selection:
    """The tasks of the plans as of a date; a note on stderr when git has no history by then."""
    from duban.selection import select

    chosen = select(repository(ctx), plan_ids, as_of)
    if chosen.note:
        click.echo(_("note: {note}").format(note=chosen.note), err=True)
    return chosen
