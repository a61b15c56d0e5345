"""Chinese characters stay whole on the screen where a toast or a docked key lies over other
widgets' edges (the TUI audit's T10; Textual issue 6357, worked around in tui/whole_cells.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual._compositor import Compositor
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.widgets import Static
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast

from duban.i18n import set_language
from duban.tui import make_app
from duban.tui.whole_cells import keep_wide_characters_whole
from tests.tui.round_support import AS_OF, PLAN, copy_repo
from tests.tui.support import screen_lines, settle, shown_where

# What `e` said when an edit set `status: finished` (the audit's picture 23).
REFUSAL = (
    "tasks/11.yaml:7:9: 'finished' 不在可选值中:未启动、进行中、已完成、已延期、受阻、已取消(按 e 继续编辑,改正后保存)"
)


def own_lines(widget) -> list[str]:
    """The text `widget` draws itself."""
    return [strip.text for strip in widget.render_lines(Region(0, 0, *widget.region.size))]


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_a_toast_over_a_pane_edge_keeps_every_character(template: Path, tmp_path: Path, size) -> None:
    """T10: at 120x36 and 160x45 the toast read `不在    值中` where it crossed the detail pane's
    border: `可选` had become four spaces."""
    repo = copy_repo(template, tmp_path / "repo")
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(app, pilot)
        app.notify(REFUSAL, severity="error", markup=False, timeout=60)
        while not app.screen.query(Toast):  # the rack shows it on a later turn of the loop
            await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        toasts = list(app.screen.query(Toast))  # the as-of date's note, then the refusal
        for toast in toasts:
            assert shown_where(app, toast) == own_lines(toast)
        assert any("不在可选值中" in "".join(own_lines(toast)).replace(" ", "") for toast in toasts)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_the_footer_keeps_its_chinese_labels_whole(template: Path, tmp_path: Path, size) -> None:
    """T10: at 80x24 the footer ended `g 报送▏^p   令`: the palette key, docked over the key
    labels that do not fit, lost `命` where the label beneath it ends."""
    repo = copy_repo(template, tmp_path / "repo")
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        palette = next(key for key in app.screen.query(FooterKey) if key.key == "ctrl+p")
        assert shown_where(app, palette) == own_lines(palette)
        assert "命令" in screen_lines(app)[-1].text


class Overlay(App[None]):
    """Two panes side by side, and a docked label across the edge between them."""

    CSS = """
    #left, #right { width: 1fr; height: 1fr; border-right: solid red; }
    #over { dock: bottom; offset: 3 0; width: 30; height: 1; layer: above; }
    Screen { layers: below above; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("左边" * 20, id="left")
            yield Static("右边" * 20, id="right")
        yield Static("一二三四五六七八九十" * 3, id="over")


class Terminal:
    """Enough of a terminal to replay what Textual writes: the cursor moves it sends and the
    cells it fills, a character two cells wide erased when either half is written over."""

    def __init__(self, lines: list[str]) -> None:
        self.cells = [self._cells_of(line) for line in lines]

    @staticmethod
    def _cells_of(line: str) -> list[str]:
        cells: list[str] = []
        for character in line:
            cells.extend([character, ""] if cell_len(character) == 2 else [character])
        return cells

    def put(self, x: int, y: int, character: str) -> None:
        row, wide = self.cells[y], cell_len(character) == 2
        for at in (x, x + 1) if wide else (x,):
            if at < len(row):
                if row[at] == "" and at > 0:
                    row[at - 1] = " "
                if at + 1 < len(row) and row[at + 1] == "" and row[at] != "":
                    row[at + 1] = " "
        row[x] = character
        if wide and x + 1 < len(row):
            row[x + 1] = ""

    def write(self, data: str) -> None:
        x = y = 0
        for move, text in re.findall(r"\x1b\[(\d+;\d+)H|\x1b\[[0-9;]*m|([^\x1b\n])", data):
            if move:
                y, x = (int(n) - 1 for n in move.split(";"))
            elif text:
                self.put(x, y, text)
                x += cell_len(text)

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.cells]


@pytest.mark.parametrize("width", [40, 41, 42, 43])
async def test_a_label_over_another_widgets_edge_stays_whole_when_the_widget_beneath_changes(width: int) -> None:
    """The rule, whatever duban's screens hold: what the terminal shows after a partial update
    (only the changed widget's region redrawn) is what a full redraw shows."""
    keep_wide_characters_whole()  # as DubanApp does
    app = Overlay()
    async with app.run_test(size=(width, 6)) as pilot:
        await pilot.pause()
        over, left = app.query_one("#over"), app.query_one("#left")
        assert shown_where(app, over) == own_lines(over)
        compositor: Compositor = app.screen._compositor
        terminal = Terminal([strip.text for strip in screen_lines(app)])
        left.update("改了" * 20)
        compositor.update_widgets({left})
        update = compositor.render_partial_update()
        assert update is not None
        terminal.write(update.render_segments(app.console))
        assert terminal.lines() == [strip.text for strip in screen_lines(app)]
        assert "一二三四五六七八九十" in terminal.lines()[-1]


def test_the_work_around_is_in_place_for_the_textual_it_was_written_for() -> None:
    """When Textual changes the methods replaced, this fails: see whether issue 6357 is fixed
    (then drop tui/whole_cells.py) or renew the work-around for the new code."""
    assert keep_wide_characters_whole()
    assert Compositor._render_chops.__module__ == "duban.tui.whole_cells"


def test_the_work_around_survives_a_change_of_language(tmp_path: Path) -> None:
    """make_app reloads the TUI's modules when the language changes (their key descriptions are
    translated at import): the work-around, installed before, is still known to be in place."""
    from duban.tui import make_app

    keep_wide_characters_whole()
    make_app(tmp_path, None, "zh")
    make_app(tmp_path, None, "en")
    from duban.tui.whole_cells import keep_wide_characters_whole as after_reload

    assert after_reload()
    assert Compositor._render_chops.__module__ == "duban.tui.whole_cells"


@pytest.fixture(autouse=True)
def _english_after() -> None:
    yield
    set_language("en")
