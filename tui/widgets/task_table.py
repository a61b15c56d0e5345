"""TaskTable: the plan's tasks in a DataTable that loads rows in pages, sorts by any column
(▲/▼ on the sorted header), fits its columns to the width it has, and shows every cell as
plain text (a title such as `人才建设[/]` is data, never markup)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.events import Resize
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from duban.i18n import _
from duban.model import STATUSES, Task, natural_key
from duban.states import LightColour
from duban.supervise.rows import TaskRow, task_row
from duban.supervise.selection import Selection
from duban.text.glyphs import glyph
from duban.text.textwidth import cell_width, truncate
from duban.tui.typeahead import take_own_binding

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

FIRST_ROWS = 100  # rows shown at once; more than a screen holds
CHUNK_ROWS = 200  # rows added when the cursor or the scroll nears the end


# Control characters from data (a note pasted with an ESC or a bell in it) are shown as their
# Unicode pictures, so no text from a file can move the cursor or recolour the terminal.
# Text-direction controls (U+202E reorders what follows) are written out as the CLI writes
# them, \u202e (N14).
_CONTROL_PICTURES: dict[int, int | str] = {
    **{code: 0x2400 + code for code in range(0x20) if code not in (0x0A,)},
    0x7F: 0x2421,
    **{
        code: f"\\u{code:04x}"
        for code in (0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
    },
}


def visible(text: str) -> str:
    """`text` with its control characters (newline kept) as visible pictures (ESC → ␛) and its
    text-direction controls written out (\u202e)."""
    return text.translate(_CONTROL_PICTURES)


LIGHT_STYLE: dict[str, str] = {
    LightColour.RED: "bold red",
    LightColour.YELLOW: "bold #e5c07b",
    LightColour.GREEN: "green",
    LightColour.GREY: "dim",
}


def light_word(colour: LightColour) -> str:
    mark = glyph("hollow" if colour == LightColour.GREY else "dot")
    return (
        f"{mark} "
        + {
            LightColour.RED: _("red"),
            LightColour.YELLOW: _("yellow"),
            LightColour.GREEN: _("green"),
            LightColour.GREY: _("grey"),
        }[colour]
    )


def light_text(colour: LightColour, late: bool) -> Text:
    """The light in its colour; `late` in reverse video, so it stands out whatever the colour."""
    text = Text(light_word(colour), style=LIGHT_STYLE[colour])
    if late:
        text.append(" ")
        text.append(_("late"), style="bold reverse")
    return text


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int
    drop_order: int  # columns with the smallest number go first when the table is narrow (0: never)


# The TaskRow column under each of the table's columns: the table shows one plan, so its
# `ref` is the task's id.
ROW_COLUMN = {"ref": "id"}


class TaskTable(DataTable[object]):
    """The task table. `show(tasks, selection)` fills it; the screen reacts to its messages."""

    BINDINGS = [
        Binding("home,ctrl+home", "first_row", _("First row"), show=False),
        Binding("end,ctrl+end", "last_row", _("Last row"), show=False),
    ]
    TITLE_MIN = 12

    async def _on_key(self, event: events.Key) -> None:
        await take_own_binding(self, event)  # a Down typed ahead moves the cursor in its turn

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.selection: Selection | None = None
        self.tasks: list[Task] = []  # every matching task, in the shown order
        self._given: tuple[object, ...] | None = None  # what the last show() was given (see shows)
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._pending: list[Task] = []  # tasks after the rows shown, not yet added as rows
        self._start = 0  # the index in `tasks` of the first row (after Ctrl+End: near the end)
        self._filling = False  # while refilling, scroll events must not add the old rows
        self._layout: tuple[tuple[str, int], ...] = ()
        self._headers: object = None  # the layout and sort the column headers were made for
        # Each task's cells, made once per selection and layout: a keystroke then adds the
        # rows of a page without working out their text again.
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._cells_selection: Selection | None = None
        self._cells_layout: tuple[tuple[str, int], ...] = ()

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", lambda _old, _new: self.load_more_near_view(), init=False)
        self.watch(self, "cursor_coordinate", lambda _old, _new: self.load_more_near_cursor(), init=False)

    # -- columns that fit --
    def _columns(self, width: int) -> list[Column]:
        statuses = max(cell_width(_(s)) for s in STATUSES)
        lights = max(cell_width(light_word(c)) for c in LightColour) + 1 + cell_width(_("late"))
        # Every task's ref, not the first 2,000's (task 10000 showed as `100…`); the longest id
        # by length first, so 10,000 tasks cost one cell_width each only where an id is not ASCII.
        longest = max((t.id for t in self.tasks), key=len, default="")
        wide = [cell_width(t.id) for t in self.tasks if not t.id.isascii()]
        refs = max([cell_width(longest), *wide, cell_width(_("ref")), 3])
        columns = [
            Column("ref", _("ref"), min(refs, 16), 0),
            Column("title", _("title"), 0, 0),
            Column("light", _("light"), lights, 0),
            Column("percent", "%", 3, 4),
            Column("status", _("status"), statuses, 3),
            Column("lead", _("lead"), 14, 5),
            Column("type", _("type"), max(4, cell_width(_("type"))), 1),
            Column("report", _("last report"), max(10, cell_width(_("last report"))), 2),
        ]
        # The sorted column has room for its ▲/▼ (编号 is four cells wide, and so was its column).
        columns = [
            Column(c.key, c.label, max(c.width, cell_width(c.label) + 2), c.drop_order)
            if c.key == self.sort_column and c.key != "title"
            else c
            for c in columns
        ]
        room = width - 2  # the vertical scrollbar
        for drop in (1, 2, 3, 4, 5):
            used = sum(c.width + 2 for c in columns if c.key != "title") + 2
            if room - used >= self.TITLE_MIN + 8 or len(columns) <= 3:
                break
            columns = [c for c in columns if c.drop_order != drop]
        used = sum(c.width + 2 for c in columns if c.key != "title") + 2
        title_width = max(self.TITLE_MIN, room - used)
        return [Column(c.key, c.label, title_width if c.key == "title" else c.width, c.drop_order) for c in columns]

    def _header(self, column: Column) -> Text:
        label = Text(column.label)
        if column.key == self.sort_column:
            label.append(" " + glyph("down" if self.sort_reverse else "up"), style="bold")
        return label

    def _set_columns(self, columns: list[Column]) -> None:
        layout = tuple((c.key, c.width) for c in columns)
        headers = (layout, self.sort_column, self.sort_reverse)
        if headers == self._headers:  # the same columns and the same ▲/▼: only the rows go
            self.clear()
            return
        self.clear(columns=True)
        for column in columns:
            self.add_column(self._header(column), key=column.key, width=column.width)
        self._layout = layout
        self._headers = headers

    def on_resize(self, event: Resize) -> None:
        if self.selection is not None and self._wanted_layout() != self._layout:
            self.show(self.tasks, self.selection, self.current_ref(), sort=False)

    def _wanted_layout(self) -> tuple[tuple[str, int], ...]:
        return tuple((c.key, c.width) for c in self._columns(self.size.width or self.app.size.width))

    # -- filling, paging --
    def show(self, tasks: list[Task], selection: Selection, keep_ref: str | None = None, sort: bool = True) -> None:
        """Show `tasks`, first rows now and more as the cursor or the scroll nears the end.

        A keystroke then costs the query plus a screenful of rows, not all matches: Textual's
        DataTable takes about 56 µs a row to add and to clear.
        """
        self.selection = selection
        self._given = self._given_key(tasks, selection, sort)
        if sort and self.sort_column is not None:
            tasks = sorted(tasks, key=self._sort_value, reverse=self.sort_reverse)
        self.tasks = tasks
        self._filling = True  # clear() scrolls to the top, and the scroll watcher must not append
        try:
            self._set_columns(self._columns(self.size.width or self.app.size.width))
            self._start = 0
            self._pending = list(tasks)
            self._append(FIRST_ROWS)
        finally:
            self._filling = False
        if keep_ref is not None:
            index = next((i for i, t in enumerate(tasks) if t.ref == keep_ref), None)
            if index is not None and index >= FIRST_ROWS:
                # A chunk of the rows before it too, at once: the rows a first move up would add,
                # so a sort or a widened filter shows the same rows whenever the view scrolls.
                self._show_window(max(0, index - CHUNK_ROWS - FIRST_ROWS // 2), index)
            elif index is not None:
                self.move_cursor(row=index)

    def _given_key(self, tasks: list[Task], selection: Selection, sort: bool) -> tuple[object, ...]:
        # Without a sort column, show() keeps the order it is given, sort or not (a resize
        # shows its tasks again unsorted).
        column = self.sort_column if sort else None
        return (id(selection), tuple(t.ref for t in tasks), column, bool(column) and self.sort_reverse)

    def shows(self, tasks: list[Task], selection: Selection) -> bool:
        """Whether show(tasks, selection) would give the rows shown now: the same tasks in the
        same order from the same selection, sorted the same way."""
        return self.selection is selection and self._given == self._given_key(tasks, selection, True)

    def _show_window(self, start: int, cursor: int, end: int | None = None) -> None:
        """Rows for tasks[start:end] (at least a first page), the cursor on task `cursor`.

        Far down a long list (Ctrl+End, or the cursor kept on a task near the end) the rows
        before are not added: 10,000 rows took 2.4–3.8 s to add, a page takes milliseconds.
        Rows before are added back a chunk at a time as the cursor or the scroll nears the top.
        """
        end = min(len(self.tasks), max(end or 0, start + FIRST_ROWS, cursor + 1))
        self._filling = True
        try:
            self.clear()  # the rows; the columns stay
            self._start = start
            self._pending = self.tasks[start:]
            self._append(end - start)
            if self.row_count:
                self.move_cursor(row=min(cursor - start, self.row_count - 1))
        finally:
            self._filling = False

    def _row(self, task: Task) -> TaskRow:
        assert self.selection is not None
        return task_row(self.selection, task)

    @staticmethod
    def _cell(row: TaskRow, key: str, width: int) -> Text:
        if key == "light":
            return light_text(row.light.colour, row.light.late)
        value = row.shown(ROW_COLUMN.get(key, key))
        return Text(truncate(visible(value.replace("\n", " ")), width), no_wrap=True)

    def _append(self, count: int) -> None:
        chunk, self._pending = self._pending[:count], self._pending[count:]
        layout = self._layout
        if self._cells_selection is not self.selection or self._cells_layout != layout:
            self._cells, self._cells_selection, self._cells_layout = {}, self.selection, layout
        cells = self._cells
        for task in chunk:
            found = cells.get(task.ref)
            if found is None:
                row = self._row(task)
                found = cells[task.ref] = tuple(self._cell(row, key, width) for key, width in layout)
            self.add_row(*found, key=task.ref)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """The table's size. Every column here has its width and every row one line, so
        nothing needs measuring: DataTable's own pass measured each new cell with Rich,
        10 ms for a page of 100 rows on each keystroke, for widths it then did not use.
        DataTable has no public way to skip that pass (Textual 8.2.8), so this replaces its
        private step; tests/tui/test_table_dimensions.py fails when Textual's step changes or
        the two give different sizes."""
        if any(column.auto_width for column in self.columns.values()) or any(
            self.rows[key].height != 1 for key in new_rows if key in self.rows
        ):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header)

    def load_more_near_cursor(self) -> None:
        """Rows before or after those shown, when the cursor nears the first or the last. The
        cursor alone decides: the scroll that brings it into view follows a refresh, so the
        scroll read here would still be the top that a new window starts at, and whether the
        rows before were added would hang on which came first."""
        if self._filling:
            return
        if self._start and self.cursor_row < 20:
            self._load_before()
        elif self._pending and self.cursor_row >= self.row_count - 20:
            self._append(CHUNK_ROWS)

    def load_more_near_view(self) -> None:
        """Rows before or after those shown, when the view scrolls near the first or the last."""
        if self._filling:
            return
        if self._start and self.scroll_y < 20:
            self._load_before()
        elif self._pending and self._last_row_in_view() >= self.row_count - 20:
            self._append(CHUNK_ROWS)

    def _last_row_in_view(self) -> int:
        """The last row the view shows, counted from the rows themselves (one line each): the
        virtual size behind max_scroll_y is stale for a moment after rows are added, and a
        slow machine then read every scroll as a scroll to the end and loaded every row."""
        return int(self.scroll_y) + self.scrollable_content_region.height

    def _load_before(self) -> None:
        """Add the chunk of rows before the first one shown, the cursor and the view kept on
        the same tasks."""
        shift = min(CHUNK_ROWS, self._start)
        cursor = self._start + self.cursor_row
        scroll = self.scroll_y
        self._show_window(self._start - shift, cursor, end=self._start + self.row_count)
        self.scroll_to(y=scroll + shift, animate=False, immediate=True)

    @property
    def cursor_index(self) -> int:
        """The index in `tasks` of the task under the cursor."""
        return self._start + self.cursor_row

    def load_all(self) -> None:
        if self._start:
            self._show_window(0, self.cursor_index, end=len(self.tasks))
        while self._pending:
            self._append(CHUNK_ROWS * 5)

    def action_last_row(self) -> None:
        if self._pending:
            self._show_window(max(0, len(self.tasks) - FIRST_ROWS), len(self.tasks) - 1)
        elif self.row_count:
            self.move_cursor(row=self.row_count - 1)

    def action_first_row(self) -> None:
        if self._start:
            self._show_window(0, 0)
            self.scroll_to(y=0, animate=False, immediate=True)
        elif self.row_count:
            self.move_cursor(row=0)

    # -- sorting --
    def sort_keys(self) -> list[str]:
        return [key for key, _width in self._layout]

    def sort_by(self, column: str, reverse: bool | None = None) -> None:
        """Sort by `column`; the same column again reverses the order."""
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        if self.selection is not None:
            self.show(self.tasks, self.selection, self.current_ref())

    def sort_next(self) -> None:
        """Sort by the next column (after the last one: back to the plan's order)."""
        keys = self.sort_keys()
        if self.sort_column not in keys:
            column: str | None = keys[0]
        else:
            index = keys.index(self.sort_column) + 1
            column = keys[index] if index < len(keys) else None
        if column is None:
            self.sort_column, self.sort_reverse = None, False
            if self.selection is not None:
                ordered = sorted(self.tasks, key=lambda t: natural_key(t.id))
                self.show(ordered, self.selection, self.current_ref(), sort=False)
            return
        self.sort_by(column, reverse=False)

    def reverse_sort(self) -> None:
        self.sort_by(self.sort_column or "ref", reverse=not self.sort_reverse)

    def _sort_value(self, task: Task) -> SupportsRichComparison:
        column = self.sort_column or "ref"
        return self._row(task).sort_key(ROW_COLUMN.get(column, column))

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    # -- the cursor --
    def current_ref(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        except Exception:
            return None

    def current_task(self) -> Task | None:
        ref = self.current_ref()
        return next((t for t in self.tasks if t.ref == ref), None) if ref else None
