"""HelpScreen: every key binding of the screen underneath and of the app, with readable key
names, the keys of the forms and dialogs, and every filter field."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from duban.i18n import _
from duban.supervise.query_tokens import FIELDS
from duban.text.glyphs import ascii_chosen, plain

KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "pageup": "PgUp",
    "pagedown": "PgDn",
}


def key_name(key: str) -> str:
    """`ctrl+s` → Ctrl+S, `question_mark` → ?, `S` → Shift+S; several keys joined with /."""
    names = []
    for one in key.split(","):
        parts = one.strip().split("+")
        *mods, last = parts
        shown = KEY_NAMES.get(last, last.upper() if mods else last)
        if len(last) == 1 and last.isupper() and not mods:
            shown = f"Shift+{last}"
        names.append(plain("+".join([m.capitalize() for m in mods] + [shown])))
    return " / ".join(names)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "close", _("Close"), key_display="esc")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under
        self.rows: list[tuple[str, str]] = []  # (keys, what they do), as shown

    def compose(self) -> ComposeResult:
        # In ASCII (tui/legacy_console.py) with ASCII lines, as Rich draws for a console without box characters.
        table = Table(
            title=_("Key bindings"), show_edge=False, expand=True, box=box.ASCII2 if ascii_chosen() else box.HEAVY_HEAD
        )
        table.add_column(_("key"), no_wrap=True)
        table.add_column(_("action"))
        seen: set[str] = set()
        for binding in [*getattr(self.under, "BINDINGS", []), *self.app.BINDINGS]:
            # (a binding without a description is a key's inner working, such as Enter in the
            # filter box, which the lines below explain)
            if isinstance(binding, Binding) and binding.key not in seen and binding.description:
                seen.add(binding.key)
                self.rows.append((key_name(binding.key), binding.description or binding.action))
        shown = {keys for keys, _what in self.rows}
        for keys, what in (
            ("Ctrl+P", _("Command palette: every action by name")),
            (plain("↑ ↓ PgUp PgDn"), _("Move in lists and tables")),
            ("Home / End", _("First and last row of the table (all rows are loaded)")),
            ("Ctrl+Home / Ctrl+End", _("First and last row of the table (all rows are loaded)")),
            ("s / Shift+S", _("Sort by the next column / reverse the sort (▲/▼ on the header; a click works too)")),
            ("Enter", _("In the filter: go to the table. On a row, when the detail pane is hidden: the task's card")),
            ("Esc", _("Leave the filter; a second Esc clears it. In a dialog: close it")),
            ("Ctrl+S", _("In a form or the monthly round: save and commit")),
            ("Enter / Tab", _("In a form: the next field; Enter on the last field saves")),
            ("Right / End", _("In the reporting unit: accept the completion")),
            ("Ctrl+O", _("In the monthly round: another unit")),
            ("PgDn / PgUp (round)", _("In the monthly round: the next or previous page of rows")),
            ("Enter (plan log)", _("Open the commit's task")),
            ("Enter (problems)", _("Go to the task, or open a file that cannot be read in $EDITOR")),
            ("Enter (overview)", _("The tasks behind the number under the cursor")),
        ):
            if keys not in shown:  # Ctrl+P was listed twice: the app's binding and this line
                self.rows.append((keys, what))
        for keys, what in self.rows:
            # Folded, not cut: Chinese has no spaces to wrap at, and the end was lost at 80 columns.
            table.add_row(Text(keys), Text(what, overflow="fold"))
        fields = " ".join(f"{name}:" for name in FIELDS)
        help_text = _(
            "Filter fields: {fields}. Examples: lead:发改委 light:red type:A due<2019-06-30 percent<50 "
            'has:milestones late:yes; OR, -term, (groups), "quoted text"; letters alone match pinyin '
            "initials (fgw = 发改委)."
        ).format(fields=fields)
        with VerticalScroll(id="help-box"):
            yield Static(table)
            yield Static(Text(help_text), id="help-query")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
