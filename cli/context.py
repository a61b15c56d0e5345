"""What every command shares: the repository option and how to reach the repository."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from duban.i18n import _, ngettext

if TYPE_CHECKING:
    from duban.store.repository import Repository
    from duban.supervise.selection import Selection


@dataclass
class Options:
    repo: str | None = None
    language: str | None = None  # zh or en once the group has chosen


class ProcessEnd:
    """Whether the process ends with the command: cli.main.run sets `near` for the `duban`
    command, which exits without freeing what it built (duban.memory.end_now). A command may then keep
    what it built alive and leave the collector paused to the end: at 100,000 tasks a
    `list` spent 20 ms freeing its rows and plans and, when they were kept, 47 ms in the
    collector's pass over them. Called in-process (tests, scripts) nothing of this is done."""

    near = False
    _kept: list[object] = []

    @classmethod
    def keep(cls, *objects: object) -> None:
        if cls.near:
            cls._kept.extend(objects)

    @classmethod
    @contextlib.contextmanager
    def collector_paused(cls) -> Iterator[None]:
        """cache.paused_gc, or, when the process ends with the command, the collector paused
        for good."""
        # Deferred: loads duban.memory only when this runs
        from duban import memory

        if cls.near:
            memory.pause_for_good()
            yield
        else:
            with memory.paused():
                yield


_READING = "duban.reading"  # ctx.meta: the repository a command that only reads has started looking at


def repository(ctx: click.Context) -> Repository:
    """The repository named by --repo or $DUBAN_REPO, else the one around the current folder."""
    # Deferred: loads duban.store.repository (12 duban modules in all) only when this runs
    from duban.store.repository import Repository

    reading = ctx.meta.get(_READING)
    if isinstance(reading, Repository):
        return reading
    if reading is not None:  # (root, git's look) from start_reading
        root, view = reading
        found = Repository(root)
        if view is not None:
            found.look_ahead(view)
        ctx.meta[_READING] = found
        return found
    options = ctx.find_object(Options) or Options()
    return Repository.find(explicit=options.repo)


def start_reading(ctx: click.Context) -> None:
    """For a command that only reads, called first: the repository's root is found and git's
    look at its task files starts now, before the model and the store are imported (17 ms
    of a `list`, during which git's 11–14 ms run), and repository() gives that repository.
    A root that cannot be found is left for repository() to report."""
    # Deferred: loads duban.errors and 2 more (4 duban modules in all) only when this runs
    from duban.errors import DubanError
    from duban.store.gitindex import GitView
    from duban.store.layout import find_root, git_folder

    options = ctx.find_object(Options) or Options()
    try:
        root = find_root(explicit=options.repo)
    except DubanError:
        return
    # Deferred: loads duban.cli.early only when this runs
    from duban.cli import early

    # ParseCache looks only where there is a git folder (its cache lives there).
    view = early.taken(root) or (GitView(root) if git_folder(root) is not None else None)
    ctx.meta[_READING] = (root, view)


def selection(ctx: click.Context, plan_ids: list[str] | tuple[str, ...], as_of: str | None) -> Selection:
    """The tasks of the plans as of a date; a note on stderr when git has no history by then."""
    # Deferred: loads duban.supervise.selection (24 duban modules in all) only when this runs
    from duban.supervise.selection import select

    chosen = select(repository(ctx), plan_ids, as_of)
    if chosen.note:
        click.echo(_("note: {note}").format(note=chosen.note), err=True)
    return chosen


def matching(
    ctx: click.Context, plan_ids: list[str] | tuple[str, ...], as_of: str | None, query: str
) -> tuple[Selection, list]:
    """selection() and the tasks `query` matches, building only those when it can
    (selection.select_where)."""
    # Deferred: loads duban.supervise.selection (24 duban modules in all) only when this runs
    from duban.supervise.selection import select_where

    chosen, tasks = select_where(repository(ctx), plan_ids, as_of, query)
    if chosen.note:
        click.echo(_("note: {note}").format(note=chosen.note), err=True)
    return chosen, tasks


def left_out(ctx: click.Context, problems: list) -> None:
    """Say which files could not be read and were left out, and end with exit code 1: a task
    that cannot be read is never silently missing from a count."""
    if not problems:
        return
    # Deferred: loads duban.cli.exit_codes only when this runs
    from duban.cli.exit_codes import ExitCode

    seen = []
    for problem in problems:
        if problem.format() not in seen:
            seen.append(problem.format())
            click.echo(_("{problem} (left out; run `duban validate`)").format(problem=problem.format()), err=True)
    click.echo(
        ngettext(
            "duban: {count} file could not be read and was left out",
            "duban: {count} files could not be read and were left out",
            len({p.path for p in problems}),
        ).format(count=len({p.path for p in problems})),
        err=True,
    )
    ctx.exit(ExitCode.PROBLEMS)


def today() -> dt.date:
    """The day a form or a report is made on, by the clock reports are recorded by."""
    # Deferred: loads the record's modules only for the commands that make forms
    from duban.record.commit_message import recording_time

    return recording_time().date()
