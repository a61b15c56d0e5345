"""Waiting on what a test needs to see, not for a fixed time: the app runs its timers and
workers between checks, and the test fails with what it waited for when it never comes. A
limit is a deadline on a loaded machine, never a wait: a condition that holds returns at once.
tests/project/test_no_fixed_waits.py keeps fixed sleeps out of tests/tui."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable

import pytest
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

LIMIT = 30.0  # seconds: a loaded machine, not the time anything is expected to take


async def until(app, pilot, condition: Callable[[], bool], what: str, limit: float = LIMIT) -> None:
    """Let the app run until `condition()` holds; fail naming `what` after `limit` seconds."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {limit:g} s for {what}")
        await pilot.pause()  # one turn of the event loop: timers and messages run
        await app.workers.wait_for_complete()


async def all_handled(app) -> None:
    """Once the app has passed on every key sent so far and every field has handled its own."""
    from duban.tui.typeahead import handled

    await handled([app], timeout=None)
    await handled([app.screen], timeout=None)
    await handled(app.screen.query("Input, Select"), timeout=None)


async def finished(app, pilot) -> None:
    """Once the keys are handled and any save they started has ended."""
    await all_handled(app)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await all_handled(app)


async def reached_screen(widget) -> None:
    """Once what `widget` was sent so far has been handled by it and, bubbling, by each of its
    parents up to its screen: a message is passed to the parent as its handler returns, so
    each waits behind the one below (Textual's MessagePump._dispatch_message)."""
    from duban.tui.typeahead import handled

    node = widget
    while node is not None:
        await handled([node], timeout=None)
        if node is widget.screen:
            return
        node = node.parent


async def filtered(app, pilot) -> None:
    """Once the main screen's rows are those of the filter box's text as it is now: every key
    handled, the box's Input.Changed handled by the screen (which filters at once or sets
    TaskScreen._pending, the timer of a filter waiting for typing to pause), that timer run,
    the plan loaded (a filter before it has no rows to filter), and the table settled."""
    screen = app.screen
    await all_handled(app)
    await reached_screen(screen.query_one("#filter"))
    await until(
        app,
        pilot,
        lambda: (
            screen._pending is None
            and screen.selection is not None
            and not any(w.group == "load" and not w.is_finished for w in app.workers)
        ),
        "the filter to run on the box's text",
    )
    await table_settled(app, pilot, screen.query_one("#tasks"))


async def table_settled(app, pilot, table, limit: float = LIMIT) -> None:
    """Once the task table has handled what its new rows set off, and that set off nothing
    more: the cursor moved to the task it kept posts RowHighlighted, on which the screen
    loads the rows before or after it (TaskTable.load_more_near_cursor), which moves the
    cursor again; the scroll to the cursor follows a refresh."""

    def state() -> tuple[object, ...]:
        return table._start, table.row_count, table.cursor_row, table.scroll_y, table.current_ref()

    deadline = time.monotonic() + limit
    while True:
        before = state()
        await reached_screen(table)
        await pilot.pause()  # a turn of the event loop: a refresh, and the scroll it brings
        if state() == before:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {limit:g} s for the task table to settle")


async def on_screen(app, pilot, name: str) -> None:
    """Once the screen on top is a `name` (a dialog opened, a form closed)."""
    await until(
        app,
        pilot,
        lambda: type(app.screen).__name__ == name,
        f"the {name} screen (on top: {type(app.screen).__name__})",
    )


async def reloaded(app, pilot, screen, before) -> None:
    """Once `screen` has loaded the plan again (another process committed: its look for
    changes every 2 s saw the plan's mark change and reloaded): its selection is no longer
    `before`, and the reload's worker is done."""
    await until(
        app,
        pilot,
        lambda: screen.selection is not None and screen.selection is not before,
        "the plan to be loaded again",
    )


def count_looks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The looks for changes on disk the main screen takes from now on, while it is on top (its
    timer calls check_for_changes every 2 s, which looks only then), as a list that grows by the
    plan's id at each: a test that something does NOT follow waits for the next look. Call
    after make_app (a change of language reloads the screen's module) and before the app runs
    (the screen's timer takes the method when it mounts)."""
    from duban.tui.screens.task_screen import TaskScreen

    looks: list[str] = []
    check = TaskScreen.check_for_changes

    def counted(self: TaskScreen) -> None:
        if self.is_active and self.signature is not None:
            looks.append(self.plan_id)
        check(self)

    monkeypatch.setattr(TaskScreen, "check_for_changes", counted)
    return looks


async def next_look(app, pilot, looks: list[str]) -> None:
    """Once the screen has looked for changes on disk again (see count_looks) and acted on
    what it saw (the look's worker and any reload it started are done)."""
    seen = len(looks)
    await until(app, pilot, lambda: len(looks) > seen, "the next look for changes on disk")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()


# -- Many keys, each waited for on the app rather than on the clock --
#
# Textual's Pilot.press waits after each key until the process has used less than 1 ms of CPU
# in a 20 ms sleep (textual._wait.wait_for_idle: at least 20 ms, up to 1 s, twice a key): a
# worker thread or a loaded machine keeps a process from looking idle, and 213 presses of Up
# took a minute. press() waits only until the app, its screen and every widget on it have
# handled the key and what it set off. Only where a test sends many keys that each act on
# their own: Pilot's wait also lets timers and refocusing after a closed dialog run, which a
# key sent right after a save has been seen to miss (tests/tui/test_crash_proof.py).
ROUNDS = 3  # each round's callbacks are queued behind what the round before caused


async def quiet(app) -> None:
    """Once the app, its screen and every widget on it have handled what they were sent, and
    what that sent on (ROUNDS deep)."""
    from duban.tui.typeahead import handled

    for _ in range(ROUNDS):
        await handled([app, *app.screen.walk_children(with_self=True)], timeout=None)


def terminal_key(key: str) -> events.Key:
    """The event Pilot.press sends for `key` (a character, or a name such as up or ctrl+end),
    as Textual's App._press_keys makes it."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def press(app, *keys: str) -> None:
    """Each key sent as the terminal driver sends it, then handled with what it set off (an
    animation run to its end) before the next."""
    for key in keys:
        app.post_message(terminal_key(key))
        await quiet(app)
        await app.animator.wait_until_complete()
        await quiet(app)
