"""The TUI on a console that draws ambiguous-width characters two cells wide (the classic Windows
console on code page 936; issue 32): with --ascii, DUBAN_ASCII=1 or legacy_console(), every
character on the screen is one cell everywhere, ASCII or a wide CJK character, but for what the
plan itself says (its “quotes” are data, shown as written)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from textual.scrollbar import ScrollBar, ScrollBarRender

from duban.text.glyphs import use_ascii
from duban.tui import make_app
from tests.support import PROJECT
from tests.tui.round_support import AS_OF, PLAN, copy_repo
from tests.tui.support import settle
from tests.tui.waiting import reached_screen, table_settled, until

# Every character the plan's own files hold: data, shown as it is written.
PLAN_TEXT = set("".join(path.read_text(encoding="utf-8") for path in (PROJECT / "plans" / PLAN).rglob("*.yaml")))


@pytest.fixture
def ascii_output():
    use_ascii(True)  # what `duban --ascii` and a legacy console set before the app is made
    yield
    use_ascii(False)


def screen_text(app) -> str:
    """The screen as the compositor puts it together for the terminal."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def cjk(char: str) -> bool:
    """A wide character of Chinese text (a character, CJK punctuation, a full-width form), which
    a CJK console draws two cells wide as everyone measures it; not a wide picture (🔎)."""
    return unicodedata.east_asian_width(char) in ("W", "F") and unicodedata.category(char) != "So"


def not_one_cell(app) -> dict[str, str]:
    """Each character on the screen that a legacy CJK console may not draw as it is measured:
    neither ASCII nor Chinese text, and not the plan's own text, with the line it is on."""
    found: dict[str, str] = {}
    for line in screen_text(app).splitlines():
        for char in line:
            if not char.isascii() and not cjk(char) and char not in PLAN_TEXT:
                found.setdefault(char, line.strip())
    return found


async def test_every_screen_draws_one_cell_characters_only(template: Path, tmp_path: Path, ascii_output) -> None:
    repo = copy_repo(template, tmp_path / "repo", "金融办")
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = app.screen
        await pilot.press("t", "s", "s")  # the area tree, and a column sorted (its ▲ on the header)
        await table_settled(app, pilot, main.query_one("#tasks"))
        await until(app, pilot, lambda: main.query_one("#areas").display, "the area tree")
        seen, drawn = {"main screen": not_one_cell(app)}, screen_text(app)
        await pilot.press("t", "enter")  # the detail pane is hidden at 80 columns: Enter opens the card
        await until(app, pilot, lambda: type(app.screen).__name__ == "CardDialog", "the task's card")
        await settle(app, pilot)
        seen["task card"] = not_one_cell(app)
        await pilot.press("escape", "m")
        await until(app, pilot, lambda: type(app.screen).__name__ == "RoundScreen", "the round")
        await settle(app, pilot)
        seen["round"] = not_one_cell(app)
        await pilot.press("escape")
        await until(app, pilot, lambda: app.screen is main, "the main screen")
        await reached_screen(main.query_one("#tasks"))
        await pilot.press("question_mark")
        await until(app, pilot, lambda: type(app.screen).__name__ == "HelpScreen", "the help")
        await settle(app, pilot)
        seen["help"] = not_one_cell(app)
        await pilot.press("escape")
        await until(app, pilot, lambda: app.screen is main, "the main screen")
        await pilot.press("o")  # the footer's ⏎
        await until(app, pilot, lambda: type(app.screen).__name__ == "OverviewScreen", "the overview")
        await settle(app, pilot)
        seen["overview"] = not_one_cell(app)
        await pilot.press("escape", "ctrl+p")
        await until(app, pilot, lambda: type(app.screen).__name__ == "CommandPalette", "the command palette")
        await settle(app, pilot)
        seen["command palette"] = not_one_cell(app)
    assert seen == {"main screen": {}, "task card": {}, "round": {}, "help": {}, "overview": {}, "command palette": {}}
    assert "+---" in drawn and "|" in drawn  # the filter's box and the panes' rule, in ASCII


async def test_unicode_is_drawn_again_once_ascii_is_off(template: Path, tmp_path: Path) -> None:
    """The choice is the app's, not left over from the app made before it in the same process."""
    repo = copy_repo(template, tmp_path / "repo")
    use_ascii(True)
    try:
        make_app(repo, PLAN, "zh", AS_OF)
        assert ScrollBar.renderer is not ScrollBarRender
    finally:
        use_ascii(False)
    app = make_app(repo, PLAN, "zh", AS_OF)
    assert ScrollBar.renderer is ScrollBarRender
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "▊" in screen_text(app) or "▔" in screen_text(app)  # Textual's tall border round the filter
        assert not_one_cell(app)
