"""RoundRow: the widgets of one row of the monthly round (percent, value, status, note and
what became of it), and StatusList, the row's status, which passes text typed on it to the note."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from duban.i18n import _
from duban.model import STATUSES, Plan
from duban.record.report_checks import has_numeric_target, numeric_target, own_last_report, target_words
from duban.text.glyphs import ascii_chosen, plain
from duban.tui.round_rows import RowState
from duban.tui.widgets.list_field import ListField
from duban.tui.widgets.text_input import TextInput


class StatusList(ListField):
    """A row's status. Text typed while it has the focus (Tab stops at it on the way from the
    percent to the note) goes into the row's note: a list takes no text, and the characters
    were lost without a word. Handled here, in the list's own turn, so that a save waiting
    for the fields to handle their keys reads the note with them."""

    def on_key(self, event: events.Key) -> None:
        if self.expanded or not (event.is_printable and event.character) or event.character == " ":
            return  # space opens the list
        row = next((node for node in self.ancestors if isinstance(node, RoundRow)), None)
        if row is None:
            return
        event.stop()
        event.prevent_default()
        note = row.text("note")
        note.select_on_focus = False  # the focus must not select the text for the next key to replace
        self.screen.set_focus(note)  # now, not later: a Tab waiting on this key moves on from the note
        note.insert_text_at_cursor(event.character)


class RoundRow(Vertical):
    """The widgets of one row on the page; bound to a RowState, and to another on the next page."""

    def __init__(self, slot: int) -> None:
        super().__init__(id=f"row-{slot}", classes="round-row")
        self.slot = slot
        self.state: RowState | None = None

    def compose(self) -> ComposeResult:
        slot = self.slot
        yield Label("", id=f"title-{slot}", classes="round-title")
        with Horizontal(classes="round-line"):
            yield TextInput("", placeholder="%", id=f"percent-{slot}", compact=True, classes="round-percent")
            yield TextInput("", id=f"value-{slot}", compact=True, classes="round-value")
            yield StatusList(
                [(_(s), s) for s in STATUSES],
                prompt="",
                allow_blank=True,
                id=f"status-{slot}",
                compact=True,
                classes="round-status",
            )
            yield TextInput("", placeholder=_("note"), id=f"note-{slot}", compact=True, classes="round-note")
        yield Static("", id=f"result-{slot}", classes="round-result", markup=False)

    def field(self, name: str) -> Widget:
        return self.query_one(f"#{name}-{self.slot}")

    def text(self, name: str) -> Input:
        return self.query_one(f"#{name}-{self.slot}", Input)

    @property
    def status(self) -> Select[str]:
        return self.query_one(f"#status-{self.slot}", Select)

    def chain(self, enter: bool = False) -> list[Widget]:
        """The row's fields in order (Enter passes over the status, Tab stops at it)."""
        fields: list[Widget] = [self.text("percent")]
        if not self.text("value").disabled:
            fields.append(self.text("value"))
        if not enter:
            fields.append(self.status)
        fields.append(self.text("note"))
        return fields

    def bind(self, state: RowState, unit: str, plan: Plan) -> None:
        """Show `state`: the task, this unit's own last figure as the percent's placeholder,
        the target next to the value, and what was typed or recorded."""
        self.state = state
        task = state.task
        role = _("leads") if state.role == "lead" else _("supports")
        self.query_one(f"#title-{self.slot}", Label).update(
            Text(f"{task.id}  {role}  {task.title}", no_wrap=True, overflow="crop" if ascii_chosen() else "ellipsis")
        )
        own = own_last_report(task, unit, state.lead, plan.units.own_name)
        percent = self.text("percent")
        percent.value = state.percent
        percent.placeholder = f"{own.percent:g}" if own else "%"
        value = self.text("value")
        target = numeric_target(task) if has_numeric_target(task) else None
        value.disabled = target is None
        value.value = state.value if target is not None else ""
        value.placeholder = _("target {target}").format(target=target_words(target)) if target is not None else ""
        select = self.status
        select.prompt = (
            _(own.status) if own and own.status else (_(task.status) if state.role == "lead" else plain("—"))
        )
        if state.status is None:
            select.clear()
        else:
            select.value = state.status
        self.text("note").value = state.note
        self.show_result(state.result)

    def read(self) -> None:
        """What the fields hold, into the row's state."""
        if self.state is None:
            return
        self.state.percent = self.text("percent").value
        self.state.value = self.text("value").value
        status = self.status.value
        self.state.status = status if isinstance(status, str) else None
        self.state.note = self.text("note").value

    def show_result(self, text: Text | None) -> None:
        result = self.query_one(f"#result-{self.slot}", Static)
        result.update(text or "")
        result.display = bool(text)
