"""The monthly round and the progress form record exactly what was typed, on that row, by that
unit, at any speed (../shared/audits/tui.md T1-T7, T13, T14, T16, T17; issue 24)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from duban.record.report_checks import has_numeric_target
from duban.store.repository import Repository
from duban.supervise.selection import select
from duban.text.textwidth import cell_width
from duban.tui import make_app
from duban.tui.typeahead import handled
from tests.support import at, git
from tests.tui.round_support import (
    AS_OF,
    PLAN,
    big_repo,
    burst,
    copy_repo,
    keys_of,
    new_reports,
    slow_fields,
)
from tests.tui.support import settle, text_of
from tests.tui.waiting import all_handled, finished

SIZE = (120, 36)


async def open_round(app, pilot):
    await settle(app, pilot)
    await pilot.press("m")
    await settle(app, pilot)
    assert type(app.screen).__name__ == "RoundScreen"
    return app.screen


def row_of(round_, task_id: str):
    return next(row for row in round_.shown() if row.state.task.id == task_id)


# -- T1: an empty percent is this unit's own last figure, never another unit's --


async def test_a_note_only_row_of_a_supporting_unit_keeps_its_own_figure(template: Path, tmp_path: Path) -> None:
    """T1, reproduction 1: 发改委 supports task 1 (its own last report 20 %, the lead 金融办's 50 %);
    a note alone recorded 50 % under 发改委's name."""
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        row = row_of(round_, "1")
        assert row.text("percent").placeholder == "20"  # its own figure, not the lead's 50
        row.text("note").value = "配合召开稳增长联席会议"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        assert "Recorded 1 reports" in text_of(round_.query_one("#round-status"))
    [commit] = new_reports(repo, head)
    assert (commit["Reported-by"], commit["Percent"]) == ("发改委", "20")
    view = select(Repository(repo), [PLAN], AS_OF)
    deciding = view.deciding_report(next(t for t in view.tasks if t.id == "1"))
    assert deciding is not None and deciding.by == "金融办" and deciding.percent == 50


async def test_a_unit_without_a_report_of_its_own_is_asked_for_its_percent(template: Path, tmp_path: Path) -> None:
    """T1, reproduction 2: 金融办 leads task 2 and has never reported on it; 发改委 reported 23 %.
    A note alone recorded 23 % as 金融办's, which became the task's official percent."""
    repo = copy_repo(template, tmp_path / "repo", "金融办")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        row = row_of(round_, "2")
        assert row.text("percent").placeholder == "%"  # not 发改委's 23
        row.text("note").value = "牵头单位本月只写情况说明"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        assert text_of(row.query_one(".round-result")) == "✗ 金融办尚未报送过本任务的进度:请填写百分比。"
        assert "未报送任何内容" in text_of(round_.query_one("#round-status"))
        row.text("percent").value = "10"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
    [commit] = new_reports(repo, head)
    assert (commit["Task"], commit["Reported-by"], commit["Percent"]) == (f"{PLAN}/2", "金融办", "10")


async def test_a_row_emptied_after_its_cross_loses_the_cross_when_the_round_is_saved(
    template: Path, tmp_path: Path
) -> None:
    """Tried in tmux: a note typed into task 2's percent by a Tab too few was refused (✗); the
    clerk emptied that row and saved the others; they were recorded, and task 2 still said its
    percent was wrong, as if it had been refused again."""
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        wrong, right = row_of(round_, "2"), row_of(round_, "1")
        wrong.text("percent").value = "已配合完成初稿"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        assert text_of(wrong.query_one(".round-result")).startswith("✗ ")
        wrong.text("percent").value = ""
        right.text("note").value = "已配合完成初稿"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        assert "已报送 1 条" in text_of(round_.query_one("#round-status"))
        assert text_of(wrong.query_one(".round-result")) == ""
        assert text_of(right.query_one(".round-result")).startswith("✓ ")
    [commit] = new_reports(repo, head)
    assert (commit["Task"], commit["Reported-by"]) == (f"{PLAN}/1", "发改委")


async def test_the_progress_form_reports_for_my_unit_when_it_supports_the_task(template: Path, tmp_path: Path) -> None:
    """T16: with my unit 发改委 (a supporting unit of task 1), `p` proposed the lead 金融办 and
    its 50 %: a clerk who did not retype the unit recorded the lead's report."""
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        form = app.screen
        assert form.query_one("#unit", Input).value == "发改委"
        assert form.query_one("#percent", Input).value == "20"
        form.query_one("#unit", Input).value = "金融办"  # the unit changed: its own figure follows
        await pilot.pause()
        assert form.query_one("#percent", Input).value == "50"
        form.query_one("#unit", Input).value = "发改委"
        await pilot.pause()
        form.query_one("#note", Input).value = "配合推进"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        assert type(app.screen).__name__ == "MainScreen"
    [commit] = new_reports(repo, head)
    assert (commit["Reported-by"], commit["Percent"]) == ("发改委", "20")


# -- T2: keys typed ahead land in the field they were typed for --


def round_keys(round_) -> tuple[list[str], dict[str, tuple[str, str, str]]]:
    """Every row: a percent, Enter, a figure where the task has a target, Enter, a note, Enter."""
    keys: list[str] = []
    wanted = {}
    for index, state in enumerate(round_.states):
        percent, value, note = str(60 + index), ("3" if has_numeric_target(state.task) else ""), f"第{index}行进展"
        keys += keys_of(percent, ["enter"])
        if has_numeric_target(state.task):
            keys += keys_of(value, ["enter"])
        keys += keys_of(note, ["enter"])
        wanted[state.task.id] = (percent, value, note)
    return keys, wanted


@pytest.mark.parametrize("gap", [0.0, 0.003])
async def test_a_round_typed_at_full_speed_on_a_slow_app_keeps_every_row(
    template: Path, tmp_path: Path, monkeypatch, gap: float
) -> None:
    """T2: Enter moved the focus only when the screen had handled it; on a loaded machine the
    keys typed behind it went to the old field: notes took the next row's percent."""
    repo = copy_repo(template, tmp_path / "repo", "金融办")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "en", AS_OF)
    slow_fields(monkeypatch, 0.004)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        keys, wanted = round_keys(round_)
        await burst(app, keys, gap)
        await all_handled(app)
        await round_._read_all()
        assert {s.task.id: (s.percent, s.value, s.note) for s in round_.states} == wanted
        await burst(app, ["ctrl+s"])
        await finished(app, pilot)
        assert "Recorded 10 reports" in text_of(round_.query_one("#round-status"))
    commits = new_reports(repo, head)
    assert [(c["Task"].split("/")[1], c["Percent"]) for c in commits] == [(t, p) for t, (p, _v, _n) in wanted.items()]
    tasks = Repository(repo)
    for task_id, (percent, value, note) in wanted.items():
        mine = [
            r for r in tasks.resolve(f"{PLAN}/{task_id}").progress if r.by == "金融办" and r.date.isoformat() == AS_OF
        ]
        assert [(f"{r.percent:g}", f"{r.value:g}" if r.value is not None else "", r.note) for r in mine] == [
            (percent, value, note)
        ]


async def test_keys_typed_ahead_in_the_progress_form_stay_in_their_fields(
    template: Path, tmp_path: Path, monkeypatch
) -> None:
    """T2 in the form: `15`, Enter ×3, a note: the note replaced the reporting unit."""
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "en", AS_OF)
    slow_fields(monkeypatch, 0.004)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down")  # task 3: no figure; 发改委 leads it at 30 %
        await pilot.press("p")
        await settle(app, pilot)
        form = app.screen
        await burst(app, keys_of(["ctrl+u"], "45", ["enter"] * 3, "方案印发", ["enter"], ["enter"]))
        await finished(app, pilot)
        assert type(app.screen).__name__ == "MainScreen", text_of(form.query_one("#error"))
    [commit] = new_reports(repo, head)
    assert (commit["Task"], commit["Reported-by"], commit["Percent"]) == (f"{PLAN}/3", "发改委", "45")
    assert Repository(repo).resolve(f"{PLAN}/3").progress[-1].note == "方案印发"


# -- T4: Ctrl+S twice --


async def test_a_second_ctrl_s_records_nothing_and_says_so(template: Path, tmp_path: Path, monkeypatch) -> None:
    """T4: a second Ctrl+S while the first was recording started a second save, which found
    every row already recorded and marked them all ✗ refused over their ✓."""
    import threading

    from duban.record import recording

    repo = copy_repo(template, tmp_path / "repo", "金融办")
    head = git(repo, "rev-parse", "HEAD").strip()
    started, go = threading.Event(), threading.Event()
    record = recording.record_progress

    def held(*args, **kwargs):  # the first commit waits until the second Ctrl+S has been pressed
        started.set()
        go.wait(30)
        return record(*args, **kwargs)

    monkeypatch.setattr(recording, "record_progress", held)
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        for index in (2, 3, 4):
            round_.query_one(f"#percent-{index}", Input).value = "40"
            round_.query_one(f"#note-{index}", Input).value = f"进展{index}"
        await burst(app, ["ctrl+s"])
        while not started.is_set():
            await pilot.pause()
        await burst(app, ["ctrl+s"])
        await all_handled(app)
        go.set()
        await finished(app, pilot)
        results = [text_of(round_.query_one(f"#result-{index}")) for index in (2, 3, 4)]
        assert all(r.startswith("✓") and "40%" in r for r in results), results
        assert "Recorded 3 reports" in text_of(round_.query_one("#round-status"))
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        assert text_of(round_.query_one("#round-status")).startswith("Nothing new to record: 3 rows are recorded")
        assert [text_of(round_.query_one(f"#result-{index}")) for index in (2, 3, 4)] == results
    assert len(new_reports(repo, head)) == 3


# -- T5, T6: the value's target, the date's forms --


async def test_the_value_column_shows_the_target_and_a_far_figure_is_asked_about(
    template: Path, tmp_path: Path
) -> None:
    """T5: the column said only "value"; 169.36 (亿元, from the task's text) against 增长4% turned
    task 1 green at 60 %."""
    repo = copy_repo(template, tmp_path / "repo", "金融办")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        row = row_of(round_, "1")
        assert row.text("value").placeholder == "目标 4 %"
        assert row_of(round_, "3").text("value").disabled  # no numeric target: no figure
        row.text("percent").value = "60"
        row.text("value").value = "169.36"
        row.text("note").value = "完成增加值169.36亿元"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        status = text_of(round_.query_one("#round-status"))
        assert "169.36 是目标 4 % 的 4234%" in status and "再按一次 Ctrl+S" in status
        assert git(repo, "rev-parse", "HEAD").strip() == head


@pytest.mark.parametrize("typed", ["2019年6月24日", "2019/6/24", "2019-6-24", "２０１９－０６－２４", "6月24日"])
async def test_the_round_takes_the_dates_the_command_line_takes(template: Path, tmp_path: Path, typed: str) -> None:
    """T6: the date box took only YYYY-MM-DD."""
    repo = copy_repo(template, tmp_path / "repo", "金融办")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        round_.query_one("#round-date", Input).value = typed
        round_.row_widgets()[0].text("percent").value = "55"
        round_.row_widgets()[0].text("note").value = "六月进展"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
    [commit] = new_reports(repo, head)
    assert commit["Report-date"] == "2019-06-24"


# -- T13, T14: reasons read whole; the keyboard --


async def test_a_refused_rows_reason_is_read_whole_at_80_columns(template: Path, tmp_path: Path) -> None:
    """T13: the reason was cut to one short line (`✗ 2019-changning/5`)."""
    repo = copy_repo(template, tmp_path / "repo", "金融办")
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        round_ = await open_round(app, pilot)
        row = row_of(round_, "2")
        row.text("note").value = "只有说明"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        result = row.query_one(".round-result")
        reason = text_of(result)
        assert reason.startswith("✗ ") and len(reason) > 20
        assert result.size.width * result.size.height >= cell_width(reason)


async def test_the_date_is_one_shift_tab_away_and_ctrl_u_clears_a_field(template: Path, tmp_path: Path) -> None:
    """T14: the first Shift+Tab landed on an invisible stop (the rows' scroll container), and
    Ctrl+U in a field changed the unit instead of clearing the field; Ctrl+O changes it now."""
    repo = copy_repo(template, tmp_path / "repo", "金融办")
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        assert round_.focused.id == "percent-0"
        await pilot.press(*"12", "ctrl+u")
        assert round_.focused.id == "percent-0" and round_.focused.value == ""
        await pilot.press("shift+tab")
        assert round_.focused.id == "round-date"
        await pilot.press("tab")
        assert round_.focused.id == "percent-0"
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "UnitPicker"


# -- T17: warnings against the task as it is when saving --


async def test_the_form_warns_of_a_falling_percent_reported_since_it_opened(
    template: Path, tmp_path: Path, monkeypatch
) -> None:
    """T17: 发改委 at 30 % on task 3; 60 % recorded from the command line while the form was open;
    45 typed in the form was saved without the falling-percent warning."""
    from duban.record.recording import record_progress

    repo = copy_repo(template, tmp_path / "repo", "发改委")
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "p")
        await settle(app, pilot)
        form = app.screen
        at(monkeypatch, "2019-06-20")
        record_progress(Repository(repo), f"{PLAN}/3", 60, note="命令行报送", by="发改委", date="2019-06-20")
        form.query_one("#percent", Input).value = "45"
        form.query_one("#note", Input).value = "表单报送"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        assert "falls from 60% to 45%" in text_of(form.query_one("#error"))
        assert type(app.screen).__name__ == "ProgressForm"


# -- T3: the plan's folder gone --


@pytest.mark.parametrize("key", ["p", "m", "e", "f"])
async def test_p_m_e_say_so_when_the_plan_folder_is_gone(template: Path, tmp_path: Path, key: str, monkeypatch) -> None:
    """T3: after the plan's folder was renamed (or a `git checkout` of a branch without it),
    p, m and e crashed with exit 3."""
    monkeypatch.setenv("EDITOR", "true")
    repo = copy_repo(template, tmp_path / "repo", "金融办")
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        (repo / "plans" / PLAN).rename(repo / "plans" / "elsewhere")
        await pilot.press(key)
        await settle(app, pilot)
        assert app.crash_log is None and app.is_running
        assert type(app.screen).__name__ == "MainScreen"
        assert any(f"no plan '{PLAN}'" in n.message or f"no plan {PLAN!r}" in n.message for n in app._notifications)


# -- T7: a round of thousands of tasks --


async def test_a_round_of_2500_tasks_opens_at_once_and_builds_one_page(tmp_path: Path) -> None:
    """T7: the round built four widgets for each of 2,363 tasks before it showed anything: 162 s
    and 1.3 GB. Now a page of rows is built, the same widgets shown again for the next page."""
    from duban.tui.screens.round import PAGE
    from duban.tui.widgets.round_row import RoundRow

    repo = big_repo(tmp_path / "repo", 2500)
    (repo / ".git/duban-my-unit").write_text("发改委\n", encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "en")  # as it is now: the tasks were added today
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        started = time.monotonic()
        await pilot.press("m")
        await settle(app, pilot)
        opened = time.monotonic() - started
        round_ = app.screen
        assert len(round_.states) > 2500
        assert len(round_.query(RoundRow)) == PAGE and len(round_.query(Input)) <= 3 * PAGE + 1
        assert opened < 15, opened  # 162 s before; about a second on an idle machine
        await pilot.press("pageup")  # on the first page: stays
        for _ in range(len(round_.states) // PAGE + 1):
            await burst(app, ["pagedown"])
        await all_handled(app)
        last = round_.shown()[-1]
        assert last.state is round_.states[-1]
        assert len(round_.query(RoundRow)) == PAGE
        last.text("percent").value = "15"
        last.text("note").value = "最后一项"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
    [commit] = new_reports(repo, head)
    assert commit["Task"] == f"{PLAN}/{round_.states[-1].task.id}" and commit["Percent"] == "15"


async def test_enter_on_the_last_row_of_a_page_goes_on_to_the_next_page(tmp_path: Path, monkeypatch) -> None:
    """Rows typed across a page's end at full speed, on a slow app, land in their own rows."""
    from duban.tui.screens.round import PAGE

    repo = big_repo(tmp_path / "repo", PAGE)
    (repo / ".git/duban-my-unit").write_text("发改委\n", encoding="utf-8")
    app = make_app(repo, PLAN, "en")  # as it is now: the tasks were added today
    slow_fields(monkeypatch, 0.003)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        round_ = app.screen
        keys: list[str] = []
        for index, state in enumerate(round_.states[: PAGE + 3]):
            keys += keys_of(str(index % 90 + 5), ["enter"])
            if has_numeric_target(state.task):
                keys += ["enter"]
            keys += keys_of(f"n{index}", ["enter"])
        await burst(app, keys)
        await all_handled(app)
        await round_._read_all()
        assert round_.page == 1
        assert [(s.percent, s.note) for s in round_.states[: PAGE + 3]] == [
            (str(i % 90 + 5), f"n{i}") for i in range(PAGE + 3)
        ]
        assert all(not any(s.typed()) for s in round_.states[PAGE + 3 :])


async def test_keys_typed_behind_a_key_that_opens_a_field_go_into_it(
    template: Path, tmp_path: Path, monkeypatch
) -> None:
    """T2 on the main screen (found by hand in tmux): `/lead:fgw` typed at once opened the
    editor (its `e`), and the digits typed behind `p` went to the table, not the form."""
    monkeypatch.setenv("EDITOR", "false")
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    app = make_app(repo, PLAN, "en", AS_OF)
    slow_fields(monkeypatch, 0.004)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.screen
        await burst(app, ["slash", *"lead:fgw", "enter", "p", *"45"])
        await all_handled(app)
        await handled(main.query(Input), timeout=None)  # the box under the form
        assert main.query_one("#filter", Input).value == "lead:fgw"
        form = app.screen
        assert type(form).__name__ == "ProgressForm" and form.query_one("#percent", Input).value == "45"
        assert not any("editor" in n.message for n in app._notifications)


async def test_text_typed_on_a_rows_status_list_goes_into_its_note(template: Path, tmp_path: Path) -> None:
    """Found in tmux at 80x24: Enter from a row's percent goes to its note, Tab on to the next
    row's percent and Tab again to its status list, where the note typed next vanished (a
    list takes no text) and Ctrl+S found nothing to record."""
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        row = row_of(round_, "2")
        round_.set_focus(row.status)
        await pilot.pause()
        head = git(repo, "rev-parse", "HEAD").strip()
        # The note and Ctrl+S in one burst: the save must read the note the list passed on.
        await burst(app, keys_of("配合招商", ["ctrl+s"]))
        await finished(app, pilot)
        assert row.status.value is Select.BLANK or not isinstance(row.status.value, str)
    [commit] = new_reports(repo, head)
    assert (commit["Reported-by"], commit["Percent"]) == ("发改委", "23")
    assert "配合招商" in git(repo, "show", "-s", "--format=%B", "HEAD")


async def test_a_tab_typed_behind_text_on_a_status_list_moves_on_from_the_note(template: Path, tmp_path: Path) -> None:
    """Found in tmux at 160x45 on a loaded machine: text typed on a row's status list, then Tab
    and the next row's percent, in one burst. The app took the Tab before the list had passed
    the text on, so the Tab went to this row's note and the percent landed inside the note's
    text (完成方10案编制)."""
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        rows = round_.shown()
        first, second = rows[0], rows[1]
        round_.set_focus(first.status)
        await pilot.pause()
        await burst(app, keys_of("完成方案编制", ["tab"], "10"))
        await all_handled(app)
        assert first.text("note").value == "完成方案编制"
        assert first.text("percent").value == "" and second.text("percent").value == "10"


# -- keys a field takes by a binding (Backspace, the arrows, Ctrl+U), typed ahead --


async def test_editing_keys_typed_ahead_stay_in_their_field_and_their_turn(template: Path, tmp_path: Path) -> None:
    """Found by a repeat of the tmux tryout: Backspace, the arrows and Ctrl+U are Input's
    bindings, which the app ran once the key came back up to it, on whatever had the focus by
    then and after the characters typed behind it: `20⌫5 Tab` gave 205 and took the 0 off the
    next row's 30, two Lefts before an X put it at the end of the note."""
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        first, second = round_.shown()[0], round_.shown()[1]
        to_note = ["tab"] * (len(first.chain()) - 1)
        await burst(
            app,
            keys_of(
                "20",
                ["backspace"],
                "5",
                to_note,
                "配合调研",
                ["left", "left"],
                "X",
                ["tab"],
                "30",
                ["shift+tab", "ctrl+u"],
                "完成",
            ),
        )
        await all_handled(app)
        assert first.text("percent").value == "25"
        assert first.text("note").value == "完成"
        assert second.text("percent").value == "30"


async def test_a_round_typed_from_its_date_on_records_each_row_once(template: Path, tmp_path: Path) -> None:
    """Found in tmux at 80x24 on a loaded machine: the date cleared with Ctrl+U, a month of rows
    typed, Ctrl+S twice, all in one burst. The Ctrl+U came back to the app last and cleared the
    last row's note: the save had read it, but the row kept its percent after the ✓, and the
    next Ctrl+S (after a warning of the empty note) recorded the same report again."""
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        round_ = await open_round(app, pilot)
        rows = round_.shown()[:3]
        head = git(repo, "rev-parse", "HEAD").strip()
        keys = keys_of(["shift+tab", "ctrl+u"], "2019-06-20", ["tab"])
        for index, row in enumerate(rows):
            keys += keys_of(str(41 + index), ["tab"] * (len(row.chain()) - 1), f"第{index}行", ["tab"])
        await burst(app, keys[:-1] + ["ctrl+s", "ctrl+s"])
        await finished(app, pilot)
        assert all(text_of(row.query_one(f"#result-{row.slot}")).startswith("✓") for row in rows)
        assert all(row.text(name).value == "" for row in rows for name in ("percent", "value", "note"))
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        assert text_of(round_.query_one("#round-status")).startswith("Nothing new to record")
    commits = new_reports(repo, head)
    assert [(c["Reported-by"], c["Percent"], c["Report-date"]) for c in commits] == [
        ("发改委", str(41 + index), "2019-06-20") for index in range(3)
    ]


async def test_p_typed_behind_downs_opens_the_form_on_the_row_they_went_to(template: Path, tmp_path: Path) -> None:
    """Down is the table's binding and `p` a priority one: typed at once, `p` opened the form
    on the row the cursor was on before the Downs, a report on another task than the clerk's."""
    repo = copy_repo(template, tmp_path / "repo", "发改委")
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.screen
        wanted = main.shown[3].ref
        await burst(app, ["down", "down", "down", "p", *"45"])
        await all_handled(app)
        form = app.screen
        assert type(form).__name__ == "ProgressForm"
        assert form.task_.ref == wanted and form.query_one("#percent", Input).value == "45"
