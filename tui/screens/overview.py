"""OverviewScreen: the lights per unit, area and type, worst first, with late counts and the
on-time rate (the figures of `duban report`); Enter on a number opens the tasks behind it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from duban.i18n import N_, _
from duban.supervise import reports
from duban.supervise.selection import Selection
from duban.text.textwidth import truncate
from duban.tui.widgets.task_table import LIGHT_STYLE

GROUPINGS = (("unit", N_("Units")), ("area", N_("Areas")), ("type", N_("Types")))
NUMBERS = ("tasks", "done", "red", "yellow", "green", "grey", "late", "on_time_rate")


def quoted(value: str) -> str:
    return '"' + value.replace('"', "") + '"'


def query_for(by: str, tally: reports.Tally, column: str) -> str:
    """The filter that lists the tasks behind one number of the overview."""
    if by == "unit" and column == "late":
        # The unit's own late reports (rule 6), not every late task it leads with others.
        return f"late:{quoted(tally.group)}" if tally.role == "lead" else f"support:{quoted(tally.group)}"
    if by == "unit":
        term = f"{'lead' if tally.role == 'lead' else 'support'}:{quoted(tally.group)}"
    elif by == "area":
        term = f"area:{quoted(tally.group)}"
    else:
        term = f"type:{tally.group}" if tally.group != "(none)" else "-has:type"
    extra = {
        "red": " light:red",
        "yellow": " light:yellow",
        "green": " light:green",
        "grey": " light:grey",
        "late": " late:yes",
        "done": " status:done",
    }.get(column, "")
    return term + extra


class OverviewScreen(ModalScreen[str | None]):
    CSS_PATH = "overview.tcss"
    # Priority: the table's own Enter and Tab would take them first and hide them from the
    # footer, which showed only `esc 关闭`; the groupings were reached by Shift+Tab, then → (T14).
    BINDINGS = [
        Binding("enter", "open", _("Open the tasks"), priority=True),
        Binding("tab", "grouping(1)", _("Next grouping"), priority=True),
        Binding("shift+tab", "grouping(-1)", _("Previous grouping"), show=False, priority=True),
        Binding("escape,q", "close", _("Close"), key_display="esc"),
    ]

    def __init__(self, selection: Selection) -> None:
        super().__init__()
        self.selection = selection
        self.tallies: dict[str, list[reports.Tally]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="overview-box"):
            yield Static(
                Text(
                    _("Overview as of {date}: worst first; Enter on a number opens its tasks").format(
                        date=self.selection.as_of.isoformat()
                    )
                ),
                id="overview-title",
            )
            with TabbedContent(id="groupings"):
                for by, label in GROUPINGS:
                    with TabPane(_(label), id=f"pane-{by}"):
                        yield DataTable(id=f"by-{by}", cursor_type="cell", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        words = {
            "tasks": _("tasks"),
            "done": _("done"),
            "red": _("red"),
            "yellow": _("yellow"),
            "green": _("green"),
            "grey": _("grey"),
            "late": _("late"),
            "on_time_rate": _("on time %"),
        }
        for by, _label in GROUPINGS:
            table = self.query_one(f"#by-{by}", DataTable)
            table.add_column(_(reports.GROUP_WORDS[by]), key="group")
            if by == "unit":
                table.add_column(_("role"), key="role")
            for column in NUMBERS:
                table.add_column(words[column], key=column)
            tallies = reports.report(self.selection, list(self.selection.tasks), by)
            self.tallies[by] = tallies
            for index, tally in enumerate(tallies):
                cells: list[Text] = [Text(truncate(tally.group, 24))]
                if by == "unit":
                    cells.append(Text(_("leads") if tally.role == "lead" else _("supports")))
                for column in NUMBERS:
                    value = getattr(tally, column)
                    shown = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
                    style = LIGHT_STYLE.get(column, "bold" if column == "late" and value else "")
                    cells.append(Text(shown, style=style if value else "", justify="right"))
                table.add_row(*cells, key=str(index))
        self.query_one("#by-unit", DataTable).focus()

    def action_grouping(self, step: int) -> None:
        """Tab, Shift+Tab: the next or previous grouping (units, areas, types), its table focused."""
        tabs = self.query_one("#groupings", TabbedContent)
        panes = [f"pane-{by}" for by, _label in GROUPINGS]
        current = panes.index(tabs.active) if tabs.active in panes else 0
        chosen = panes[(current + step) % len(panes)]
        tabs.active = chosen
        self.query_one(f"#by-{chosen.removeprefix('pane-')}", DataTable).focus()

    def action_open(self) -> None:
        pane = self.query_one("#groupings", TabbedContent).active or "pane-unit"
        by = pane.removeprefix("pane-")
        table = self.query_one(f"#by-{by}", DataTable)
        if not table.row_count:
            return
        cell = table.coordinate_to_cell_key(table.cursor_coordinate)
        tally = self.tallies[by][int(str(cell.row_key.value))]
        self.dismiss(query_for(by, tally, str(cell.column_key.value)))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open()

    def action_close(self) -> None:
        self.dismiss(None)
