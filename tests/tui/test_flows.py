"""Every TUI flow with Textual's Pilot, on real repositories in temp dirs."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from duban.tui import make_app
from tests.support import DATA, git
from tests.tui.waiting import filtered, until

SIZE = (120, 36)


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def text_of(widget: Static) -> str:
    return str(widget.render())


async def open_changning(app, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("down", "enter")  # the plan picker lists 2008-baoshan, then 2019-changning
    await settle(app, pilot)


async def test_plan_picker_then_filter_by_lead_unit(git_repo: Path) -> None:
    app = make_app(git_repo, language="en", as_of="2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PlanPicker"
        await open_changning(app, pilot)
        screen = app.screen
        assert text_of(screen.query_one("#count")).startswith("2 / 2 tasks")
        await pilot.press("slash", *"lead:jyj")  # 教育局 leads no task here
        await filtered(app, pilot)
        assert text_of(screen.query_one("#count")).startswith("0 / 2 tasks")
        box = screen.query_one("#filter", Input)
        box.value = "lead:hwb"  # no unit of the plan: marked as a mistake, not an empty table
        await filtered(app, pilot)
        assert text_of(screen.query_one("#count")) == "⚠ query column 6 ('hwb'): no selected plan has a unit 'hwb'"
        assert box.has_class("invalid")
        box = screen.query_one("#filter", Input)
        box.value = "lead:jrb percent<50"  # 金融办 in pinyin initials
        await filtered(app, pilot)
        assert text_of(screen.query_one("#count")).startswith("2 / 2 tasks")


async def test_invalid_query_is_marked_not_fatal(git_repo: Path) -> None:
    app = make_app(git_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.query_one("#filter", Input).value = "leed:发改委"
        await filtered(app, pilot)
        assert screen.query_one("#filter", Input).has_class("invalid")
        assert "unknown field 'leed'" in text_of(screen.query_one("#count"))
        assert screen.query_one("#tasks", DataTable).row_count == 2  # the last good result stays
        screen.query_one("#filter", Input).value = "type:A"
        await filtered(app, pilot)
        assert not screen.query_one("#filter", Input).has_class("invalid")


async def test_open_a_task_shows_units_milestones_and_timeline(git_repo: Path) -> None:
    app = make_app(git_repo, "2019-changning", "en", "2019-05-15")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down")
        await pilot.pause()
        detail = text_of(app.screen.query_one("#detail"))
        assert detail.startswith("2019-changning/2  招留增工作")  # the card of `duban show`
        assert "lead (主责部门)\n  金融办" in detail and "support (配合部门)\n  商务委、发改委、科委" in detail
        assert "▶ Q2" in detail and "no reports yet" in detail


async def test_record_progress_commits_and_stays_on_the_table(git_repo: Path) -> None:
    app = make_app(git_repo, "2019-changning", "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "ProgressForm"
        assert form.query_one("#unit", Input).value == "金融办"  # the task's own lead
        assert form.query_one("#date", Input).value == "2019-12-31"  # inside the plan's year, not today
        form.query_one("#percent", Input).value = "150"
        form.query_one("#note", Input).value = "x"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Percent must be" not in text_of(form.query_one("#error"))
        await settle(app, pilot)
        assert "percent must be between 0 and 100" in text_of(form.query_one("#error"))
        form.query_one("#percent", Input).value = "30"
        form.query_one("#date", Input).value = "2019-03-25"
        form.query_one("#unit", Input).value = "jrb"  # pinyin initials of 金融办
        form.query_one("#note", Input).value = "完成楼宇信息动态数据库建设"
        await pilot.pause()
        assert text_of(form.query_one("#unit-hint")) == "→ 金融办"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MainScreen"  # no forced history after a save
        assert git(git_repo, "log", "-1", "--format=%s").strip().startswith("2019-changning/1: 进度 30%(进行中) ")
        diff = git(git_repo, "show", "--format=", "-U0", "HEAD")
        assert "+      note: 完成楼宇信息动态数据库建设" in diff and "+  金融办:" in diff  # under its unit's key


async def test_progress_form_warns_of_a_falling_percent_and_an_empty_note(history_repo: Path) -> None:
    app = make_app(history_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")  # task 1, last reported at 50%
        await pilot.pause()
        form = app.screen
        assert form.query_one("#date", Input).value == "2019-06-30"  # the as-of date
        form.query_one("#percent", Input).value = "40"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        warning = text_of(form.query_one("#error"))
        assert "falls from 50% to 40%" in warning and "note is empty" in warning
        before = git(history_repo, "rev-parse", "HEAD")
        assert app.screen is form and git(history_repo, "rev-parse", "HEAD") == before
        await pilot.press("ctrl+s")  # again: saved anyway
        await settle(app, pilot)
        assert git(history_repo, "log", "-1", "--format=%s").strip().startswith("2019-changning/1: 进度 40%(延期) ")


async def test_a_pasted_note_keeps_every_line(git_repo: Path) -> None:
    """Pasting three lines into the note kept the first and dropped the rest without a word."""
    from textual import events

    app = make_app(git_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        note = app.screen.query_one("#note", Input)
        note.focus()
        note.post_message(events.Paste("第一行：完成调研\n第二行 [red]警告[/red]\r\n\t第三行带制表符\n"))
        await pilot.pause()
        assert note.value == "第一行：完成调研 第二行 [red]警告[/red] 第三行带制表符"


async def test_a_file_broken_while_the_form_is_open_is_named_where(git_repo: Path) -> None:
    """The refusal said only 找不到应有的内容 (解析行内节点时), without the file and line."""
    app = make_app(git_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        path = git_repo / "plans/2019-changning/tasks/1.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "bad: [\n", encoding="utf-8")
        form.query_one("#percent", Input).value = "10"
        form.query_one("#note", Input).value = "说明"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        shown = text_of(form.query_one("#error"))
        assert app.screen is form and shown.startswith("plans/2019-changning/tasks/1.yaml:"), shown


async def test_the_form_takes_numbers_and_dates_as_an_input_method_types_them(git_repo: Path) -> None:
    """４５％ showed as ４５ and was refused (the field took only ASCII digits), and a figure
    of 1.2万 could not be entered; the CLI took both."""
    app = make_app(git_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")  # task 1: a numeric target
        await pilot.pause()
        form = app.screen
        form.query_one("#percent", Input).value = ""
        form.query_one("#percent", Input).focus()
        await pilot.press(*"４５%")  # (Pilot cannot send ％; a terminal can)
        assert form.query_one("#percent", Input).value == "４５%"
        form.query_one("#value", Input).value = "1.2万"
        form.query_one("#date", Input).value = ""
        form.query_one("#date", Input).focus()
        await pilot.press(*"2019年6月24日")
        assert form.query_one("#date", Input).value == "2019年6月24日"
        form.query_one("#unit", Input).value = "金融办"
        form.query_one("#note", Input).focus()
        await pilot.press(*"按输入法　键入")  # the ideographic space was dropped
        assert form.query_one("#note", Input).value == "按输入法\u3000键入"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # 12000 against 增长4%: asked about first (audit T5), then saved as typed
        assert "the figure 12000 is 300000% of the target 4 %" in text_of(form.query_one("#error"))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form, text_of(form.query_one("#error"))
        diff = git(git_repo, "show", "--format=", "-U0", "HEAD")
        assert "percent: 45" in diff and "value: 12000" in diff and "date: 2019-06-24" in diff


async def test_a_warning_goes_once_the_field_it_speaks_of_is_typed_in(history_repo: Path) -> None:
    """ "The note is empty. Press Ctrl+S again" stayed on the form while the note was typed."""
    app = make_app(history_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        form.query_one("#percent", Input).value = "60"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "note is empty" in text_of(form.query_one("#error"))
        form.query_one("#note", Input).focus()
        await pilot.press(*"已完成")
        await pilot.pause()
        assert text_of(form.query_one("#error")) == ""
        before = git(history_repo, "rev-parse", "HEAD")
        await pilot.press("ctrl+s")  # nothing to warn of now: saved at once
        await settle(app, pilot)
        assert app.screen is not form and git(history_repo, "rev-parse", "HEAD") != before


async def test_enter_moves_through_the_form_and_saves_on_the_last_field(git_repo: Path) -> None:
    app = make_app(git_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        await pilot.press(*"25", "enter")
        assert form.focused is not None and form.focused.id == "value"  # task 1 has a numeric target (4%)
        await pilot.press("enter")
        assert form.focused.id == "date"
        await pilot.press("enter", "enter")  # date kept, unit kept: to the note
        assert form.focused.id == "note"
        await pilot.press(*"ok", "enter")
        await settle(app, pilot)
        assert git(git_repo, "log", "-1", "--format=%s").strip().startswith("2019-changning/1: 进度 25%(进行中) ")


async def test_history_and_plan_log(history_repo: Path) -> None:
    app = make_app(history_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        patch = app.screen.shown_text
        assert "2019-changning/1: 修改 状态、节点目标 Q2" in patch and "+status: delayed" in patch
        await pilot.press("down")
        await pilot.pause()
        assert "reported by: 金融办" in app.screen.shown_text  # the trailer Reported-by, in words
        await pilot.press("escape", "g")
        await settle(app, pilot)
        # duban's five commits; the fixture's own first commit names no task, so the log leaves it out
        assert len(app.screen.commits) == 5


async def test_problem_jumps_to_the_task(git_repo: Path) -> None:
    shutil.copy(DATA / "invalid/unknown-unit.yaml", git_repo / "plans/2019-changning/tasks")
    app = make_app(git_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        assert "2 problems" in text_of(app.screen.query_one("#problems-title"))
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "MainScreen"
        assert screen.query_one("#filter", Input).value == "id:unknown-unit"
        assert screen.current_ref() == "2019-changning/unknown-unit"


async def test_problems_and_query_errors_in_chinese(git_repo: Path) -> None:
    """The core's messages follow the interface's language: validation problems and query errors."""
    shutil.copy(DATA / "invalid/unknown-unit.yaml", git_repo / "plans/2019-changning/tasks")
    app = make_app(git_repo, "2019-changning", "zh", "2019-06-30")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.screen.query_one("#filter", Input).value = "leed:发改委"
            await filtered(app, pilot)
            assert "查询第 1 列('leed:发改委'):未知字段 'leed'" in text_of(app.screen.query_one("#count"))
            await pilot.press("v")
            await settle(app, pilot)
            table = app.screen.query_one("#problems", DataTable)
            messages = [str(table.get_row_at(row)[3]) for row in range(table.row_count)]
            assert messages == ["未知单位 '发改';是不是 '发改委'?", "未知单位 '市场监管';是不是 '市场监管局'?"]
    finally:
        from duban.i18n import set_language

        set_language("en")


async def test_unit_view_filters_to_the_unit(git_repo: Path) -> None:
    app = make_app(git_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("u")
        await pilot.pause()
        app.screen.query_one("#unit-filter", Input).value = "jrb"
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == 'unit:"金融办"'


async def test_reloads_when_the_repository_changes(git_repo: Path) -> None:
    import gc
    import weakref

    from duban.record.recording import record_progress
    from duban.store.repository import Repository

    app = make_app(git_repo, "2019-changning", "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.query_one("#filter", Input).value = "percent>=40"
        await filtered(app, pilot)
        assert screen.query_one("#tasks", DataTable).row_count == 0
        assert gc.get_freeze_count() > 0  # the loaded plan is kept out of the collector's passes
        first_load = weakref.ref(screen.selection)
        record_progress(Repository(git_repo), "2019-changning/2", 40, date="2019-04-25")  # another process
        await until(
            app,
            pilot,
            lambda: screen.query_one("#tasks", DataTable).row_count == 1,
            "the new report to be seen and the table reloaded",
        )
        await settle(app, pilot)
        assert screen.query_one("#filter", Input).value == "percent>=40"  # what the user typed stays
        assert screen.query_one("#tasks", DataTable).row_count == 1
        assert first_load() is None  # frozen or not, the replaced plan is freed
    assert gc.get_freeze_count() == 0  # the app gives everything back to the collector on exit


async def test_help_and_language(git_repo: Path) -> None:
    app = make_app(git_repo, "2019-changning", "zh", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "2 / 2 项任务" in text_of(app.screen.query_one("#count"))
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        bindings = {b.description for b in app.screen.under.BINDINGS}
        assert "报送进度" in bindings and "筛选" in bindings
    app = make_app(git_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "2 / 2 tasks" in text_of(app.screen.query_one("#count"))
        assert "Record progress" in {b.description for b in type(app.screen).BINDINGS}


async def test_edit_fields_in_a_form(git_repo: Path) -> None:
    app = make_app(git_repo, "2019-changning", "en", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "FieldsForm"
        form.query_one("#lead", Input).value = "金融办、不存在的单位"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "unknown unit '不存在的单位'" in text_of(form.query_one("#error"))
        form.query_one("#lead", Input).value = "金融办"
        form.query_one("#due", Input).value = "2019年9月30日"
        form.query_one("#milestones-Q2", Input).value = "调整后的二季度目标"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert (
            git(git_repo, "log", "-1", "--format=%s")
            .strip()
            .startswith("2019-changning/1: 修改 完成期限、牵头、节点目标 Q2 ")
        )
        # The trailer says the day as stored, and the toast does not call a change of fields a report.
        assert "Set: due=2019-09-30\n" in git(git_repo, "log", "-1", "--format=%B")
        assert any(n.message.startswith("Committed as ") for n in app._notifications)


async def test_more_rows_load_near_the_end_and_sorting_covers_all_tasks() -> None:
    from tests.support import PROJECT

    app = make_app(PROJECT, "2019-shangcheng", "en", "2019-06-30")  # 163 tasks, read only
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#tasks", DataTable)
        assert table.row_count == 100 and len(screen.shown) == 163
        table.move_cursor(row=table.row_count - 1)  # the cursor nears the end: 200 more
        await pilot.pause()
        assert table.row_count == 163
        table.move_cursor(row=0)
        # A filter that changes the matches: back to the first rows. (One that matches the
        # same tasks, as -id:0 does, leaves the table as it is.)
        screen.query_one("#filter", Input).value = "-id:1"
        await filtered(app, pilot)
        assert table.row_count == 100 and len(screen.shown) == 162
        table.scroll_end(animate=False)  # the scroll nears the end: more rows
        await pilot.pause()
        await pilot.pause()
        assert table.row_count == 162
        table.sort_by("ref", reverse=True)
        await pilot.pause()
        assert screen.current_ref() is not None
        first = table.coordinate_to_cell_key((0, 0)).row_key.value
        assert first == "2019-shangcheng/a2-15"  # the last of all 162 in natural order, though 100 rows are loaded


async def test_the_unit_whose_name_begins_with_the_initials_typed_comes_first(tmp_path: Path) -> None:
    """Typed `gcz` for 顾村镇 in the bundled Baoshan plan, Enter took 老镇及旧房改造指挥部: its
    initials hold g…c…z further in (造 has a reading in c), and it has more red tasks, so it
    was listed first. A name that begins with what was typed now comes first."""
    from tests.support import GIT_ENV, PROJECT

    shutil.copytree(PROJECT / "plans" / "2008-baoshan", tmp_path / "plans" / "2008-baoshan")
    shutil.copytree(
        PROJECT / "schema", tmp_path / "schema", ignore=shutil.ignore_patterns("__init__.py", "__pycache__")
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(
        tmp_path,
        "-c",
        f"user.name={GIT_ENV['GIT_AUTHOR_NAME']}",
        "-c",
        f"user.email={GIT_ENV['GIT_AUTHOR_EMAIL']}",
        "commit",
        "-q",
        "-m",
        "plan",
    )
    app = make_app(tmp_path, "2008-baoshan", "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("u")
        await pilot.pause()
        app.screen.query_one("#unit-filter", Input).value = "gcz"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == 'unit:"顾村镇"'
