"""UnitPicker: the plan's units with the tasks they lead and support and their lights, worst
first, collectives (各街镇, 相关部门: names for several units) last and dimmed; choosing one
filters the task table to that unit (what a unit's staff open every month).
Type to narrow (pinyin initials work); Enter opens the highlighted unit."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from duban.i18n import _
from duban.states import LightColour
from duban.supervise.selection import Selection
from duban.text.glyphs import glyph
from duban.text.pinyin import starts_with, text_matches
from duban.text.textwidth import cell_width, truncate
from duban.tui.access import duban_app
from duban.tui.widgets.task_table import LIGHT_STYLE
from duban.tui.widgets.text_input import TextInput
from duban.units import is_collective


def padded(text: str, width: int) -> str:
    text = truncate(text, width)
    return text + " " * (width - cell_width(text))


class UnitFilter(TextInput):
    BINDINGS = [Binding("down", "screen.to_list", _("To the list"), show=False)]


class UnitPicker(ModalScreen[str | None]):
    CSS_PATH = "units.tcss"
    BINDINGS = [Binding("escape", "cancel", _("Close"))]

    def __init__(self, plan_id: str, selection: Selection | None, title: str | None = None) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.selection = selection
        self.title_ = title or _("Units: choose one to see its tasks (type to narrow; pinyin initials work)")
        self.rows: list[tuple[str, tuple[str, ...], Text]] = []

    def compose(self) -> ComposeResult:
        plan = duban_app(self).repo.plan(self.plan_id)
        counted = []
        for unit in plan.units:
            leads = supports = 0
            colours = {LightColour.RED: 0, LightColour.YELLOW: 0, LightColour.GREEN: 0}
            if self.selection is not None:
                for task in self.selection.tasks:
                    led = any(plan.units.resolve(n) is unit for n in self.selection.lead(task))
                    supported = any(plan.units.resolve(n) is unit for n in task.support)
                    if led or supported:
                        colour = self.selection.light_of(task).colour
                        if colour in colours:
                            colours[colour] += 1
                    leads += led
                    supports += supported
            counted.append((unit, leads, supports, colours))
        counted.sort(
            key=lambda row: (
                is_collective(plan, row[0].name),
                -row[3][LightColour.RED],
                -row[3][LightColour.YELLOW],
                row[0].name,
            )
        )
        name_width = max([cell_width(u.name) for u, *_rest in counted] + [8])
        name_width = min(name_width, 20)
        for unit, leads, supports, colours in counted:
            label = Text(
                f"{padded(unit.name, name_width)} {_('leads')}{leads:>4} {_('supports')}{supports:>4} ",
                style="dim" if is_collective(plan, unit.name) else "",
            )
            for colour in (LightColour.RED, LightColour.YELLOW, LightColour.GREEN):
                label.append(f" {glyph('dot')}{_(colour)}{colours[colour]:>4}", style=LIGHT_STYLE[colour])
            self.rows.append((unit.name, unit.aliases, label))
        with Vertical(id="units-box"):
            yield Static(Text(self.title_))
            yield UnitFilter(id="unit-filter")
            yield OptionList(*(Option(label, id=name) for name, _aliases, label in self.rows), id="unit-list")
        yield Footer()

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one("#unit-list", OptionList)
        options.clear_options()
        typed = event.value
        found = [
            (name, aliases, label)
            for name, aliases, label in self.rows
            if not typed or any(text_matches(typed, n) for n in (name, *aliases))
        ]
        # A name that begins with what was typed comes first: Enter takes the first.
        found.sort(key=lambda row: not (typed and any(starts_with(typed, n) for n in (row[0], *row[1]))))
        options.add_options([Option(label, id=name) for name, _aliases, label in found])
        options.highlighted = 0 if options.option_count else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#unit-list", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            self.dismiss(option.id)

    def action_to_list(self) -> None:
        self.query_one("#unit-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
