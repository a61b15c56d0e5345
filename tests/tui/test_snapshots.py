"""Snapshots of each screen at 120x36 with the bundled plans (pytest-textual-snapshot).

Lights are frozen with as_of, so the pictures do not change with the date. After an
intended change to the UI: `python3 dev.py test tests/tui --snapshot-update`, then look
at the pictures in tests/tui/__snapshots__/ before committing them.
"""
from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from duban.tui import make_app
from tests.conftest import PROJECT

SIZE = (120, 36)
AS_OF = "2019-06-30"


async def loaded(pilot) -> None:  # noqa: ANN001
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_plan_picker(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(PROJECT, language="en", as_of=AS_OF), terminal_size=SIZE, run_before=loaded)


def test_main_screen(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(PROJECT, "2019-changning", "en", AS_OF), terminal_size=SIZE, run_before=loaded)


def test_main_screen_filtered_in_chinese(snap_compare) -> None:  # noqa: ANN001
    async def filtered(pilot) -> None:  # noqa: ANN001
        await loaded(pilot)
        pilot.app.screen.query_one("#filter", Input).value = "lead:fgw"
        await pilot.pause(0.2)
    assert snap_compare(make_app(PROJECT, "2019-changning", "zh", AS_OF), terminal_size=SIZE, run_before=filtered)


def test_invalid_filter(snap_compare) -> None:  # noqa: ANN001
    async def invalid(pilot) -> None:  # noqa: ANN001
        await loaded(pilot)
        pilot.app.screen.query_one("#filter", Input).value = "leed:发改委"
        await pilot.pause(0.2)
    assert snap_compare(make_app(PROJECT, "2019-shangcheng", "en", AS_OF), terminal_size=SIZE, run_before=invalid)


def _after(*keys: str):  # noqa: ANN202
    async def run(pilot) -> None:  # noqa: ANN001
        await loaded(pilot)
        await pilot.press(*keys)
        await loaded(pilot)
    return run


def test_help_screen(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(PROJECT, "2013-pingdingshan", "en", AS_OF), terminal_size=SIZE,
                        run_before=_after("question_mark"))


def test_progress_form(snap_compare) -> None:  # noqa: ANN001
    async def form(pilot) -> None:  # noqa: ANN001
        await _after("p")(pilot)
        pilot.app.screen.query_one("#date", Input).value = "2019-06-25"
    assert snap_compare(make_app(PROJECT, "2008-baoshan", "en", AS_OF), terminal_size=SIZE, run_before=form)


def test_unit_picker(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(PROJECT, "2019-changning", "en", AS_OF), terminal_size=SIZE, run_before=_after("u"))


def test_problems_screen(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(PROJECT, "2019-changning", "en", AS_OF), terminal_size=SIZE, run_before=_after("v"))


def test_as_of_dialog(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(PROJECT, "2013-xuhui", "en", AS_OF), terminal_size=SIZE, run_before=_after("a"))


def test_history_screen(snap_compare, history_repo: Path) -> None:  # noqa: ANN001
    """History needs a repository whose commits are fixed: the scripted one, not this checkout's."""
    assert snap_compare(make_app(history_repo, "2019-changning", "en", AS_OF), terminal_size=SIZE,
                        run_before=_after("h"))
