"""TaskScreen: the plan's tasks on screen, the base of the main screen: the area tree, the
filter box, the task table and the detail pane, loaded in a worker and loaded again when the
plan changes on disk. MainScreen (main.py) adds the keys that open forms, screens and dialogs.

The layout follows the terminal's width: below 100 columns the tree and the detail pane are
hidden (`t` shows the tree, Enter opens the task's card), below 140 the tree is hidden.
"""

from __future__ import annotations

import os
import time

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.worker import get_current_worker

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Task
from duban.store.plan_mark import PlanMark, plan_mark
from duban.supervise.query import parse, text_search_notes
from duban.supervise.query_tokens import QueryError
from duban.supervise.selection import Selection, select
from duban.text.glyphs import glyph
from duban.text.pinyin import initials_code
from duban.tui.access import duban_app
from duban.tui.filtering import FilterResults
from duban.tui.legacy_console import header_icon
from duban.tui.typeahead import handled
from duban.tui.undo_press import UndoPress
from duban.tui.widgets.area_tree import AreaTree
from duban.tui.widgets.task_card import TaskCard
from duban.tui.widgets.task_table import TaskTable
from duban.tui.widgets.text_input import TextInput

# Seconds within which a keystroke after a filter waits for typing to pause: long enough that
# a burst of keys costs one more pass over the tasks, short against a keystroke's target.
FILTER_DELAY = 0.02


class FilterBox(TextInput):
    """The filter: Enter or Down goes to the table, Esc leaves the box (a second Esc clears it)."""

    BINDINGS = [Binding("down", "screen.focus_table", _("To the table"), show=False)]


class TaskScreen(Screen[None]):
    AUTO_FOCUS = "#tasks"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]

    def __init__(self, plan_id: str) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.selection: Selection | None = None
        self.area_scope: str | None = None
        self.undo = UndoPress()  # the commit a first z named; a second z takes it back
        self.signature: PlanMark | None = None
        self.as_of: str | None = None  # a past date: the plan as it stood then (set in on_mount)
        self._pending: Timer | None = None  # the timer of a filter waiting for typing to pause
        self._filtered_at = 0.0  # time.monotonic() of the last filter
        self.matching: list[Task] = []  # what the filter matches, before the area scope
        self._results: FilterResults | None = None  # what each filter text matched in this selection
        self.lights_known = False  # every task's light worked out (see warm)
        self.unreadable: list[str] = []  # task files that could not be read, by name

    # -- layout --
    def compose(self) -> ComposeResult:
        yield Header(icon=header_icon())
        with Horizontal(id="body"):
            yield AreaTree(Text(self.plan_id), id="areas")
            with Vertical(id="centre"):
                yield FilterBox(
                    placeholder=_("Filter: lead:发改委 light:red type:A … (pinyin initials work)"), id="filter"
                )
                yield Static("", id="count", markup=False)
                yield TaskTable(id="tasks")
            with VerticalScroll(id="detail-pane"):
                yield TaskCard(_("No task matches."), id="detail")
        yield Footer()

    @property
    def table(self) -> TaskTable:
        return self.query_one("#tasks", TaskTable)

    @property
    def areas(self) -> AreaTree:
        return self.query_one("#areas", AreaTree)

    @property
    def shown(self) -> list[Task]:
        return self.table.tasks

    def on_mount(self) -> None:
        self.as_of = duban_app(self).as_of
        self.load()
        self.set_interval(2.0, self.check_for_changes)

    def say(self, message: str, severity: SeverityLevel = "information", timeout: float = 6) -> None:
        """A toast that shows `message` as it is: text from files and git is never markup."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    # -- loading, in a worker so the UI never freezes --
    @work(thread=True, exclusive=True, group="load")
    def load(self, cover: bool = True) -> None:
        """The plan read again; `cover`: the table shows it is loading meanwhile, which takes
        its focus (Textual passes a key for a loading widget to the screen)."""
        app = duban_app(self)
        if cover:
            app.call_from_thread(self._set_loading, True)
        try:
            selection = select(app.repo, [self.plan_id], self.as_of)
        except DubanError as error:
            app.call_from_thread(self.say, str(error), "error", 10)
            app.call_from_thread(self._set_loading, False)
            return
        app.call_from_thread(self._loaded, selection, self._signature())

    @work(thread=True, exclusive=True, group="warm")
    def warm(self, selection: Selection) -> None:
        """After the first paint, not before it nor on a keystroke: every task's light (the
        area tree counts them; 10,000 took 0.3 s, which the first paint no longer waits for),
        then the titles' pinyin initials. The tree gets its light counts when they are known."""
        worker = get_current_worker()
        for task in selection.tasks:
            if worker.is_cancelled:  # a reload or the app closing: this selection is done with
                return
            selection.light_of(task)
        duban_app(self).call_from_thread(self._lights_known, selection)
        for task in selection.tasks:
            if worker.is_cancelled:
                return
            initials_code(task.title)

    def _lights_known(self, selection: Selection) -> None:
        if selection is self.selection:
            self.lights_known = True
            self._label_tree(self.matching)
            self.areas.remeasure()
            self._settle_memory()  # the lights are long-lived too

    def _set_loading(self, loading: bool) -> None:
        self.table.loading = loading

    def _loaded(self, selection: Selection, signature: PlanMark) -> None:
        if self.selection is not None:
            # Deferred: loads duban.memory only when this runs
            from duban import memory

            memory.unsettle()  # the plan loaded before may be held in a cycle: let the collector see it
        self.selection = selection
        self.signature = signature
        loaded = {t.id for t in selection.tasks}
        self.unreadable = sorted(
            {
                p.path
                for p in selection.problems
                if os.path.basename(os.path.dirname(p.path)) == "tasks"
                and os.path.splitext(os.path.basename(p.path))[0] not in loaded
            }
        )
        self.lights_known = False
        self._set_loading(False)
        self._fill_tree()
        self.refilter()
        self.call_after_refresh(self._after_first_paint, selection)
        if selection.note:  # as the CLI says on stderr: git had no commit by the as-of date
            self.say(selection.note, "warning", 10)
        for problem in selection.problems[:3]:
            self.say(problem.format(), "warning", 8)

    def _after_first_paint(self, selection: Selection) -> None:
        if selection is self.selection:
            self.warm(selection)

    @staticmethod
    def _settle_memory() -> None:
        """Once a load's lights are worked out (see warm): collect what is garbage now, then
        move what is alive out of the cyclic collector's generations: its full passes over
        10,000 loaded tasks took 50-60 ms in the middle of typing. A reload unfreezes first (see _loaded),
        so the plan it replaces is collected here; the app unfreezes everything on exit."""
        # Deferred: loads duban.memory only when this runs
        from duban import memory

        memory.settle()

    def _signature(self) -> PlanMark:
        """What changes when another process or a `git pull` writes the plan (duban.store.plan_mark)."""
        return plan_mark(duban_app(self).repo.root, self.plan_id)

    def check_for_changes(self) -> None:
        if not self.is_active:
            return  # a dialog is open, maybe committing: look again once it is closed
        if self.signature is not None:
            self._look_for_changes(self.signature)

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _look_for_changes(self, known: PlanMark) -> None:
        now = self._signature()
        if now != known:
            duban_app(self).call_from_thread(self._changed_on_disk, known, now)

    def _changed_on_disk(self, known: PlanMark, now: PlanMark) -> None:
        if self.signature == known and self.is_active:  # not meanwhile reloaded, nor a dialog opened
            self.signature = now
            self.say(_("The plan changed on disk; reloading."), timeout=3)
            self.load()  # the filter box keeps what the user typed

    def after_own_commit(self) -> None:
        """Reload after a commit the TUI made, without the 'changed on disk' message. The rows
        are not covered meanwhile: they differ from the plan read again by what was just
        committed, and the table keeps the keys typed right after the save (a form holds them
        until it is closed, duban.tui.typeahead), which a reload keeps the cursor's task for."""
        self.signature = None
        self.load(cover=False)

    # -- the area tree --
    def _fill_tree(self) -> None:
        self.areas.fill(duban_app(self).repo.plan(self.plan_id))
        self._label_tree(self.selection.tasks if self.selection is not None else [])

    def _label_tree(self, matching: list[Task]) -> None:
        """The areas count what the filter matches; their lights once every task's light is
        known (see warm), so a load never waits for 10,000 of them."""
        light_of = self.selection.light_of if self.lights_known and self.selection is not None else None
        self.areas.count(self.plan_id, matching, self.area_scope, light_of)

    @on(AreaTree.Chosen)
    def area_chosen(self, event: AreaTree.Chosen) -> None:
        self.area_scope = event.area
        self.refilter()

    # -- the filter --
    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        # A key after a pause filters at once; keys that follow within FILTER_DELAY of a
        # filter wait until typing pauses, so a burst of keys costs one more pass, not one
        # pass each. refilter reads the box when it runs, so the last text always counts.
        if self._pending is not None:
            self._pending.stop()
        elif time.monotonic() - self._filtered_at >= FILTER_DELAY:
            self.refilter()
            return
        self._pending = self.set_timer(FILTER_DELAY, self.refilter)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.action_focus_table()

    def refilter(self) -> None:
        if self._pending is not None:
            self._pending.stop()  # this pass reads the box as it is now: the timer is not needed
        self._pending = None
        try:
            self._refilter()
        finally:
            self._filtered_at = time.monotonic()  # from its end: keys queued meanwhile wait

    def _refilter(self) -> None:
        if self.selection is None:
            return
        box = self.query_one("#filter", Input)
        count = self.query_one("#count", Static)
        try:
            query = parse(box.value, self.selection.plans())  # an unknown unit is marked, not an empty table
        except QueryError as error:
            box.add_class("invalid")
            # The rows are those of an earlier text: dimmed, and not exported, until it reads.
            self.query_one("#tasks").add_class("stale")
            # The command line's words, hint and all (did you mean 发改委?, the fields, the
            # values), on as many lines as they take: one line cut the hints off (T12).
            count.add_class("problem")
            count.update(Text("⚠ " + str(error), style="bold red"))
            return
        box.remove_class("invalid")
        self.query_one("#tasks").remove_class("stale")
        if self._results is None or self._results.selection is not self.selection:
            self._results = FilterResults(self.selection)
        tasks = self._results.filter(query)
        self.matching = tasks
        self._label_tree(tasks)
        if self.area_scope:
            tasks = [t for t in tasks if t.area == self.area_scope]
        line = Text(f"{len(tasks)} / {len(self.selection.tasks)} {_('tasks')}")
        if self.unreadable:
            line.append("  " + _("+ {count} unreadable (v)").format(count=len(self.unreadable)), style="bold red")
        if self.area_scope:
            line.append(f"  {glyph('middle')} {self.area_scope}")
        line.append(f"  {glyph('middle')} {_('as of')} {self.selection.as_of.isoformat()}")
        # Nothing found and a term looks like a field that is not one: said as the CLI says it.
        notes = text_search_notes(box.value) if not self.matching else []
        for note in notes:
            line.append("\n" + note, style="bold")
        if notes or count.has_class("problem"):
            count.set_class(bool(notes), "problem")
            count.update(line)
        else:
            count.update(line, layout=False)  # one line, whatever it says: no layout pass for it
        table = self.table
        if not table.shows(tasks, self.selection):
            table.show(tasks, self.selection, table.current_ref())
            self.show_detail()
        # else a key that changes no match (a space, a term already met): the rows, the
        # cursor and the scroll stay as they are

    # -- the detail pane --
    def current_task(self) -> Task | None:
        return self.table.current_task()

    def current_ref(self) -> str | None:
        return self.table.current_ref()

    async def task_at_cursor(self) -> Task | None:
        """The task under the cursor once the table has taken the keys typed before this one:
        `p` typed behind three Downs opens the form on the row the Downs went to."""
        await handled([self.table])
        return self.current_task()

    @on(DataTable.RowHighlighted, "#tasks")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.table.load_more_near_cursor()
        self.show_detail()

    @on(DataTable.RowSelected, "#tasks")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: the task's card, in a dialog when the pane is hidden."""
        if not self.query_one("#detail-pane").display or self.has_class("-narrow"):
            task = self.current_task()
            if task is not None and self.selection is not None:
                # Deferred: loads duban.tui.dialogs.card (2 duban modules in all) only when this runs
                from duban.tui.dialogs.card import CardDialog

                self.app.push_screen(CardDialog(task, self.selection, duban_app(self).repo))

    def show_detail(self) -> None:
        self.query_one("#detail", TaskCard).show_task(self.current_task(), self.selection, duban_app(self).repo)

    # -- actions --
    def action_focus_filter(self) -> None:
        if isinstance(self.focused, Input):
            raise SkipAction()  # a / typed in the box is a /
        self.set_focus(self.query_one("#filter", Input))

    def action_focus_table(self) -> None:
        self.set_focus(self.table)

    def action_leave_filter(self) -> None:
        """Enter or Down in the filter box: to the table (elsewhere the key is the widget's)."""
        if self.focused is not self.query_one("#filter", Input):
            raise SkipAction()
        self.set_focus(self.table)

    def action_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus:
            self.set_focus(self.table)  # the first Esc leaves the box, keeping what was typed
            return
        if box.value or self.area_scope:
            box.value = ""
            self.area_scope = None
            self.refilter()

    def action_sort_next(self) -> None:
        self.table.sort_next()
        self.show_detail()

    def action_sort_reverse(self) -> None:
        self.table.reverse_sort()
        self.show_detail()

    def action_toggle_tree(self) -> None:
        tree = self.areas
        tree.display = not tree.display

    def action_reload(self) -> None:
        self.load()

    def action_switch_plan(self) -> None:
        duban_app(self).switch_plan(self.plan_id)
