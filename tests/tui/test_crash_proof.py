"""The TUI never crashes on data, editors or a scrolled table: each path of the audit
(../shared/audits/tui.md C1, H1-H5) on a real plan of more than 100 tasks in a temp git repo."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList

from duban.tui import make_app
from tests.support import git
from tests.tui.support import assert_table_whole, assert_table_window, make_repo, row_keys, settle, text_of
from tests.tui.waiting import filtered, press, reloaded

SIZE = (120, 36)


def write_script(path: Path, body: str) -> str:
    path.write_text(f"#!{sys.executable}\nimport sys, pathlib\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


@pytest.mark.parametrize("refill", ["filter", "reload", "sort", "as_of", "save", "other_process"])
async def test_a_scrolled_table_refills_from_its_first_row(baoshan: Path, refill: str) -> None:
    """C1: scrolling past the first 100 rows and then refilling the table scrambled the rows
    and then crashed with DuplicateKey."""
    from duban.record.recording import record_progress
    from duban.store.repository import Repository

    app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#tasks", DataTable)
        assert len(screen.shown) == 214
        await press(app, *["down"] * 50)  # scrolled, with rows still waiting to be loaded
        await pilot.pause()
        assert table.scroll_y > 0 and table.cursor_row == 50 and table.row_count < 214
        if refill == "filter":
            await pilot.press("slash", "j")
            await filtered(app, pilot)
            await pilot.press("enter")  # Enter in the filter goes to the table
            assert screen.focused is screen.query_one("#tasks")
        elif refill == "reload":
            await pilot.press("r")
        elif refill == "sort":
            await pilot.press("s", "s")
        elif refill == "as_of":
            await pilot.press("a")
            await pilot.pause()
            app.screen.query_one("#as-of", Input).value = "2008-09-30"
            await pilot.press("enter")
        elif refill == "save":
            await pilot.press("p")
            await pilot.pause()
            app.screen.query_one("#percent", Input).value = "10"
            app.screen.query_one("#note", Input).value = "启动"
            await pilot.press("ctrl+s")
        else:
            first_load = screen.selection
            record_progress(Repository(baoshan), "2008-baoshan/3", 20, date="2008-05-25", note="x")
            await reloaded(app, pilot, screen, first_load)  # the next look for changes, every 2 s
        await settle(app, pilot)
        assert app.screen is screen
        if refill == "sort":
            # The cursor stays on its task, which the sort may put past the first page: the rows
            # are then a window around it (TaskTable._show_window), filled upwards as it scrolls.
            assert_table_window(screen)
        else:
            assert_table_whole(screen)
        await pilot.press("ctrl+end")  # the last page of rows: a duplicate would raise here
        await pilot.pause()
        assert_table_window(screen)
        assert table.cursor_index == len(screen.shown) - 1
        assert screen.current_ref() == screen.shown[-1].ref
        if refill == "save":
            assert "进度 10%" in git(baoshan, "log", "-1", "--format=%s")


async def test_ctrl_end_reaches_the_last_row(baoshan: Path) -> None:
    app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+end")
        await pilot.pause()
        screen = app.screen
        assert screen.current_ref() == screen.shown[-1].ref
        await pilot.press("ctrl+home")
        await pilot.pause()
        assert screen.current_ref() == screen.shown[0].ref


async def test_after_ctrl_end_every_row_above_is_reached(baoshan: Path) -> None:
    """Ctrl+End shows the last page at once; the rows before it come back as the cursor or the
    scroll nears the top, the cursor staying on the same task."""
    app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#tasks", DataTable)
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.row_count < len(screen.shown) == 214  # not every row added
        for step in (1, 90, 95, 100, 120, 213):  # across the first page's top and the next
            await press(app, *["up"] * (step - (213 - table.cursor_index)))
            assert screen.current_ref() == screen.shown[-1 - step].ref, step
            assert table.cursor_index == 213 - step
        await pilot.pause()
        assert_table_window(screen)
        assert screen.current_ref() == screen.shown[0].ref
        assert row_keys(table)[0] == screen.shown[0].ref
        await pilot.press("ctrl+end", "ctrl+home")
        await pilot.pause()
        assert screen.current_ref() == screen.shown[0].ref and table.scroll_y == 0
        await pilot.press("ctrl+end")
        await pilot.pause()
        table.scroll_to(y=0, animate=False, immediate=True)  # the mouse wheel, to the top
        await pilot.pause()
        assert_table_window(screen)
        assert screen.current_ref() == screen.shown[-1].ref  # the cursor stays where it was


async def test_markup_in_a_title_a_unit_and_an_edited_value_is_shown_as_text(baoshan: Path, monkeypatch) -> None:
    """H1: `[/]` in a title made the plan impossible to open; in a unit or an edited value it
    killed the app; `[rule]` names vanished from messages."""
    task = baoshan / "plans/2008-baoshan/tasks/2.yaml"
    text = task.read_text(encoding="utf-8")
    old_title = next(line for line in text.splitlines() if line.startswith("title:"))
    task.write_text(text.replace(old_title, "title: 人才建设[/][b]粗[/b]", 1), encoding="utf-8")
    git(baoshan, "commit", "-qam", "a title with brackets")
    editor = write_script(
        baoshan.parent / "bad-status.py",
        "p = pathlib.Path(sys.argv[1]); t = p.read_text(encoding='utf-8')\n"
        "import re\n"
        "p.write_text(re.sub(r'(?m)^status: .*$', \"status: '[/]'\", t), encoding='utf-8')",
    )
    monkeypatch.setenv("EDITOR", editor)
    app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.query_one("#filter", Input).value = "id:2"
        await filtered(app, pilot)
        table = screen.query_one("#tasks", DataTable)
        assert table.row_count == 1
        assert str(table.get_cell_at((0, 1))).startswith("人才建设[/][b]粗[/b]")
        assert "人才建设[/][b]粗[/b]" in text_of(screen.query_one("#detail")).replace("\n", "")
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        form.query_one("#percent", Input).value = "10"
        form.query_one("#unit", Input).value = "[/]"
        form.query_one("#note", Input).value = "[red]x[/red]"
        form.query_one("#date", Input).value = "2009-13-01"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        error = text_of(form.query_one("#error"))
        assert app.screen is form and error  # refused in the form, the app alive
        form.query_one("#date", Input).value = "2015-06-01"  # outside the plan's range
        form.query_one("#unit", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "[date-range]" in text_of(form.query_one("#error"))  # the rule name is kept
        assert "plans/" not in text_of(form.query_one("#error"))  # no path into a file never seen
        await pilot.press("escape", "escape")  # the first Esc asks, since something was typed
        await pilot.pause()
        await pilot.press("e")  # the edit sets status: '[/]', which the schema refuses
        await settle(app, pilot)
        assert app.screen is screen
        assert "2008-baoshan/2" in app.unsaved_edits  # the rejected edit is kept, not thrown away
        messages = [n.message for n in app._notifications]
        assert any("'[/]' is not one of" in m and "[schema.enum]" in m for m in messages)


async def test_a_failing_or_missing_editor_is_a_message(baoshan: Path, monkeypatch) -> None:
    """H3: `$EDITOR` exiting non-zero (vim :cq) or missing crashed the app."""
    for editor in ("false", str(baoshan / "no-such-editor")):
        monkeypatch.setenv("EDITOR", editor)
        app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("e")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "MainScreen"
            assert any("The editor did not finish" in n.message for n in app._notifications)
        assert app.crash_log is None
    assert git(baoshan, "status", "--porcelain") == ""


async def test_a_failing_editor_in_a_real_terminal_gives_the_screen_back(baoshan: Path, monkeypatch) -> None:
    """In a terminal the app suspends around the editor. Textual's suspend() resumes only when
    its block ends normally: the editor's error raised through it left a blank screen that
    took no key, not even q (the process had to be killed). Pilot cannot suspend, so the
    suspension is played by a context manager shaped as Textual's (no try/finally)."""
    import contextlib

    for editor in ("false", str(baoshan / "no-such-editor")):
        monkeypatch.setenv("EDITOR", editor)
        app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
        happened: list[str] = []

        @contextlib.contextmanager
        def suspend(happened=happened):
            happened.append("suspended")
            yield
            happened.append("resumed")  # reached only when the block ends normally

        app.suspend = suspend
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("e")
            await settle(app, pilot)
            assert happened == ["suspended", "resumed"]
            assert any("The editor did not finish" in n.message for n in app._notifications)
        assert app.crash_log is None


async def test_an_invalid_edit_reopens_the_editor_with_the_problems(baoshan: Path, monkeypatch) -> None:
    """H2: the TUI threw an invalid edit away; like `duban edit`, the editor now reopens with the
    problems at the top, and what was typed is kept until it is fixed."""
    seen = baoshan.parent / "seen"
    seen.mkdir()
    editor = write_script(
        baoshan.parent / "edit.py",
        "p = pathlib.Path(sys.argv[1]); t = p.read_text(encoding='utf-8')\n"  # noqa: UP031 - %r writes the paths as Python literals
        "n = len(list(pathlib.Path(%r).iterdir()))\n"
        "pathlib.Path(%r, str(n)).write_text(t, encoding='utf-8')\n"
        "import re\n"
        "fixed = pathlib.Path(%r, 'fix').exists()\n"
        "t = re.sub(r'(?m)^status: .*$', 'status: ' + ('delayed' if fixed else 'finished'), t)\n"
        "p.write_text(t, encoding='utf-8')" % (str(seen), str(seen), str(baoshan.parent)),
    )
    monkeypatch.setenv("EDITOR", editor)
    app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        runs = sorted(seen.iterdir(), key=lambda p: int(p.name))
        assert len(runs) == 2  # reopened once with the problems, then kept
        second = runs[1].read_text(encoding="utf-8")
        assert second.startswith("# duban: ") and "'finished' is not one of" in second
        assert "status: finished" in second  # what was typed is still there
        assert git(baoshan, "status", "--porcelain") == ""
        (baoshan.parent / "fix").write_text("")
        await pilot.press("e")  # goes on with the kept edit, which is now fixed
        await settle(app, pilot)
        third = sorted(seen.iterdir(), key=lambda p: int(p.name))[2].read_text(encoding="utf-8")
        assert third.startswith("# duban: ") and "status: finished" in third
        assert ": 编辑 " in git(baoshan, "log", "-1", "--format=%s")  # then the fields edited and the task
        assert "status: delayed" in (baoshan / "plans/2008-baoshan/tasks/1.yaml").read_text(encoding="utf-8")


async def test_a_broken_plan_yaml_is_listed_in_the_picker(tmp_path: Path) -> None:
    """H4: one broken plan.yaml crashed the plan picker for every plan."""
    repo = make_repo(tmp_path / "repo", "2008-baoshan", "2013-xuhui")
    with (repo / "plans/2013-xuhui/plan.yaml").open("a", encoding="utf-8") as plan:
        plan.write("areas: [\n")
    app = make_app(repo, language="en", as_of="2013-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        options = app.screen.query_one("#plans", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels[1].startswith("2013-xuhui") and "⚠" in labels[1] and "plan.yaml" in labels[1]
        await pilot.press("enter")  # the good plan still opens
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MainScreen" and len(app.screen.shown) == 214


async def test_a_broken_task_file_is_counted_and_can_be_opened(baoshan: Path, monkeypatch) -> None:
    """M9: broken files vanished from the count; Enter on the problem now opens the file."""
    broken = baoshan / "plans/2008-baoshan/tasks/5.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("title:", "title: [", 1), encoding="utf-8")
    git(baoshan, "commit", "-qam", "break one file")
    editor = write_script(
        baoshan.parent / "fix.py",
        "p = pathlib.Path(sys.argv[1]); p.write_text(p.read_text(encoding='utf-8')"
        ".replace('title: [', 'title:', 1), encoding='utf-8')",
    )
    monkeypatch.setenv("EDITOR", editor)
    app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        count = text_of(app.screen.query_one("#count"))
        assert count.startswith("213 / 213 tasks") and "+ 1 unreadable" in count
        main, first_load = app.screen, app.screen.selection
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("enter")  # the problems closed, the editor run, the plan loaded again
        await reloaded(app, pilot, main, first_load)
        await settle(app, pilot)
        assert "title: [" not in broken.read_text(encoding="utf-8")
        assert text_of(app.screen.query_one("#count")).startswith("214 / 214 tasks")


async def test_an_unexpected_error_is_logged_and_exits_3(baoshan: Path, monkeypatch) -> None:
    """H5: a crash showed a full-screen traceback and exited 0."""
    from duban.tui.screens.main import MainScreen

    def broken(self) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(MainScreen, "action_history", broken)
    app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("h")
            await pilot.pause()
    assert app.return_code == 3
    assert app._exit_renderables == []  # nothing printed on the terminal
    log = Path(app.crash_log).read_text(encoding="utf-8")
    assert "RuntimeError: a bug" in log and "in broken" in log
    os.unlink(app.crash_log)


def test_duban_tui_prints_one_line_and_exits_3(baoshan: Path, monkeypatch, capsys) -> None:
    from textual.app import App

    from duban.cli.main import main
    from duban.tui.app import DubanApp
    from duban.tui.screens.main import MainScreen

    def broken(self) -> None:
        raise RuntimeError("a bug")

    async def press_h(pilot) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.press("h")

    monkeypatch.setattr(MainScreen, "action_history", broken)
    monkeypatch.setattr(DubanApp, "run", lambda self: App.run(self, headless=True, auto_pilot=press_h, size=(80, 24)))
    with pytest.raises(SystemExit) as exit_code:
        main(["--repo", str(baoshan), "tui", "--plan", "2008-baoshan", "--as-of", "2008-06-30"])
    assert exit_code.value.code == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "internal error (RuntimeError)" in err[0]
    log = err[0].rsplit(" ", 1)[-1]
    assert "RuntimeError: a bug" in Path(log).read_text(encoding="utf-8")
    os.unlink(log)


def test_an_invalid_as_of_date_is_a_usage_error(baoshan: Path, capsys) -> None:
    from duban.cli.main import main

    with pytest.raises(SystemExit) as exit_code:
        main(["--repo", str(baoshan), "tui", "--as-of", "2019-13-01"])
    assert exit_code.value.code == 2
    assert "2019-13-01" in capsys.readouterr().err


async def test_control_characters_in_a_note_are_shown_not_sent_to_the_terminal(baoshan: Path) -> None:
    """A note pasted with a bell and an escape sequence is kept in the file as typed, and the
    TUI shows the characters as pictures instead of sending them to the terminal."""
    from duban.record.recording import record_progress
    from duban.store.repository import Repository

    # The door refuses such a note now, so it comes in as a hand edit (or from an old record).
    record_progress(Repository(baoshan), "2008-baoshan/1", 10, note="进展占位", date="2008-05-25", by="发改委")
    task_file = baoshan / "plans/2008-baoshan/tasks/1.yaml"
    text = task_file.read_text(encoding="utf-8")
    assert "note: 进展占位\n" in text
    task_file.write_text(text.replace("note: 进展占位\n", 'note: "进展\\a[/]\\e[31m红"\n'), encoding="utf-8")
    app = make_app(baoshan, "2008-baoshan", "en", "2008-06-30")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        card = text_of(app.screen.query_one("#detail"))
        assert "进展␇[/]␛[31m红" in "".join(card.split())  # as pictures (wrapped at the pane's width)
        assert "\x1b" not in card and "\x07" not in card
    assert "\\e[31m" in (baoshan / "plans/2008-baoshan/tasks/1.yaml").read_text(encoding="utf-8")
