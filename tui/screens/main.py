"""MainScreen: the plan's area tree, the filter box, the task table and the detail pane.

The layout follows the terminal's width: below 100 columns the tree and the detail pane are
hidden (`t` shows the tree, Enter opens the task's card), below 140 the tree is hidden.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.actions import SkipAction
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static, Tree
from textual.widgets.tree import TreeNode

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Plan, Task
from duban.store.layout import common_git_folder, git_folder
from duban.supervise.query import QueryError, parse, text_search_notes
from duban.supervise.selection import Selection, select
from duban.tui.access import duban_app
from duban.tui.filtering import FilterResults
from duban.tui.typeahead import handled
from duban.tui.widgets.task_card import TaskCard
from duban.tui.widgets.task_table import LIGHT_STYLE, TaskTable
from duban.tui.widgets.text_input import TextInput

# Seconds within which a keystroke after a filter waits for typing to pause: long enough that
# a burst of keys costs one more pass over the tasks, short against a keystroke's target.
FILTER_DELAY = 0.02


class FilterBox(TextInput):
    """The filter: Enter or Down goes to the table, Esc leaves the box (a second Esc clears it)."""

    BINDINGS = [Binding("down", "screen.focus_table", _("To the table"), show=False)]


class MainScreen(Screen[None]):
    CSS_PATH = "main.tcss"
    AUTO_FOCUS = "#tasks"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    BINDINGS = [
        Binding("p", "progress", _("Record progress"), priority=True),
        # Priority, and the focus set at once (not Widget.focus, which waits behind the keys
        # queued): what is typed after / goes into the box, not to p, e, m (duban.tui.typeahead).
        Binding("slash", "focus_filter", _("Filter"), key_display="/", priority=True),
        # p, m and f open a form: priority, so the keys typed behind them wait until the form
        # is up and has its first field focused (in the filter box they are letters).
        Binding("m", "round", _("Monthly round"), priority=True),
        Binding("c", "collect", _("Collect returned report forms"), show=False, priority=True),
        Binding("o", "overview", _("Overview")),
        Binding("question_mark", "app.help", _("Help"), key_display="?"),
        Binding("q", "app.quit", _("Quit")),
        Binding("escape", "escape", _("Leave the filter / clear it"), show=False, priority=True),
        Binding("enter,down", "leave_filter", show=False, priority=True),
        Binding("s", "sort_next", _("Sort by the next column"), show=False),
        Binding("S", "sort_reverse", _("Reverse the sort"), show=False, key_display="shift+s"),
        Binding("h", "history", _("History")),
        Binding("g", "plan_log", _("Plan log")),
        Binding("u", "units", _("Units")),
        Binding("v", "problems", _("Problems")),
        Binding("f", "fields", _("Edit fields"), priority=True),
        Binding("e", "edit", _("Edit in $EDITOR")),
        Binding("x", "export", _("Export the filter")),
        Binding("t", "toggle_tree", _("Show or hide the areas"), show=False),
        Binding("P", "switch_plan", _("Switch plan"), show=False, key_display="shift+p"),
        Binding("r", "reload", _("Reload"), show=False),
        Binding("a", "as_of", _("As of a date"), show=False),
        Binding("z", "undo", _("Undo this clone's last change")),
    ]

    def __init__(self, plan_id: str) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.selection: Selection | None = None
        self.area_scope: str | None = None
        self.undo_asked: str | None = None  # the commit a first z named; a second z takes it back
        self.signature: tuple[object, ...] | None = None
        self.as_of: str | None = None  # a past date: the plan as it stood then (set in on_mount)
        self._pending: Timer | None = None  # the timer of a filter waiting for typing to pause
        self._filtered_at = 0.0  # time.monotonic() of the last filter
        self.matching: list[Task] = []  # what the filter matches, before the area scope
        self._results: FilterResults | None = None  # what each filter text matched in this selection
        self.lights_known = False  # every task's light worked out (see warm)
        self.unreadable: list[str] = []  # task files that could not be read, by name

    # -- layout --
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield Tree(Text(self.plan_id), id="areas")
            with Vertical(id="centre"):
                yield FilterBox(placeholder=_("Filter: lead:发改委 light:red type:A … (pinyin initials work)"),
                                id="filter")
                yield Static("", id="count", markup=False)
                yield TaskTable(id="tasks")
            with VerticalScroll(id="detail-pane"):
                yield TaskCard(_("No task matches."), id="detail")
        yield Footer()

    @property
    def table(self) -> TaskTable:
        return self.query_one("#tasks", TaskTable)

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
    def load(self) -> None:
        app = duban_app(self)
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
        from textual.worker import get_current_worker

        from duban.text.pinyin import initials_code

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
            # Textual's Tree measures its width when it builds its lines, not on set_label:
            # rebuilt, so it scrolls over the lights' counts as it did when they came first.
            self.query_one("#areas", Tree)._invalidate()
            self._settle_memory()  # the lights are long-lived too

    def _set_loading(self, loading: bool) -> None:
        self.table.loading = loading

    def _loaded(self, selection: Selection, signature: tuple[object, ...]) -> None:
        if self.selection is not None:
            import gc

            gc.unfreeze()  # the plan loaded before may be held in a cycle: let the collector see it
        self.selection = selection
        self.signature = signature
        loaded = {t.id for t in selection.tasks}
        self.unreadable = sorted({p.path for p in selection.problems
                                  if os.path.basename(os.path.dirname(p.path)) == "tasks"
                                  and os.path.splitext(os.path.basename(p.path))[0] not in loaded})
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
        import gc

        gc.collect()
        gc.freeze()

    def _signature(self) -> tuple[object, ...]:
        """What changes when another process or a `git pull` writes the plan: the plan's files
        and the commit HEAD names (not .git/index, which git refreshes on every status). Each
        task file's time and size count too: an editor that writes a file in place changes
        neither the folder nor HEAD (audit T15). About 10 ms for 10,000 files, in a thread."""
        repo = duban_app(self).repo
        folder = repo.plans_folder / self.plan_id
        marks: list[object] = []
        for path in (folder / "tasks", folder / "plan.yaml"):
            try:
                marks.append(os.stat(path).st_mtime_ns)
            except OSError:
                marks.append(None)
        marks.append(self._head(git_folder(repo.root)))
        marks.append(self._files_mark(folder / "tasks"))
        return tuple(marks)

    @staticmethod
    def _files_mark(folder: os.PathLike[str] | str) -> int | None:
        try:
            with os.scandir(folder) as entries:
                files = []
                for entry in entries:
                    try:
                        stat = entry.stat()
                    except OSError:
                        continue
                    files.append((entry.name, stat.st_mtime_ns, stat.st_size))
        except OSError:
            return None
        return hash(tuple(sorted(files)))

    @staticmethod
    def _head(git_dir: Path | None) -> str | None:
        if git_dir is None:
            return None
        try:
            head = open(os.path.join(git_dir, "HEAD"), encoding="utf-8").read().strip()
            if head.startswith("ref: "):
                common = common_git_folder(git_dir)  # a linked work tree's branches are shared
                ref = os.path.join(common, head[5:])
                if os.path.exists(ref):
                    return open(ref, encoding="utf-8").read().strip()
                return head + str(os.stat(os.path.join(common, "packed-refs")).st_mtime_ns)
            return head
        except OSError:
            return None

    def check_for_changes(self) -> None:
        if not self.is_active:
            return  # a dialog is open, maybe committing: look again once it is closed
        if self.signature is not None:
            self._look_for_changes(self.signature)

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _look_for_changes(self, known: tuple[object, ...]) -> None:
        now = self._signature()
        if now != known:
            duban_app(self).call_from_thread(self._changed_on_disk, known, now)

    def _changed_on_disk(self, known: tuple[object, ...], now: tuple[object, ...]) -> None:
        if self.signature == known and self.is_active:  # not meanwhile reloaded, nor a dialog opened
            self.signature = now
            self.say(_("The plan changed on disk; reloading."), timeout=3)
            self.load()  # the filter box keeps what the user typed

    def after_own_commit(self) -> None:
        """Reload after a commit the TUI made, without the 'changed on disk' message."""
        self.signature = None
        self.load()

    # -- the area tree --
    def _fill_tree(self) -> None:
        assert self.selection is not None
        tree = self.query_one("#areas", Tree)
        tree.clear()
        plan = duban_app(self).repo.plan(self.plan_id)
        tree.root.data = None
        for area in plan.areas:
            tree.root.add_leaf(Text(area.name), data=area.name)
        tree.root.expand()
        self._label_tree(self.selection.tasks)

    def _label_tree(self, matching: list[Task]) -> None:
        """Each area with the count and lights of the tasks the filter matches, the chosen
        area marked ▶, so the tree follows the filter. The lights are counted once every
        task's light is known (see warm), so a load never waits for 10,000 of them."""
        assert self.selection is not None
        tree = self.query_one("#areas", Tree)
        counts: dict[str, int] = {}
        colours: dict[tuple[str, str], int] = {}
        light_of = self.selection.light_of if self.lights_known else None
        for task in matching:  # one pass: this runs on every keystroke, over every match
            counts[task.area] = counts.get(task.area, 0) + 1
            if light_of is not None:
                key = (task.area, light_of(task).colour)
                colours[key] = colours.get(key, 0) + 1
        self._set_label(tree.root, Text(f"{self.plan_id} ({len(matching)})",
                                        style="" if self.area_scope else "bold"))
        for node in tree.root.children:
            area = str(node.data)
            label = Text(("▶ " if node.data == self.area_scope else "") + f"{area} ({counts.get(area, 0)}) ",
                         style="bold" if node.data == self.area_scope else "")
            for colour in ("red", "yellow", "green"):
                count = colours.get((area, colour), 0)
                if count:
                    label.append(f"●{count} ", style=LIGHT_STYLE[colour])
            self._set_label(node, label)

    @staticmethod
    def _set_label(node: TreeNode[object], label: Text) -> None:
        if node.label != label:  # an unchanged label is not redrawn
            node.set_label(label)

    @on(Tree.NodeSelected, "#areas")
    def area_chosen(self, event: Tree.NodeSelected) -> None:
        self.area_scope = event.node.data
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
            line.append(f"  · {self.area_scope}")
        line.append(f"  · {_('as of')} {self.selection.as_of.isoformat()}")
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
        self.table.load_more_if_near_end()
        self.show_detail()

    @on(DataTable.RowSelected, "#tasks")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: the task's card, in a dialog when the pane is hidden."""
        if not self.query_one("#detail-pane").display or self.has_class("-narrow"):
            task = self.current_task()
            if task is not None and self.selection is not None:
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
        tree = self.query_one("#areas", Tree)
        tree.display = not tree.display

    def action_reload(self) -> None:
        self.load()

    def action_switch_plan(self) -> None:
        duban_app(self).switch_plan(self.plan_id)

    def action_as_of(self) -> None:
        from duban.tui.dialogs.as_of import AsOfDialog

        def chosen(day: str | None) -> None:
            if day is not None:
                self.as_of = day or None
                self.load()

        self.app.push_screen(AsOfDialog(self.as_of), chosen)

    def _typing_in_a_box(self) -> None:
        if isinstance(self.focused, Input):
            raise SkipAction()  # a letter typed in the filter box

    async def action_progress(self) -> None:
        from duban.tui.dialogs.progress_form import ProgressForm

        self._typing_in_a_box()
        await self._open_form(ProgressForm)

    async def action_fields(self) -> None:
        from duban.tui.dialogs.fields_form import FieldsForm

        self._typing_in_a_box()
        await self._open_form(FieldsForm, reported=False)

    async def _open_form(self, form: type, reported: bool = True) -> None:
        """Open a form on the selected task; after a commit, say so and reload."""
        task = await self.task_at_cursor()
        if task is None:
            self.say(_("Select a task first."), "warning")
            return
        current = self._task_on_disk(task)
        if current is None:
            return

        def done(sha: str | None) -> None:
            if sha:  # a report is 报送; a change of fields is only a commit
                self.say((_("Recorded and committed as {sha}.") if reported else _("Committed as {sha}.")).format(
                    sha=sha[:10]))
                self.after_own_commit()

        await self.app.push_screen(form(current, self.selection), done)  # up, its field focused, before the next key

    def _plan_on_disk(self) -> Plan | None:
        """The plan as its folder has it now; None, with one line saying why, when the folder
        is gone (renamed, or a `git checkout` of a branch without it) or cannot be read."""
        try:
            return duban_app(self).repo.plan(self.plan_id)
        except DubanError as error:
            self.say(str(error), "error", 10)
            return None

    def _task_on_disk(self, task: Task) -> Task | None:
        """The task as its file has it now (see _plan_on_disk): a form or the editor opens on it."""
        if self._plan_on_disk() is None:
            return None
        try:
            return duban_app(self).repo.resolve(task.ref)
        except DubanError as error:
            self.say(str(error), "error", 10)
            return None

    async def action_history(self) -> None:
        from duban.tui.screens.history import HistoryScreen

        task = await self.task_at_cursor()
        if task is not None:
            self.app.push_screen(HistoryScreen(task.ref))

    def action_plan_log(self) -> None:
        from duban.tui.screens.history import HistoryScreen

        def jump(ref: str | None) -> None:
            if ref:
                self.jump_to(ref)

        self.app.push_screen(HistoryScreen(None, plan_id=self.plan_id), jump)

    def action_units(self) -> None:
        from duban.tui.screens.units import UnitPicker

        def chosen(unit: str | None) -> None:
            if unit:
                self.query_one("#filter", Input).value = f'unit:"{unit}"'

        self.app.push_screen(UnitPicker(self.plan_id, self.selection), chosen)

    def action_overview(self) -> None:
        if self.selection is None:
            return
        from duban.tui.screens.overview import OverviewScreen

        def chosen(query: str | None) -> None:
            if query is not None:
                self.area_scope = None
                self.query_one("#filter", Input).value = query
                self.refilter()
                self.table.focus()

        self.app.push_screen(OverviewScreen(self.selection), chosen)

    async def action_round(self) -> None:
        self._typing_in_a_box()
        if self.selection is None:
            return
        from duban.tui.screens.round import RoundScreen
        from duban.tui.screens.units import UnitPicker

        app = duban_app(self)
        plan = self._plan_on_disk()
        if plan is None:
            return

        def start(unit: str | None) -> AwaitMount | None:
            if not unit or self.selection is None:
                return None
            app.set_my_unit(unit)

            def finished(count: int | None) -> None:
                if count:
                    self.after_own_commit()

            return self.app.push_screen(RoundScreen(plan, unit, self.selection), finished)

        async def picked(unit: str | None) -> None:
            mounted = start(unit)
            if mounted is not None:
                await mounted  # as when the unit was known: the round is up before the next key

        mine = app.my_unit()
        mounted = start(mine) if mine and plan.units.resolve(mine) is not None else None
        if mounted is not None:
            await mounted  # up, its first percent focused, before the next key
        else:
            self.app.push_screen(UnitPicker(self.plan_id, self.selection,
                                            title=_("My unit: choose the unit whose tasks you report")), picked)

    def action_collect(self) -> None:
        """Returned report forms read, previewed and recorded (duban collect); reload after."""
        from duban.tui.screens.collect import CollectScreen

        self._typing_in_a_box()

        def finished(count: int | None) -> None:
            if count:
                self.say(_("Recorded {count} reports from the forms.").format(count=count))
                self.after_own_commit()

        self.app.push_screen(CollectScreen(), finished)

    def action_undo(self) -> None:
        """Take back this clone's last change with a revert commit (duban undo): the first z
        names it and whose it is, a second z within the toast's time takes back that change
        and no other. A change another clone made (brought by sync) is refused by name."""
        from duban.record.undo import last_change, undo_last, whose

        repo = duban_app(self).repo
        try:
            commit, _path = last_change(repo)
            if self.undo_asked != commit.sha:
                self.undo_asked = commit.sha
                self.set_timer(8, self._forget_undo)
                self.say(_("Press z again to take back this clone's change {sha} {subject} ({whose})").format(
                    sha=commit.sha[:10], subject=commit.subject, whose=whose(commit)), "warning", 8)
                return
            self.undo_asked = None
            recorded = undo_last(repo, reason=_("taken back in the terminal UI"), expected=commit.sha)
        except DubanError as error:
            self.undo_asked = None
            self.say(str(error), "error", 10)
            return
        self.say(_("Taken back by {sha}.").format(sha=recorded.sha[:10]))
        self.after_own_commit()

    def _forget_undo(self) -> None:
        self.undo_asked = None

    def action_export(self) -> None:
        if self.selection is None:
            return
        if self.query_one("#filter").has_class("invalid"):
            self.say(_("The filter cannot be read, so the rows shown are not its tasks: correct it first."),
                     "warning")
            return
        from duban.tui.dialogs.export import ExportDialog

        self.app.push_screen(ExportDialog(self.plan_id, self.selection, self.shown))

    def action_problems(self) -> None:
        from duban.tui.screens.problems import ProblemsScreen

        def jump(ref: str | None) -> None:
            if not ref:
                return
            broken = next((p for p in self.unreadable
                           if os.path.splitext(os.path.basename(p))[0] == ref.split("/")[-1]), None)
            if broken is not None:  # not in the table: open the file so the problem can be fixed
                from duban.tui.editing import edit_unreadable_file

                if edit_unreadable_file(self, broken):
                    self.after_own_commit()
                return
            self.jump_to(ref)

        self.app.push_screen(ProblemsScreen(self.plan_id), jump)

    def jump_to(self, ref: str) -> None:
        box = self.query_one("#filter", Input)
        box.value = f"id:{ref.split('/')[-1]}"
        self.area_scope = None
        self.refilter()
        self.table.focus()

    async def action_edit(self) -> None:
        shown = await self.task_at_cursor()
        task = self._task_on_disk(shown) if shown is not None else None
        if task is None:
            return
        from duban.tui.editing import edit_task

        try:
            recorded = edit_task(self, task)
        except (DubanError, OSError) as error:  # the file went while the editor was open
            self.say(str(error), "error", 10)
            return
        if recorded:
            self.say(_("Committed as {sha}.").format(sha=recorded.sha[:10]))
            self.after_own_commit()

    def palette_commands(self) -> Iterable[SystemCommand]:
        from duban.tui.screens.help import key_name

        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.action.startswith("app."):
                continue
            # The help is read as markup: the key goes in parentheses, not [brackets].
            yield SystemCommand(binding.description, f"({key_name(binding.key)})",
                                getattr(self, f"action_{binding.action}"))
