"""A key typed right after Ctrl+S saves a form goes to the screen the form closes back to:
the commit (a git commit, ~0.3 s) is made while the form is still on top, and a key the app
passed on then went to the form, which has no binding for Ctrl+End or Down, and was lost; and
the reload after the commit covered the table, which passed a key meanwhile to a screen with
nothing focused. The keys are sent as the terminal driver sends them, with no wait after
Ctrl+S; the repository's writer lock is held until the app has either taken them or is
holding them, so the commit cannot end first however fast it is."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from duban.store.locking import repository_lock
from duban.tui import make_app
from duban.tui.typeahead import handled
from tests.support import git
from tests.tui.round_support import AS_OF, PLAN, copy_repo
from tests.tui.support import settle
from tests.tui.waiting import LIMIT, finished, on_screen, press, table_settled, terminal_key

SIZE = (120, 36)


async def turn() -> None:
    """One turn of the event loop (every task ready to run runs), not a wait for a time."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()
    loop.call_soon(done.set_result, None)
    await done


async def keys_taken_or_held(app, form) -> None:
    """Once the app either waits on the form's save with the keys sent behind it (holding_keys:
    it takes no key meanwhile), or has passed on every key and each has been handled, bubbled up
    to the app and all (no hold: they went to the form). The save waits on the writer lock the
    test holds, so neither can come about because the commit ended. Never waits on the app
    itself, which holds the keys in an action that waits on the lock."""
    deadline = time.monotonic() + LIMIT
    while True:
        if getattr(form, "holding_keys", False):
            return
        nodes = [*form.walk_children(with_self=True)]
        await handled(nodes, timeout=None)  # the form's own handlers never wait on the app
        if getattr(form, "holding_keys", False):
            return
        if app.message_queue_size == 0 and not any(n.message_queue_size for n in nodes):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {LIMIT:g} s for the app to take or hold the keys")
        await turn()


async def saved_with_keys_behind(app, pilot, repo: Path, *keys: str) -> None:
    """Ctrl+S on the form on top, then `keys` at once, the commit held until they are queued."""
    form = app.screen
    with repository_lock(repo / ".git"):
        app.post_message(terminal_key("ctrl+s"))
        for key in keys:
            app.post_message(terminal_key(key))
        await keys_taken_or_held(app, form)
    await finished(app, pilot)


async def open_progress(app, pilot) -> None:
    await press(app, "p")
    await on_screen(app, pilot, "ProgressForm")
    app.screen.query_one("#percent", Input).value = "10"
    app.screen.query_one("#note", Input).value = "启动"


@pytest.mark.parametrize("form", ["progress", "fields"])
async def test_ctrl_end_right_after_a_save_reaches_the_last_row(baoshan: Path, form: str) -> None:
    """Failed before: the cursor stayed on the first row (the key went to the closing form)."""
    app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#tasks", DataTable)
        if form == "progress":
            await open_progress(app, pilot)
        else:
            await press(app, "f")
            await on_screen(app, pilot, "FieldsForm")
            app.screen.query_one("#due", Input).value = "2008-11-30"
        await saved_with_keys_behind(app, pilot, baoshan, "ctrl+end")
        assert app.screen is screen
        await table_settled(app, pilot, table)
        subject = git(baoshan, "log", "-1", "--format=%s")
        assert ("进度 10%" if form == "progress" else "修改 完成期限") in subject, subject
        assert table.cursor_index == len(screen.shown) - 1
        assert screen.current_ref() == screen.shown[-1].ref


async def test_esc_esc_right_after_a_save_does_not_hide_the_commit(baoshan: Path) -> None:
    """Esc typed twice while the report is committed: the report is recorded and said so on the
    main screen. Failed before: the first Esc asked to discard what was typed, the second closed
    the form with nothing, and the report was committed all the same without a word."""
    app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await open_progress(app, pilot)
        await saved_with_keys_behind(app, pilot, baoshan, "escape", "escape")
        assert app.screen is screen
        assert "进度 10%" in git(baoshan, "log", "-1", "--format=%s")
        assert any(n.message.startswith("Recorded and committed as") for n in app._notifications)


async def test_esc_right_after_the_round_s_save_closes_it_once_recorded(template: Path, tmp_path: Path) -> None:
    """The round: Esc typed while its rows are recorded closes it once they are (nothing is left
    unsaved). Failed before: the Esc asked to discard the rows being recorded, and the round
    stayed up."""
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await press(app, "m")
        await on_screen(app, pilot, "RoundScreen")
        round_ = app.screen
        row = next(row for row in round_.shown() if row.state.task.id == "1")
        row.text("note").value = "配合召开稳增长联席会议"
        await saved_with_keys_behind(app, pilot, repo, "escape")
        assert app.screen is screen
        assert "发改委（配合）进度 20%" in git(repo, "log", "-1", "--format=%s")
