"""AsOfDialog: choose the date the plan is shown as of (empty for today)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from duban.i18n import _
from duban.tui.widgets.text_input import TextInput


class AsOfDialog(ModalScreen[str | None]):
    CSS_PATH = "as_of.tcss"
    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="as-of-box"):
            yield Static(_("Show the plan as of (YYYY-MM-DD; empty for today):"))
            yield TextInput(self.current or "", id="as-of")
            yield Static("", id="as-of-error", markup=False)
        yield Footer()

    @on(Input.Submitted, "#as-of")
    def submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value:
            # Deferred: loads duban.errors and 1 more (3 duban modules in all) only when this runs
            from duban.errors import DubanError
            from duban.tui.dates import typed_day

            try:  # the one date parser every command uses, in the TUI's words
                value = typed_day(value).isoformat()
            except DubanError as error:
                self.query_one("#as-of-error", Static).update(str(error))
                return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
