"""HelpScreen: every key binding of the screen underneath and of the app."""
from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from duban.i18n import _


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape", "close", _("Close")), Binding("question_mark", "close", _("Close"))]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table(title=_("Key bindings"), show_edge=False, expand=True)
        table.add_column(_("key"), no_wrap=True)
        table.add_column(_("action"))
        for binding in [*getattr(self.under, "BINDINGS", []), *self.app.BINDINGS]:
            if isinstance(binding, Binding):
                table.add_row(binding.key_display or binding.key, binding.description or binding.action)
        table.add_row("ctrl+p", _("Command palette: every action by name"))
        table.add_row("↑ ↓ enter", _("Move and choose in lists and tables; click a column to sort"))
        help_text = _("Filter syntax: lead:发改委 support:… unit:… area:… type:A status:delayed light:red "
                      "plan:… due<2019-06-30 percent<50 has:milestones parent:4; OR, -term, (groups), "
                      "\"quoted text\"; letters alone match pinyin initials (fgw = 发改委).")
        with VerticalScroll(id="help-box"):
            yield Static(table)
            yield Static(help_text, id="help-query")

    def action_close(self) -> None:
        self.dismiss(None)
