"""The terminal UI's overview (`o`) against the reference model: the lead rows a clerk reads
there (tasks, done, each light, late, on-time rate per unit) are the model's, on the smallest
cases of test_differential and on random ones, read from the screen's own table."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from textual.widgets import DataTable

from tests.reference.support import (
    COLLECTIVES,
    PLAN_ID,
    SMALLEST,
    Case,
    build,
    cases,
    model_figures,
    reference,
)

COLUMNS = ("tasks", "done", "red", "yellow", "green", "grey", "late", "on_time_rate")
RANDOM = int(os.environ.get("DUBAN_REFERENCE_EXAMPLES") or 20) // 10 or 1


def _cell(value: object) -> str:
    """A model figure as the overview prints it (tui/screens/overview.py)."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        value = float(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


async def _overview_rows(root: Path, as_of: dt.date) -> dict[str, dict[str, str]]:
    from duban.tui import make_app

    app = make_app(root, PLAN_ID, "en", as_of.isoformat())
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("o")
        await pilot.pause()
        await app.workers.wait_for_complete()
        table = app.screen.query_one("#by-unit", DataTable)
        keys = [str(column.value) for column in table.columns]
        rows = {}
        for row in range(table.row_count):
            cells = dict(zip(keys, (str(cell) for cell in table.get_row_at(row))))
            if cells["role"] == "leads":
                rows[cells["group"]] = {column: cells[column] for column in COLUMNS}
        return rows


async def _compare(case: Case, template_root: Path) -> None:
    saved = dict(os.environ)
    try:
        with tempfile.TemporaryDirectory(prefix="duban-overview-") as folder:
            root = Path(folder) / "office"
            reading = reference(case, build(case, template_root, root))
            want = model_figures(reading, case)
            as_of = want["as_of"]
            assert isinstance(as_of, dt.date)
            shown = await _overview_rows(root, as_of)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    expected = {
        unit: {column: _cell(row[column]) for column in COLUMNS}
        for unit, row in want["lead_rows"].items()
        if row["tasks"]
    }  # type: ignore[attr-defined]
    assert not set(shown) & set(COLLECTIVES), "rule 8: a collective has no row of its own"
    assert shown == expected, f"{case!r}"


@pytest.mark.slow
@pytest.mark.parametrize("case", list(SMALLEST.values()), ids=list(SMALLEST))
async def test_the_overview_shows_the_models_lead_rows(case: Case, template: Path) -> None:
    await _compare(case, template)


@pytest.mark.slow
@settings(max_examples=RANDOM, deadline=None, database=None, derandomize=True)
@given(case=cases())
def test_the_overview_agrees_with_the_model_on_random_cases(case: Case, template: Path) -> None:
    import asyncio

    asyncio.run(_compare(case, template))
