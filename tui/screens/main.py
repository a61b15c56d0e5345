"""MainScreen: the plan's tasks (TaskScreen, task_screen.py) and the keys that open a form,
a screen or a dialog on the task under the cursor or on the plan."""

from __future__ import annotations

import os
from collections.abc import Iterable

from textual.actions import SkipAction
from textual.app import SystemCommand
from textual.binding import Binding
from textual.widget import AwaitMount
from textual.widgets import Input

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Plan, Task
from duban.tui.access import duban_app
from duban.tui.screens.task_screen import TaskScreen


class MainScreen(TaskScreen):
    CSS_PATH = "main.tcss"
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

    def action_as_of(self) -> None:
        # Deferred: loads duban.tui.dialogs.as_of (2 duban modules in all) only when this runs
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
        # Deferred: loads duban.tui.dialogs.progress_form (37 duban modules in all; ruamel, yaml) only when this runs
        from duban.tui.dialogs.progress_form import ProgressForm

        self._typing_in_a_box()
        await self._open_form(ProgressForm)

    async def action_fields(self) -> None:
        # Deferred: loads duban.tui.dialogs.fields_form (33 duban modules in all; ruamel, yaml) only when this runs
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
                self.say(
                    (_("Recorded and committed as {sha}.") if reported else _("Committed as {sha}.")).format(
                        sha=sha[:10]
                    )
                )
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
        # Deferred: loads duban.tui.screens.history (4 duban modules in all) only when this runs
        from duban.tui.screens.history import HistoryScreen

        task = await self.task_at_cursor()
        if task is not None:
            self.app.push_screen(HistoryScreen(task.ref))

    def action_plan_log(self) -> None:
        # Deferred: loads duban.tui.screens.history (4 duban modules in all) only when this runs
        from duban.tui.screens.history import HistoryScreen

        def jump(ref: str | None) -> None:
            if ref:
                self.jump_to(ref)

        self.app.push_screen(HistoryScreen(None, plan_id=self.plan_id), jump)

    def action_units(self) -> None:
        # Deferred: loads duban.tui.screens.units (2 duban modules in all) only when this runs
        from duban.tui.screens.units import UnitPicker

        def chosen(unit: str | None) -> None:
            if unit:
                self.query_one("#filter", Input).value = f'unit:"{unit}"'

        self.app.push_screen(UnitPicker(self.plan_id, self.selection), chosen)

    def action_overview(self) -> None:
        if self.selection is None:
            return
        # Deferred: loads duban.tui.screens.overview (3 duban modules in all; textual) only when this runs
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
        # Deferred: loads duban.tui.screens.round and 1 more (38 duban modules in all; ruamel, yaml) only when this runs
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
            self.app.push_screen(
                UnitPicker(self.plan_id, self.selection, title=_("My unit: choose the unit whose tasks you report")),
                picked,
            )

    def action_collect(self) -> None:
        """Returned report forms read, previewed and recorded (duban collect); reload after."""
        # Deferred: loads duban.tui.screens.collect (39 duban modules in all; ruamel, yaml) only when this runs
        from duban.tui.screens.collect import CollectScreen

        self._typing_in_a_box()

        def finished(count: int | None) -> None:
            if count:
                self.say(_("Recorded {count} reports from the forms.").format(count=count))
                self.after_own_commit()

        self.app.push_screen(CollectScreen(), finished)

    def action_undo(self) -> None:
        """duban undo, asked once and confirmed by a second z (duban.tui.undo_press)."""
        if self.undo.press(self):
            self.after_own_commit()

    def action_export(self) -> None:
        if self.selection is None:
            return
        if self.query_one("#filter").has_class("invalid"):
            self.say(_("The filter cannot be read, so the rows shown are not its tasks: correct it first."), "warning")
            return
        # Deferred: loads duban.tui.dialogs.export (2 duban modules in all) only when this runs
        from duban.tui.dialogs.export import ExportDialog

        self.app.push_screen(ExportDialog(self.plan_id, self.selection, self.shown))

    def action_problems(self) -> None:
        # Deferred: loads duban.tui.screens.problems only when this runs
        from duban.tui.screens.problems import ProblemsScreen

        def jump(ref: str | None) -> None:
            if not ref:
                return
            broken = next(
                (p for p in self.unreadable if os.path.splitext(os.path.basename(p))[0] == ref.split("/")[-1]), None
            )
            if broken is not None:  # not in the table: open the file so the problem can be fixed
                # Deferred: loads duban.tui.editing (32 duban modules in all; click, ruamel, yaml) only when this runs
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
        # Deferred: loads duban.tui.editing (32 duban modules in all; click, ruamel, yaml) only when this runs
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
        # Deferred: loads duban.tui.screens.help only when this runs
        from duban.tui.screens.help import key_name

        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.action.startswith("app."):
                continue
            # The help is read as markup: the key goes in parentheses, not [brackets].
            yield SystemCommand(
                binding.description, f"({key_name(binding.key)})", getattr(self, f"action_{binding.action}")
            )
