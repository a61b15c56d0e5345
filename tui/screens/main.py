"""MainScreen: the plan's area tree, the filter box, the task table and the detail pane."""
from __future__ import annotations

import datetime as dt
import os
from typing import Iterable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static, Tree

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Task
from duban.query import QueryError, parse
from duban.selection import Selection, select

# Seconds without a keystroke before the filter runs: long enough that a burst of keys costs
# one pass over the tasks, short against the 10-20 ms a pass takes on 10,000 tasks.
FILTER_DELAY = 0.02
FIRST_ROWS = 100  # rows shown at once; more than a screen holds
CHUNK_ROWS = 200  # rows added when the cursor or the scroll nears the end

LIGHT_MARK = {"red": "● " + _("red"), "yellow": "● " + _("yellow"), "green": "● " + _("green"), "grey": "○ " + _("grey")}
LIGHT_STYLE = {"red": "bold red", "yellow": "bold yellow", "green": "green", "grey": "dim"}


def current_quarter(day: dt.date) -> str:
    return f"Q{(day.month - 1) // 3 + 1}"


class MainScreen(Screen[None]):
    CSS_PATH = "main.tcss"
    AUTO_FOCUS = "#tasks"
    BINDINGS = [
        Binding("slash", "focus_filter", _("Filter")),
        Binding("escape", "clear_filter", _("Clear filter"), show=False),
        Binding("p", "progress", _("Record progress")),
        Binding("h", "history", _("History")),
        Binding("g", "plan_log", _("Plan log")),
        Binding("u", "units", _("Units")),
        Binding("v", "problems", _("Problems")),
        Binding("f", "fields", _("Edit fields")),
        Binding("e", "edit", _("Edit in $EDITOR")),
        Binding("r", "reload", _("Reload")),
        Binding("a", "as_of", _("As of a date")),
    ]

    def __init__(self, plan_id: str) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.selection: Selection | None = None
        self.shown: list[Task] = []
        self.area_scope: str | None = None
        self.sort_reverse = False
        self.signature: tuple[object, ...] | None = None
        self.as_of: str | None = None  # a past date: the plan as it stood then (set in on_mount)
        self._pending = None  # the timer of a filter waiting for typing to pause
        self.sort_column: str | None = None
        self._pending_rows: list[Task] = []
        self._keep_ref: str | None = None

    # -- layout --
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield Tree(self.plan_id, id="areas")
            with Vertical(id="centre"):
                yield Input(placeholder=_("Filter: lead:发改委 light:red type:A … (pinyin initials work)"), id="filter")
                yield Static("", id="count")
                yield DataTable(id="tasks", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail-pane"):
                yield Static(_("Select a task to see it here."), id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.as_of = getattr(self.app, "as_of", None)
        table = self.query_one("#tasks", DataTable)
        # The columns people scan first come first; the title is cut to keep them in view.
        for key, label, width in (("ref", _("ref"), None), ("title", _("title"), 22), ("light", _("light"), None),
                                  ("percent", "%", None), ("status", _("status"), None), ("lead", _("lead"), 14),
                                  ("type", _("type"), None), ("report", _("last report"), None)):
            table.add_column(label, key=key, width=width)
        self.load()
        self.set_interval(2.0, self.check_for_changes)
        self.watch(table, "scroll_y", lambda _old, _new: self._load_more_if_near_end(), init=False)

    # -- loading, in a worker so the UI never freezes --
    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        self.app.call_from_thread(self._set_loading, True)
        try:
            selection = select(self.app.repo, [self.plan_id], self.as_of)  # type: ignore[attr-defined]
            for task in selection.tasks:
                selection.light_of(task)
        except DubanError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=10)
            self.app.call_from_thread(self._set_loading, False)
            return
        self.app.call_from_thread(self._loaded, selection, self._signature())

    @work(thread=True, exclusive=True, group="warm")
    def warm_pinyin(self, selection: Selection) -> None:
        """Work out the titles' pinyin initials after the first paint, not on a keystroke."""
        from duban.query import initials_code

        for task in selection.tasks:
            initials_code(task.title)

    def _set_loading(self, loading: bool) -> None:
        self.query_one("#tasks", DataTable).loading = loading

    def _loaded(self, selection: Selection, signature: tuple[object, ...]) -> None:
        if self.selection is not None:
            import gc

            gc.unfreeze()  # the plan loaded before may be held in a cycle: let the collector see it
        self.selection = selection
        self.signature = signature
        self._set_loading(False)
        self._fill_tree()
        self.refilter()
        self.warm_pinyin(selection)
        self.call_after_refresh(self._settle_memory)
        for problem in selection.problems[:3]:
            self.notify(problem.format(), severity="warning", timeout=8)

    @staticmethod
    def _settle_memory() -> None:
        """After a load (and its first frame): collect what is garbage now, then move what is
        alive out of the cyclic collector's generations: its full passes over 10,000 loaded
        tasks took 50-60 ms in the middle of typing. A reload unfreezes first (see _loaded),
        so the plan it replaces is collected here; the app unfreezes everything on exit."""
        import gc

        gc.collect()
        gc.freeze()

    def _signature(self) -> tuple[object, ...]:
        """What changes when another process or a `git pull` writes the plan."""
        folder = self.app.repo.plans_folder / self.plan_id  # type: ignore[attr-defined]
        git_dir = self.app.repo.root / ".git"  # type: ignore[attr-defined]
        marks: list[object] = []
        for path in (folder / "tasks", folder / "plan.yaml", git_dir / "HEAD", git_dir / "index"):
            try:
                marks.append(os.stat(path).st_mtime_ns)
            except OSError:
                marks.append(None)
        return tuple(marks)

    def check_for_changes(self) -> None:
        if self.signature is not None and self._signature() != self.signature:
            self.signature = self._signature()
            self.notify(_("The plan changed on disk; reloading."), timeout=3)
            self.load()  # the filter box keeps what the user typed

    # -- the area tree --
    def _fill_tree(self) -> None:
        assert self.selection is not None
        tree = self.query_one("#areas", Tree)
        tree.clear()
        plan = self.app.repo.plan(self.plan_id)  # type: ignore[attr-defined]
        tree.root.set_label(Text(f"{plan.id} ({len(self.selection.tasks)})"))
        tree.root.data = None
        for area in plan.areas:
            tasks = [t for t in self.selection.tasks if t.area == area.name]
            counts = {c: sum(self.selection.light_of(t).colour == c for t in tasks) for c in LIGHT_STYLE}
            label = Text(f"{area.name} ({len(tasks)}) ")
            for colour in ("red", "yellow", "green"):
                if counts[colour]:
                    label.append(f"●{counts[colour]} ", style=LIGHT_STYLE[colour])
            tree.root.add_leaf(label, data=area.name)
        tree.root.expand()

    @on(Tree.NodeSelected, "#areas")
    def area_chosen(self, event: Tree.NodeSelected) -> None:
        self.area_scope = event.node.data
        self.refilter()

    # -- the filter --
    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        # Filter once typing pauses: a burst of keys costs one pass over the tasks.
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(FILTER_DELAY, self.refilter)

    def refilter(self) -> None:
        self._pending = None
        if self.selection is None:
            return
        box = self.query_one("#filter", Input)
        count = self.query_one("#count", Static)
        try:
            query = parse(box.value, self.selection.plans())  # an unknown unit is marked, not an empty table
        except QueryError as error:
            box.add_class("invalid")
            count.update(Text("⚠ " + _("{reason} (column {column})").format(reason=error.reason, column=error.column),
                              style="bold red"))
            return
        box.remove_class("invalid")
        tasks = query.filter(self.selection.tasks, self.selection)
        if self.area_scope:
            tasks = [t for t in tasks if t.area == self.area_scope]
        scope = f"  · {self.area_scope}" if self.area_scope else ""
        when = f"  · {_('as of')} {self.selection.as_of.isoformat()}"
        count.update(f"{len(tasks)} / {len(self.selection.tasks)} {_('tasks')}{scope}{when}")
        self._fill_table(tasks)

    def _fill_table(self, tasks: list[Task]) -> None:
        """Show the first rows and load more as the cursor or the scroll nears the end.

        A keystroke then costs the query plus a screenful of rows, not all matches: Textual's
        DataTable takes about 56 µs a row to add and to clear. Sorting is done on the task
        list, so it stays right whatever is loaded.
        """
        table = self.query_one("#tasks", DataTable)
        keep = self.current_ref()
        if self.sort_column is not None:
            tasks = sorted(tasks, key=self._sort_value, reverse=self.sort_reverse)
        self.shown = tasks
        table.clear()
        self._pending_rows = list(tasks)
        self._append_rows(FIRST_ROWS)
        if keep is not None:
            index = next((i for i, t in enumerate(tasks) if t.ref == keep), None)
            if index is not None:
                while table.row_count <= index and self._pending_rows:
                    self._append_rows()
                table.move_cursor(row=index)
        self.show_detail()

    def _append_rows(self, count: int = CHUNK_ROWS) -> None:
        assert self.selection is not None
        table = self.query_one("#tasks", DataTable)
        chunk, self._pending_rows = self._pending_rows[:count], self._pending_rows[count:]
        for task in chunk:
            light = self.selection.light_of(task)
            latest = task.latest
            table.add_row(task.id, task.title,
                          Text(LIGHT_MARK[light.colour] + (" " + _("late") if light.late else ""),
                               style=LIGHT_STYLE[light.colour]),
                          "" if task.percent is None else f"{task.percent:g}", _(task.status),
                          "、".join(self.selection.lead(task)), task.type or "", latest.date if latest else "",
                          key=task.ref)

    def _load_more_if_near_end(self) -> None:
        table = self.query_one("#tasks", DataTable)
        if self._pending_rows and (table.cursor_row >= table.row_count - 20
                                   or table.scroll_y >= table.max_scroll_y - 20):
            self._append_rows()

    def _sort_value(self, task: Task) -> object:
        assert self.selection is not None
        column = self.sort_column
        if column == "ref":
            from duban.model import natural_key

            return natural_key(task.id)
        if column == "percent":
            return task.percent if task.percent is not None else -1
        if column == "light":
            return ("red", "yellow", "green", "grey").index(self.selection.light_of(task).colour)
        if column == "lead":
            return "、".join(self.selection.lead(task))
        if column == "report":
            return task.latest.date if task.latest else ""
        return str(getattr(task, column) or "")

    @on(DataTable.HeaderSelected, "#tasks")
    def sort_by(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        self.sort_reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column = column
        self._fill_table(self.shown)

    # -- the detail pane --
    def current_task(self) -> Task | None:
        ref = self.current_ref()
        if ref is None or self.selection is None:
            return None
        return next((t for t in self.shown if t.ref == ref), None)

    def current_ref(self) -> str | None:
        table = self.query_one("#tasks", DataTable)
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - no row under the cursor
            return None

    @on(DataTable.RowHighlighted, "#tasks")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._load_more_if_near_end()
        self.show_detail()

    def show_detail(self) -> None:
        task = self.current_task()
        detail = self.query_one("#detail", Static)
        if task is None or self.selection is None:
            detail.update(_("No task matches."))
            return
        plan = self.selection.plan(task)
        light = self.selection.light_of(task)
        text = Text()
        text.append(f"{task.ref}\n", style="bold")
        text.append(f"{task.title}\n\n", style="bold")
        text.append(f"{_('area')}: {task.area}" + (f" › {task.section}" if task.section else "") + "\n")
        if task.category:
            text.append(f"{_('category')}: {task.category}\n")
        lead = self.selection.lead(task)
        text.append(f"{plan.roles.get('lead', _('lead'))}: {'、'.join(lead) or '—'}"
                    + (f" ({_('inherited')})" if lead and not task.lead else "") + "\n")
        text.append(f"{plan.roles.get('support', _('support'))}: {'、'.join(task.support) or '—'}\n")
        if task.type:
            text.append(f"{_('type')}: {task.type} {plan.target_types.get(task.type, '')}\n")
        text.append(f"{_('status')}: {_(task.status)}   ")
        text.append(f"{LIGHT_MARK[light.colour]}\n", style=LIGHT_STYLE[light.colour])
        for reason in light.reasons:
            text.append(f"  · {reason}\n", style="dim")
        if light.late:
            text.append(f"  · {_('late report')}: {light.late_reason}\n", style="dim")
        text.append(f"\n{task.text}\n")
        if task.milestones:
            text.append(f"\n{_('Milestones')}\n", style="bold")
            now = current_quarter(self.selection.as_of)
            for key, value in task.milestones.items():
                marker = "▶ " if key == now else "  "
                text.append(f"{marker}{key}  ", style="bold" if key == now else "")
                text.append(f"{value}\n")
        text.append(f"\n{_('Progress')}\n", style="bold")
        if not task.progress:
            text.append(f"  {_('no reports yet')}\n", style="dim")
        for report in reversed(task.progress):
            by = f" [{report.by}]" if report.by else ""
            text.append(f"  {report.date}  {report.percent:g}%{by}  {report.note or ''}\n")
        detail.update(text)

    # -- actions --
    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        self.area_scope = None
        self.query_one("#tasks", DataTable).focus()

    def action_reload(self) -> None:
        self.load()

    def action_as_of(self) -> None:
        from duban.tui.screens.as_of import AsOfDialog

        def chosen(day: str | None) -> None:
            if day is not None:
                self.as_of = day or None
                self.load()

        self.app.push_screen(AsOfDialog(self.as_of), chosen)

    def action_progress(self) -> None:
        from duban.tui.screens.progress_form import ProgressForm

        self._open_form(ProgressForm, show_history=True)

    def action_fields(self) -> None:
        from duban.tui.screens.fields_form import FieldsForm

        self._open_form(FieldsForm, show_history=False)

    def _open_form(self, form: type, show_history: bool) -> None:
        """Open a form on the selected task; after a commit, reload (and show the history)."""
        task = self.current_task()
        if task is None:
            self.notify(_("Select a task first."), severity="warning")
            return

        def done(sha: str | None) -> None:
            if sha:
                self.notify(_("Recorded and committed as {sha}.").format(sha=sha[:10]))
                self.load()
                if show_history:
                    self.action_history()

        self.app.push_screen(form(task), done)

    def action_history(self) -> None:
        from duban.tui.screens.history import HistoryScreen

        task = self.current_task()
        if task is not None:
            self.app.push_screen(HistoryScreen(task.ref))

    def action_plan_log(self) -> None:
        from duban.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(None, plan_id=self.plan_id))

    def action_units(self) -> None:
        from duban.tui.screens.units import UnitPicker

        def chosen(unit: str | None) -> None:
            if unit:
                self.query_one("#filter", Input).value = f'unit:"{unit}"'

        self.app.push_screen(UnitPicker(self.plan_id, self.selection), chosen)

    def action_problems(self) -> None:
        from duban.tui.screens.problems import ProblemsScreen

        def jump(ref: str | None) -> None:
            if ref:
                self.jump_to(ref)

        self.app.push_screen(ProblemsScreen(self.plan_id), jump)

    def jump_to(self, ref: str) -> None:
        box = self.query_one("#filter", Input)
        box.value = f"id:{ref.split('/')[-1]}"
        self.area_scope = None
        self.refilter()
        self.query_one("#tasks", DataTable).focus()

    def action_edit(self) -> None:
        task = self.current_task()
        if task is None:
            return
        import click

        from duban.recording import InvalidEdit, apply_edit

        text = task.path.read_text(encoding="utf-8")
        with self.app.suspend():
            edited = click.edit(text, extension=".yaml", require_save=False)
        if edited is None or edited == text:
            return
        try:
            recorded = apply_edit(self.app.repo, task.ref, edited, base_text=text)  # type: ignore[attr-defined]
        except InvalidEdit as error:
            self.notify(_("Not saved: {problem}").format(problem=error.problems[0].format()), severity="error",
                        timeout=10)
            return
        except DubanError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        if recorded:
            self.notify(_("Recorded and committed as {sha}.").format(sha=recorded.sha[:10]))
            self.load()

    def palette_commands(self) -> Iterable[SystemCommand]:
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            yield SystemCommand(binding.description, f"[{binding.key}]", getattr(self, f"action_{binding.action}"))
