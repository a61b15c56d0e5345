"""Typing in the filter on a plan of more than 100 tasks: a fast burst of keys, narrowing and
widening, terms added to a query already run, and another process committing meanwhile. Once
the UI is idle the rows are exactly the tasks the box's text matches, whatever came before."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static, Tree

from duban.store.repository import Repository
from duban.supervise.query import parse
from duban.supervise.selection import select
from duban.tui import make_app
from duban.tui.filtering import FilterResults, terms_of
from tests.tui.support import assert_table_window, row_keys, settle, shown_where
from tests.tui.waiting import filtered, press, reloaded, until

AS_OF = "2008-06-30"
PLAN = "2008-baoshan"


def expected(repo: Path, text: str) -> list[str]:
    """What the query matches, worked out afresh from the files, without the TUI."""
    selection = select(Repository(repo), [PLAN], AS_OF)
    return [t.ref for t in parse(text, selection.plans()).filter(selection.tasks, selection)]


def assert_rows_match(screen, repo: Path, text: str) -> None:
    """The rows are the text's matches in order: from the first, or (the cursor kept on a task
    past the first page) a run of them around it, the rows before added as it scrolls up."""
    assert screen.query_one("#filter", Input).value == text
    wanted = expected(repo, text)
    assert [t.ref for t in screen.shown] == wanted
    assert_table_window(screen)
    table = screen.query_one("#tasks", DataTable)
    start = table.cursor_index - table.cursor_row
    assert row_keys(table) == wanted[start : start + table.row_count]
    assert str(screen.query_one("#count", Static).render()).startswith(f"{len(wanted)} / ")


async def test_a_burst_of_keys_shows_the_rows_of_the_final_text(baoshan: Path) -> None:
    app = make_app(baoshan, PLAN, "en", AS_OF)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash", *"jj", "space", *"lead:jw")  # no pause between keys
        await filtered(app, pilot)  # a filter waiting for typing to stop has run
        assert screen._pending is None
        assert_rows_match(screen, baoshan, "jj lead:jw")
        assert 0 < len(screen.shown) < 214


async def test_rows_of_an_earlier_text_are_dimmed_and_not_exported(baoshan: Path) -> None:
    """lead:科委, then percent< (no value yet): the 科委 rows stayed, and x offered to export them
    under a query that does not name 科委."""
    app = make_app(baoshan, PLAN, "en", AS_OF)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash", *"lead:科委")
        await filtered(app, pilot)
        box = screen.query_one("#filter", Input)
        box.value = "percent<"
        await filtered(app, pilot)
        assert box.has_class("invalid") and screen.query_one("#tasks").has_class("stale")
        await pilot.press("escape")  # out of the box
        await pilot.press("x")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert any("correct it first" in n.message for n in app._notifications)
        screen.query_one("#filter", Input).value = "percent<50"
        await filtered(app, pilot)
        assert not screen.query_one("#tasks").has_class("stale")


async def test_an_ideographic_space_between_terms_is_kept(baoshan: Path) -> None:
    """状态：延期　牵头：… arrived as 状态：延期牵头：…, an unknown status: Textual drops U+3000,
    which str.isprintable() calls unprintable."""
    app = make_app(baoshan, PLAN, "zh", AS_OF)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash", *"状态:进行中　jj")  # (Pilot cannot send ：; a terminal can)
        await filtered(app, pilot)
        assert_rows_match(screen, baoshan, "状态:进行中\u3000jj")


@pytest.mark.parametrize("filter_delay", [None, 0.3])
async def test_backspace_after_narrowing_gives_the_wider_result_again(baoshan: Path, monkeypatch, filter_delay) -> None:
    """Refine then widen: the rows of the shorter text are all of its matches, not the
    narrowed ones of the longer text. Also with keys coming faster than the filter's delay,
    its timer late as on a loaded machine: the rows were checked before the filter had run."""
    if filter_delay is not None:
        monkeypatch.setattr("duban.tui.screens.task_screen.FILTER_DELAY", filter_delay)
    app = make_app(baoshan, PLAN, "en", AS_OF)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash", *"jj")
        await filtered(app, pilot)
        assert_rows_match(screen, baoshan, "jj")
        wide = len(screen.shown)
        await pilot.press("space", *"jw")
        await filtered(app, pilot)
        assert_rows_match(screen, baoshan, "jj jw")
        assert len(screen.shown) < wide
        await pilot.press("backspace", "backspace", "backspace")
        await filtered(app, pilot)
        assert_rows_match(screen, baoshan, "jj")
        await pilot.press("backspace")
        await filtered(app, pilot)
        assert_rows_match(screen, baoshan, "j")
        await pilot.press("backspace")
        await filtered(app, pilot)
        assert_rows_match(screen, baoshan, "")
        assert len(screen.shown) == 214


async def test_a_key_after_a_pause_filters_at_once(baoshan: Path) -> None:
    """No timer waits between a single key and its rows."""
    from duban.tui.screens.task_screen import FILTER_DELAY

    app = make_app(baoshan, PLAN, "en", AS_OF)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.query_one("#filter", Input).focus()
        # typing has paused: FILTER_DELAY since the last filter (the load's)
        await until(
            app,
            pilot,
            lambda: time.monotonic() - screen._filtered_at >= FILTER_DELAY,
            "FILTER_DELAY since the last filter",
        )
        await pilot.press("j")
        assert screen._pending is None
        assert_rows_match(screen, baoshan, "j")


async def test_another_process_commits_while_typing(baoshan: Path) -> None:
    """A reload in the middle of typing: the rows follow both the new files and the text."""
    from tests.support import git

    app = make_app(baoshan, PLAN, "en", AS_OF)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash", *"lead:jw")
        await filtered(app, pilot)
        before = expected(baoshan, "lead:jw 邮轮")
        first_load = screen.selection
        path = baoshan / "plans" / PLAN / "tasks" / "3.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: 明确产业结构调整", "title: 邮轮产业结构调整"), encoding="utf-8")
        git(baoshan, "commit", "-q", "-am", "another process")
        await pilot.press("space", *"邮轮")
        await reloaded(app, pilot, screen, first_load)  # the 2 s check for changes, then the reload
        await filtered(app, pilot)
        assert_rows_match(screen, baoshan, "lead:jw 邮轮")
        assert f"{PLAN}/3" in [t.ref for t in screen.shown] and f"{PLAN}/3" not in before


async def test_the_tree_counts_the_lights_of_what_the_filter_matches(baoshan: Path) -> None:
    """The lights are worked out after the first paint; the tree then counts them for the
    filter typed meanwhile, not for the tasks loaded first."""
    app = make_app(baoshan, PLAN, "en", AS_OF)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("slash", *"jj")
        await filtered(app, pilot)
        screen = app.screen
        await until(app, pilot, lambda: screen.lights_known, "every task's light worked out")
        selection = select(Repository(baoshan), [PLAN], AS_OF)
        matching = parse("jj").filter(selection.tasks, selection)
        tree = screen.query_one("#areas", Tree)
        for node in tree.root.children:
            tasks = [t for t in matching if t.area == node.data]
            label = str(node.label)
            assert f"{node.data} ({len(tasks)}) " in label
            for colour, mark in (("red", "●"), ("yellow", "●"), ("green", "●")):
                count = sum(selection.light_of(t).colour == colour for t in tasks)
                assert (f"{mark}{count} " in label) == bool(count)
        # The tree grows to its longest label once the lights' counts are in them (AreaTree.remeasure):
        # each label shown whole, not cut at the width of the labels without the counts.
        labels = [str(node.label).strip() for node in tree.root.children]
        await until(
            app,
            pilot,
            lambda: all(any(label in line for line in shown_where(app, tree)) for label in labels),
            "every area's label shown whole",
        )


QUERIES = [
    "jj lead:jw",
    "jj -jw 发展",
    "lead:jw OR jj",
    "(jj) jw",
    'jj "产业 结构"',
    "a a1",
    "jj jw jj",
    "status:not_started jj",
    "-(jj) jw",
    "jj 或 jw",
]


@pytest.mark.parametrize("query", QUERIES)
def test_filter_results_are_those_of_a_fresh_filter_at_every_keystroke(baoshan: Path, query: str) -> None:
    """Each prefix of the query typed key by key, then deleted key by key: the remembered
    results give exactly what filtering every task gives."""
    selection = select(Repository(baoshan), [PLAN], AS_OF)
    results = FilterResults(selection)
    prefixes = [query[:n] for n in range(len(query) + 1)]
    for text in prefixes + prefixes[::-1]:
        try:
            parsed = parse(text, selection.plans())
        except Exception:
            continue  # an unclosed quote or parenthesis, an unknown unit: the box is marked red
        assert [t.ref for t in results.filter(parsed)] == [t.ref for t in parsed.filter(selection.tasks, selection)], (
            text
        )


def test_terms_are_only_read_from_a_query_without_or_or_parentheses() -> None:
    assert terms_of("jj  lead:jw") == frozenset({"jj", "lead:jw"})
    assert terms_of("lead：jw　jj") == frozenset({"lead:jw", "jj"})  # full-width, as typed in Chinese
    assert terms_of('"a b" -c') == frozenset({'"a b"', "-c"})
    assert terms_of("") == frozenset()
    for query in ("a OR b", "a 或 b", "(a) b", "-(a)", '"unclosed'):
        assert terms_of(query) is None


async def test_a_key_that_changes_no_match_leaves_the_scrolled_table_as_it_is(baoshan: Path) -> None:
    """A space after a term matches what the term did: the rows loaded, the cursor and the
    scroll stay, and they are still exactly the matches of the text."""
    app = make_app(baoshan, PLAN, "en", AS_OF)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#tasks", DataTable)
        await press(app, *["down"] * 120)  # more rows loaded than the first page
        await filtered(app, pilot)
        rows, cursor, scroll = row_keys(table), table.cursor_row, table.scroll_y
        assert len(rows) > 100 and cursor == 120 and scroll > 0
        await pilot.press("slash", "space")
        await filtered(app, pilot)
        assert_rows_match(screen, baoshan, " ")
        assert (row_keys(table), table.cursor_row, table.scroll_y) == (rows, cursor, scroll)


async def test_the_rows_kept_around_a_task_do_not_hang_on_when_the_view_scrolls(tmp_path: Path) -> None:
    """Rows kept around a task past the first page (a filter widened, a sort) start a window
    whose view is at the top until the scroll to the cursor follows a refresh. The cursor's
    move is handled before or after that scroll as the machine's load has it: when the rows to
    add were judged by the scroll too, a move handled first added the rows before the window,
    and the table a test saw hung on timing. The cursor alone decides now."""
    from tests.tui.round_support import big_repo
    from tests.tui.waiting import table_settled

    repo = big_repo(tmp_path / "repo", 600)  # Changning and 600 more: a window far from the top
    app = make_app(repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#tasks", DataTable)
        tasks = list(screen.shown)
        kept = tasks[500].ref
        table.show(tasks, screen.selection, keep_ref=kept)
        start = table._start
        assert start > 0 and table.scroll_y == 0  # the scroll to the cursor is still to come
        screen.row_highlighted(
            DataTable.RowHighlighted(
                table, table.cursor_row, table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            )
        )  # the cursor's move, handled before that scroll
        assert table._start == start, "the rows before the window were added on a view not yet scrolled"
        await table_settled(app, pilot, table)
        assert table.current_ref() == kept
        assert_table_window(screen)
