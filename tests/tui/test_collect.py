"""The collect screen (tui/screens/collect.py) in Pilot: the office's clerk gives a folder of
returned forms, sees every report it will record and each refused form's problems by file and
cell in Chinese, records with Ctrl+S, and the repository ends exactly as `duban collect`'s core
path leaves it. Real forms (openpyxl), a real git repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from duban.tui import make_app
from tests.core.forms.support import PLAN, _env, _history, collect, fill, make_may_repo, rows_of, write_june
from tests.support import git
from tests.tui.support import settle, text_of

SIZE = (160, 45)


@pytest.fixture
def returned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The office's repository in June, and a folder with 金融办's form filled in and 财政局's
    with a percent of 120."""
    root = make_may_repo(tmp_path / "office")
    _env(monkeypatch, "2019-06-01")
    forms = write_june(root, tmp_path / "out", ("金融办", "财政局"))
    (r1, _i1), (r2, _i2) = rows_of(forms["金融办"])[:2]
    folder = tmp_path / "回收"
    fill(
        forms["金融办"],
        folder / "金融办.xlsx",
        {"B3": "6月24日", f"G{r1}": "５０", f"J{r1}": "方案已印发", f"G{r2}": "60%", f"K{r2}": "资金未到位"},
    )
    bad_row = rows_of(forms["财政局"])[0][0]
    fill(forms["财政局"], folder / "财政局.xlsx", {"B3": "2019-06-24", f"G{bad_row}": "120"})
    _env(monkeypatch, "2019-06-25")  # the day of collection
    return root, folder


async def open_collect(app, pilot, folder: Path):
    await settle(app, pilot)
    await pilot.press("c")
    await settle(app, pilot)
    screen = app.screen
    assert type(screen).__name__ == "CollectScreen"
    screen.query_one("#collect-path", Input).value = str(folder)
    await pilot.press("enter")
    await settle(app, pilot)
    return screen


async def test_the_clerk_previews_and_records_a_folder_of_forms(returned: tuple[Path, Path], tmp_path: Path) -> None:
    root, folder = returned
    by_cli = tmp_path / "by-cli"
    shutil.copytree(root, by_cli, symlinks=True)
    head = git(root, "rev-parse", "HEAD").strip()
    app = make_app(root, PLAN, "zh", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_collect(app, pilot, folder)
        table = screen.query_one("#collect-preview", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [(r[0], r[1], r[3], r[6], r[7]) for r in rows] == [
            ("金融办.xlsx", "金融办", "50%", "2019-06-24", "新增"),
            ("金融办.xlsx", "金融办", "60%", "2019-06-24", "新增"),
        ]
        problems = text_of(screen.query_one("#collect-problems", Static))
        assert "✗ 财政局.xlsx：退回，其中内容均未收录" in problems
        assert "财政局.xlsx!G5: 完成进度 120 超出 0–100；请填0—100之间的数字，如50或50%" in problems
        assert "✓ 金融办.xlsx：待收录 2 条报送" in problems
        status = text_of(screen.query_one("#collect-status", Static))
        assert "1" in status and "2" in status and "Ctrl+S" in status
        assert git(root, "rev-parse", "HEAD").strip() == head  # the preview records nothing

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "已收录 2 条报送" in text_of(screen.query_one("#collect-status", Static))
        await pilot.press("ctrl+s")  # again: nothing is recorded twice
        await settle(app, pilot)
        assert git(root, "rev-list", "--count", f"{head}..HEAD").strip() == "2"
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MainScreen"

    # the same forms through duban collect's path give the same repository
    checked, outcomes = collect(by_cli, [folder])
    assert len([o for o in outcomes if o.recorded]) == 2
    for path in sorted((by_cli / "plans" / PLAN / "tasks").iterdir()):
        assert (root / "plans" / PLAN / "tasks" / path.name).read_bytes() == path.read_bytes(), path.name
    assert _history(root) == _history(by_cli)
    log = git(root, "log", "-n", "2", "--format=%(trailers:key=Form,valueonly)%(trailers:key=Reported-by,valueonly)")
    assert [line for line in log.splitlines() if line] == ["金融办.xlsx", "金融办", "金融办.xlsx", "金融办"]


async def test_a_folder_that_is_not_there_is_said_in_one_line(returned: tuple[Path, Path], tmp_path: Path) -> None:
    root, _folder = returned
    head = git(root, "rev-parse", "HEAD").strip()
    app = make_app(root, PLAN, "zh", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_collect(app, pilot, tmp_path / "不存在")
        assert text_of(screen.query_one("#collect-status", Static)) == f"{tmp_path / '不存在'} 不存在"
        empty = tmp_path / "空"
        empty.mkdir()
        screen.query_one("#collect-path", Input).value = str(empty)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "中没有报送表" in text_of(screen.query_one("#collect-status", Static))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "没有可收录的报送" in text_of(screen.query_one("#collect-status", Static))
    assert git(root, "rev-parse", "HEAD").strip() == head


async def test_a_clerk_picks_the_folder_of_forms_from_a_tree(returned: tuple[Path, Path], tmp_path: Path) -> None:
    """Issue 28: a clerk who does not type paths opens the picker (Ctrl+O), which lists the
    folders and the workbooks only, moves to the folder of returned forms and takes it (Ctrl+S);
    its forms are read as a typed folder's are."""
    from textual.widgets import DirectoryTree

    from tests.tui.waiting import until

    root, folder = returned
    (folder / "说明.docx").write_bytes(b"not a form")
    (folder / "~$金融办.xlsx").write_bytes(b"lock file of an open workbook")
    app = make_app(root, PLAN, "zh", "2019-06-30")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        collect_screen = app.screen
        collect_screen.query_one("#collect-path", Input).value = str(folder.parent)
        await pilot.press("ctrl+o")
        await until(app, pilot, lambda: type(app.screen).__name__ == "FolderPicker", "the folder picker")
        tree = app.screen.query_one(DirectoryTree)
        await until(
            app, pilot, lambda: any(n.data.path == folder for n in tree.root.children if n.data), "the folders listed"
        )
        tree.move_cursor(next(n for n in tree.root.children if n.data and n.data.path == folder))
        await pilot.press("enter")  # a folder opens: its forms are listed, the others not
        await until(app, pilot, lambda: bool(tree.cursor_node and tree.cursor_node.children), "the folder opened")
        listed = sorted(n.data.path.name for n in tree.cursor_node.children)
        assert listed == sorted(["金融办.xlsx", "财政局.xlsx"])
        await pilot.press("ctrl+s")
        await until(app, pilot, lambda: app.screen is collect_screen, "the picker closed")
        await settle(app, pilot)
        assert collect_screen.query_one("#collect-path", Input).value == str(folder)
        rows = collect_screen.query_one("#collect-preview", DataTable).row_count
        assert rows == 2 and "✗ 财政局.xlsx" in text_of(collect_screen.query_one("#collect-problems", Static))
