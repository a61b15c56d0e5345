"""What the TUI's tests share: a git repository of bundled plans made once per process and
copied for each test, waiting for the app's workers, and the task table's rows read back."""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path

from textual.widgets import DataTable, Static

from tests.support import PROJECT, git


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def text_of(widget: Static) -> str:
    return str(widget.render())


# Each set of plans is committed once per process and copied for each test: a copy takes a
# fraction of the time of git adding and committing Baoshan's 214 files again.
_TEMPLATES = tempfile.TemporaryDirectory(prefix="duban-tui-repos-")  # removed when the process ends


@functools.cache
def _committed(plans: tuple[str, ...]) -> Path:
    root = Path(_TEMPLATES.name) / str(len(os.listdir(_TEMPLATES.name))) / "repo"
    (root / "plans").mkdir(parents=True)
    for plan in plans:
        shutil.copytree(PROJECT / "plans" / plan, root / "plans" / plan)
    shutil.copytree(PROJECT / "schema", root / "schema", ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "bundled plans")
    return root


def make_repo(root: Path, *plans: str) -> Path:
    """A git repository holding copies of bundled plans (Baoshan has 214 tasks), one commit."""
    shutil.copytree(_committed(plans), root, symlinks=True)
    return root


def row_keys(table: DataTable) -> list[str]:
    return [str(table.coordinate_to_cell_key((row, 0)).row_key.value) for row in range(table.row_count)]


def assert_table_whole(screen) -> None:
    """Each task at most once, in the order of the matching tasks, from the first one."""
    table = screen.query_one("#tasks", DataTable)
    keys = row_keys(table)
    assert len(keys) == len(set(keys))
    assert keys == [t.ref for t in screen.shown[: len(keys)]]


def assert_table_window(screen) -> None:
    """Each task at most once, a run of the matching tasks in their order, up to the last."""
    table = screen.query_one("#tasks", DataTable)
    keys = row_keys(table)
    assert len(keys) == len(set(keys))
    start = table.cursor_index - table.cursor_row
    assert keys == [t.ref for t in screen.shown[start : start + len(keys)]]


def screen_lines(app) -> list:
    """The screen as the compositor puts it together for the terminal, line by line."""
    return app.screen._compositor.render_strips()


def shown_where(app, widget) -> list[str]:
    """The text the screen shows over `widget`'s region, line by line."""
    region = widget.region
    lines = screen_lines(app)
    return [lines[y].crop(region.x, region.right).text for y in region.line_range]
