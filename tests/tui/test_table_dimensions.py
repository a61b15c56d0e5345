"""TaskTable's own `_update_dimensions` (tui/widgets/task_table.py): Textual's DataTable offers no
public way to add rows without measuring every new cell (its `_on_idle` measures them all, for
column widths TaskTable sets itself), so TaskTable replaces that private step. These tests fail
when the replacement and Textual's own step part ways: the size they give, and the code of
Textual's step and of its caller as in the Textual it was written against (8.2.8)."""

from __future__ import annotations

import hashlib
import inspect
from pathlib import Path

from textual.geometry import Size
from textual.widgets import DataTable

from duban.tui import make_app
from tests.tui.support import make_repo, settle

# sha256 of inspect.getsource of DataTable's step and of its one caller, in Textual 8.2.8.
WRITTEN_AGAINST = {
    "_update_dimensions": "c62ef3216f7c354b1dbed357f6caa4182d1f7d43af470388cc93e71de724abe7",
    "_on_idle": "d94152378c36b0c262cb0d83fc72abc73ec83f1c4f9cb47c8ba73165778a1093",
}


def source_digest(name: str) -> str:
    return hashlib.sha256(inspect.getsource(getattr(DataTable, name)).encode()).hexdigest()


def test_the_replaced_step_is_the_one_of_the_textual_it_was_written_for() -> None:
    """When this fails, Textual changed how DataTable sizes itself after rows are added: see
    whether it now has a public way to skip measuring (then drop TaskTable._update_dimensions),
    or check the replacement against the new code and renew the digests."""
    assert {name: source_digest(name) for name in WRITTEN_AGAINST} == WRITTEN_AGAINST


async def test_the_table_is_sized_as_textuals_own_step_sizes_it(tmp_path: Path) -> None:
    """The virtual size TaskTable gives itself is the one DataTable's measuring pass gives."""
    repo = make_repo(tmp_path / "repo", "2019-changning")
    app = make_app(repo, "2019-changning", "zh", "2019-06-30")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#tasks", DataTable)
        assert table.row_count == 60
        ours = table.virtual_size
        assert ours.height == 60 + 1 and ours.width > 60  # the rows and the header, every column
        DataTable._update_dimensions(table, list(table.rows))
        assert table.virtual_size == ours
        table.virtual_size = Size(0, 0)
        type(table)._update_dimensions(table, list(table.rows))
        assert table.virtual_size == ours
