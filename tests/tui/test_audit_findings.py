"""The smaller findings of the TUI audit (../shared/audits/tui.md T9, T11, T12, T15, T18-T22),
each as a clerk met it."""

from __future__ import annotations

import dataclasses
import os
import pty
import select
import signal
import struct
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Tree

from duban.i18n import set_language
from duban.store.repository import Repository
from duban.text.textwidth import cell_width
from duban.tui import make_app
from tests.support import GIT_ENV, PROJECT
from tests.tui.round_support import AS_OF, PLAN, copy_repo
from tests.tui.support import make_repo, settle, text_of
from tests.tui.waiting import filtered, finished, until

SIZE = (120, 36)


def test_the_ref_column_is_as_wide_as_the_longest_ref(template: Path) -> None:
    """T9: the width was measured over the first 2,000 tasks: task 10000 showed as `100…`."""
    from duban.supervise.selection import select
    from duban.tui.widgets.task_table import TaskTable

    task = select(Repository(template), [PLAN], AS_OF).tasks[0]
    table = TaskTable()
    table.tasks = [dataclasses.replace(task, id=str(n)) for n in range(1, 10001)]
    ref = next(c for c in table._columns(120) if c.key == "ref")
    assert ref.width >= 5


async def test_chinese_where_textual_spoke_english(template: Path, tmp_path: Path) -> None:
    """T11: Ctrl+C said `Do you want to quit? Press q to quit the app`; the palette offered
    Keys, Maximize, Screenshot, Theme, with `Search for commands…`."""
    repo = copy_repo(template, tmp_path / "repo")
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert any(n.message == "按 q 退出 duban。" for n in app._notifications)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert not {"Keys", "Maximize", "Screenshot", "Theme", "Quit"} & set(titles) and "退出" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(Input).placeholder == "搜索命令…"


ENGLISH_OF_GIT = (
    "Task:",
    "Reported-by",
    "Percent:",
    "Status:",
    "Report-date",
    "Recorded-At",
    "diff --git",
    "index ",
    "+++ b/",
    "--- a/",
    "Set:",
)


async def test_history_and_plan_log_speak_chinese(template: Path, tmp_path: Path) -> None:
    """T11: the history and the plan log showed the raw commit: `Task:`, `Reported-by:`,
    `Status: in_progress`, `diff --git`, `index …`. The file's own lines (`status: done`) are
    shown as the file holds them."""
    from textual.widgets import OptionList

    repo = copy_repo(template, tmp_path / "repo")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in GIT_ENV.items():
            patch.setenv(name, value)
        from duban.record.setting import set_fields

        set_fields(Repository(repo), f"{PLAN}/1", ["status=delayed"])
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key in ("h", "g"):  # the first row's history (task 1), then the plan log
            await pilot.press(key)
            await settle(app, pilot)
            screen = app.screen
            commits = screen.query_one("#commits", OptionList)
            seen = []
            for index in range(min(commits.option_count, 4)):  # the set, then the reports
                commits.highlighted = index
                await pilot.pause()
                seen.append(screen.shown_text)
            said = "\n".join(seen)
            assert not [word for word in ENGLISH_OF_GIT if word in said], said
            assert "报送单位:" in said and "状态:进行中" in said and "修改:状态=延期" in said
            await pilot.press("escape")
            await settle(app, pilot)


async def test_messages_say_nothing_of_the_command_line(template: Path, tmp_path: Path) -> None:
    """T11: `--note 的第 3 个字符是控制字符`, `--as-of '2019/6/31' 不是日期`, `(请查看 plan.yaml 中的
    单位)` and `进展情况为空. 再按` (an ASCII full stop) in the TUI."""
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(Input).value = "2019/6/31"
        await pilot.press("enter")
        await pilot.pause()
        said = text_of(app.screen.query_one("#as-of-error"))
        assert "2019/6/31" in said and "--" not in said
        await pilot.press("escape", "p")
        await settle(app, pilot)
        form = app.screen
        form.query_one("#note", Input).value = "配合\u202e推进"
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = text_of(form.query_one("#error"))
        assert "U+202E" in said and "--note" not in said
        form.query_one("#note", Input).value = "配合推进"
        form.query_one("#unit", Input).value = "不存在的单位"
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = text_of(form.query_one("#error"))
        assert "不存在的单位" in said and "plan.yaml" not in said
        form.query_one("#unit", Input).value = "发改委"
        form.query_one("#note", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = text_of(form.query_one("#error"))
        assert "进展情况为空。再按一次 Ctrl+S" in said


async def test_an_editor_that_fails_and_an_export_that_cannot_be_written_are_said_in_chinese(
    template: Path, tmp_path: Path, monkeypatch
) -> None:
    """T11: `(false: Editing failed)`; `无法写入 …:No such file or directory`."""
    monkeypatch.setenv("EDITOR", "false")
    repo = copy_repo(template, tmp_path / "repo")
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        said = [n.message for n in app._notifications][-1]
        assert "false" in said and "Editing failed" not in said
        await pilot.press("x")
        await settle(app, pilot)
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "no" / "such" / "l.xlsx")
        await pilot.press("enter")
        await finished(app, pilot)
        said = text_of(app.screen.query_one("#export-result"))
        assert "文件夹不存在" in said and "No such file" not in said


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_filter_errors_give_the_command_lines_hints_whole(template: Path, tmp_path: Path, size) -> None:
    """T12: `bogus:1` lost the fields the CLI lists, and `状态:完` ended `(是不是 已完成?`: the
    hint ran past the one line the count has; the filter's error is the CLI's, whole."""
    from duban.supervise.query import parse, text_search_notes
    from duban.supervise.query_tokens import QueryError
    from tests.tui.support import shown_where

    repo = copy_repo(template, tmp_path / "repo")
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = app.screen
        plans = screen.selection.plans()
        for text in ("lead:发改韦", "灯:h", "bogus:1", "percent<abc", "状态:完", "牵头:发改委 乱写:1"):
            screen.query_one("#filter", Input).value = text
            await filtered(app, pilot)
            try:
                parse(text, plans)
            except QueryError as error:
                said = "⚠ " + str(error)  # what `duban list` says after `duban: 错误: `
            else:
                said = " ".join(text_search_notes(text))
                assert said  # 乱写 is not a field: searched as text, and no task has it
            shown = "".join(shown_where(app, screen.query_one("#count"))).replace(" ", "")
            assert said.replace(" ", "") in shown, text


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_the_overview_shows_its_keys_and_tab_turns_its_groupings(template: Path, tmp_path: Path, size) -> None:
    """T14: the overview's footer showed only `esc 关闭`, and 领域 and 类型 were reached by
    Shift+Tab, then →; at 80x24 the on-time column was off the screen."""
    from textual.widgets import DataTable, TabbedContent
    from textual.widgets._footer import FooterKey

    repo = copy_repo(template, tmp_path / "repo")
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        main = app.screen
        await pilot.press("o")
        await settle(app, pilot)
        overview = app.screen
        assert type(overview).__name__ == "OverviewScreen"
        shown = {key.key: key.description for key in overview.query(FooterKey)}
        assert {"enter", "tab"} <= set(shown) and shown["enter"] == "打开这些任务"
        tabs = overview.query_one("#groupings", TabbedContent)
        for key, expected in (
            ("tab", "pane-area"),
            ("tab", "pane-type"),
            ("tab", "pane-unit"),
            ("shift+tab", "pane-type"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == expected
            assert overview.focused is overview.query_one(f"#by-{expected.removeprefix('pane-')}", DataTable)
        table = overview.query_one("#by-type", DataTable)
        assert (
            sum(column.get_render_width(table) for column in table.columns.values())
            <= table.scrollable_content_region.width
        )  # 按时率 % in view
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is main and "type" in main.query_one("#filter", Input).value  # type:A, or -has:type


async def test_a_task_file_edited_in_place_is_seen_without_r(template: Path, tmp_path: Path) -> None:
    """T15: the change check looked at the folder, plan.yaml and HEAD; an editor that writes a
    file in place changes none of them, and the count stayed `60 / 60` until `r`."""
    repo = copy_repo(template, tmp_path / "repo")
    app = make_app(repo, PLAN, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert not screen.unreadable
        path = repo / "plans" / PLAN / "tasks" / "10.yaml"
        with open(path, "a", encoding="utf-8") as file:  # in place: the same inode, the folder untouched
            file.write("status: [broken\n")
        # the next look for changes, every 2 s, then the reload
        await until(app, pilot, lambda: bool(screen.unreadable), "the file written in place read again")
        assert "1 unreadable" in text_of(screen.query_one("#count"))


async def test_export_goes_outside_the_repository_by_default(template: Path, tmp_path: Path, monkeypatch) -> None:
    """T18: `x`, Enter wrote the ledger into the repository, untracked, for `git add -A` to commit."""
    repo = copy_repo(template, tmp_path / "repo")
    monkeypatch.chdir(repo)
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        path = Path(app.screen.query_one("#export-path", Input).value)
        assert repo.resolve() not in path.resolve().parents
        assert path.parent == Path.home()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_help_lists_each_key_once_and_cuts_nothing(template: Path, tmp_path: Path, size) -> None:
    """T19: Ctrl+P was listed twice, and at 80x24 descriptions ended in `…`."""
    repo = copy_repo(template, tmp_path / "repo")
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        keys = [keys for keys, _what in app.screen.rows]
        assert len(keys) == len(set(keys)) and keys.count("Ctrl+P") == 1
        shown = "\n".join(
            line.text
            for line in app.screen.query_one("#help-box")
            .query_one("Static")
            .render_lines(app.screen.query_one("#help-box").query_one("Static").region.reset_offset)
        )
        assert "…" not in shown


async def test_shift_p_can_be_backed_out_of(template: Path, tmp_path: Path) -> None:
    """T20: on the picker the cursor was on the first plan and Esc did nothing (q quit the app)."""
    repo = make_repo(tmp_path / "repo", "2008-baoshan", PLAN)
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.screen
        await pilot.press("slash", *"lead:fgw", "enter")
        await filtered(app, pilot)
        await pilot.press("P")
        await settle(app, pilot)
        picker = app.screen
        assert type(picker).__name__ == "PlanPicker"
        options = picker.query_one("#plans", OptionList)
        assert options.get_option_at_index(options.highlighted).id == PLAN
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is main and main.query_one("#filter", Input).value == "lead:fgw"
        await pilot.press("P", "up", "enter")
        await settle(app, pilot)
        assert app.screen.plan_id == "2008-baoshan" and len(app.screen.shown) == 214
        assert len(app.screen_stack) == 2  # the default screen and this plan: nothing left behind


async def test_the_area_tree_shows_whole_names_and_counts_at_200_columns(template: Path, tmp_path: Path) -> None:
    """T22: the tree kept 26 columns: `民生保障与社会建设 (6` was cut even at 200 columns."""
    repo = copy_repo(template, tmp_path / "repo")
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        tree = app.screen.query_one("#areas", Tree)
        longest = max(cell_width(str(node.label)) for node in tree.root.children)
        assert tree.scrollable_content_region.width >= longest + 4  # the guide `├── `


def test_sigterm_leaves_the_terminal_as_it_was(tmp_path: Path) -> None:
    """T21: `kill` left the alternate screen on, mouse reporting on and the cursor hidden."""
    import fcntl
    import termios

    repo = make_repo(tmp_path / "repo", PLAN)
    env = {**os.environ, **GIT_ENV, "TERM": "xterm-256color", "PYTHONPATH": str(PROJECT)}
    pid, fd = pty.fork()
    if pid == 0:  # the child: duban tui in a terminal of 80x24
        os.chdir(repo)
        os.execvpe(sys.executable, [sys.executable, "-m", "duban", "tui", "--plan", PLAN, "--lang", "en"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    output = b""

    def read(until: bytes | None, seconds: float) -> None:
        nonlocal output
        end = time.monotonic() + seconds
        while time.monotonic() < end and (until is None or until not in output):
            ready, _w, _x = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                output += chunk

    read(b"tasks", 90)  # the count line: the table is up
    assert b"\x1b[?1049h" in output, output[-300:]
    mark = len(output)
    os.kill(pid, signal.SIGTERM)
    read(None, 30)
    _pid, status = os.waitpid(pid, 0)
    after = output[mark:]
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 143, status
    assert b"\x1b[?1049l" in after and b"\x1b[?1000l" in after and b"\x1b[?25h" in after


@pytest.fixture(autouse=True)
def _english_after() -> None:
    yield
    set_language("en")
