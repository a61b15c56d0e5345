"""RoundScreen: a unit's monthly round. Every task the unit leads or supports is one row, with
its percent, value (for numeric targets), status and note; Ctrl+S records each filled row as
one commit, through the same core code as `duban progress`, and says what was recorded.

What a row records is what was typed on it, for the round's unit: a percent left empty is the
unit's own last figure (docs/reading.md rule 1: a supporting unit's report is its own part),
never the lead's nor another unit's; a unit that has not reported on the task yet is asked
for one. Keys typed ahead land in the field they were typed for (see duban.tui.typeahead).

Rows are built a page at a time (PAGE rows, widgets reused from page to page), so a unit
with thousands of tasks opens as fast as one with twenty; what was typed lives in RowState.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static
from textual.worker import WorkerError

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Plan
from duban.record.report_checks import NewReport, report_warnings
from duban.record.writer import InvalidEdit
from duban.supervise.selection import Selection
from duban.text.glyphs import glyph
from duban.text.hygiene import clean
from duban.tui.access import duban_app
from duban.tui.dates import default_report_date, typed_day
from duban.tui.round_rows import RoundEntry, RowState, row_entry, unit_tasks
from duban.tui.typeahead import handled
from duban.tui.widgets.round_row import RoundRow, StatusList
from duban.tui.widgets.text_input import TextInput

PAGE = 30  # rows built at a time: a page of a 2,363-task round opens as fast as a 22-task one


class RoundScreen(ModalScreen[int | None]):
    CSS_PATH = "round.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", _("Save the filled rows"), priority=True),
        Binding("escape", "close", _("Close")),
        Binding("ctrl+o", "change_unit", _("Another unit"), priority=True),
        Binding("pagedown", "page(1)", _("Next page"), priority=True),
        Binding("pageup", "page(-1)", _("Previous page"), priority=True),
        # Priority: the app moves the focus before it takes the next key (duban.tui.typeahead).
        Binding("enter", "next_field", show=False, priority=True),
        Binding("tab", "tab(1)", show=False, priority=True),
        Binding("shift+tab", "tab(-1)", show=False, priority=True),
    ]

    def __init__(self, plan: Plan, unit: str, selection: Selection) -> None:
        super().__init__()
        self.plan = plan
        self.plan_id = plan.id
        self.unit = unit
        self.selection = selection
        self.tasks_ = unit_tasks(selection, unit)
        self.states = [RowState(task, role, tuple(selection.lead(task))) for task, role in self.tasks_]
        self.page = 0
        self.warned: list[RoundEntry] | None = None
        self.recorded = 0
        self.discarding = False
        self.saving = False
        self.holding_keys = False  # an Esc waits for the save to end: the app takes no key meanwhile
        self.needs_reason = False  # set once the app is there (compose)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":  # PgDn and PgUp only where there is a page to turn to
            return len(self.states) > PAGE
        return True

    # -- layout --
    def compose(self) -> ComposeResult:
        # Deferred: loads duban.guard.access (3 duban modules in all) only when this runs
        from duban.guard.access import reason_needed

        app = duban_app(self)
        day = default_report_date(self.plan.year, app.as_of, None)
        # The office records on a unit's behalf only with the paper or form it came from (the guard's rule).
        self.needs_reason = reason_needed(app.repo.root, self.unit, app.my_unit())
        with Vertical(id="round-box"):
            yield Static(
                Text(
                    _(
                        "Monthly round of {unit}: {count} tasks it leads or supports. Fill the rows to "
                        "report; empty rows are skipped."
                    ).format(unit=self.unit, count=len(self.states))
                ),
                id="round-title",
            )
            with Horizontal(id="round-date-row"):
                yield Label(_("Report date"))
                yield TextInput(day, id="round-date", compact=True)
                yield Label(Text(_("Reporting unit: {unit}").format(unit=self.unit)), id="round-unit")
                if self.needs_reason:
                    yield Label(_("Reason"), id="round-reason-label")
                    yield TextInput(
                        "", placeholder=_("the paper or form the reports came from"), id="round-reason", compact=True
                    )
            with Horizontal(id="round-header", classes="round-line"):
                yield Label("%", classes="round-percent")
                yield Label(_("value"), classes="round-value")
                yield Label(_("status"), classes="round-status")
                yield Label(_("note"), classes="round-note")
            rows = VerticalScroll(id="round-rows")
            rows.can_focus = False  # no stop without a caret between the date and the first row
            with rows:
                for slot in range(min(PAGE, len(self.states))):
                    yield RoundRow(slot)
                if not self.states:
                    yield Static(_("This unit leads or supports no task of this plan."))
            yield Static("", id="round-page", markup=False)
            yield Static("", id="round-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._bind_page()
        if self.states:
            self.set_focus(self.row_widgets()[0].text("percent"))

    def row_widgets(self) -> list[RoundRow]:
        return list(self.query(RoundRow))

    def shown(self) -> list[RoundRow]:
        """The rows of the page shown, each bound to its state."""
        return [row for row in self.row_widgets() if row.display and row.state is not None]

    def rows(self) -> list[RowState]:
        return self.states

    def _bind_page(self) -> None:
        start = self.page * PAGE
        for row in self.row_widgets():
            index = start + row.slot
            if index < len(self.states):
                row.display = True
                row.bind(self.states[index], self.unit, self.plan)
            else:
                row.display = False
                row.state = None
        pages = (len(self.states) + PAGE - 1) // PAGE
        page_line = self.query_one("#round-page", Static)
        page_line.display = pages > 1
        if pages > 1:
            page_line.update(
                _("Rows {first}-{last} of {count} (page {page} of {pages}; PgDn, PgUp)").format(
                    first=start + 1,
                    last=min(start + PAGE, len(self.states)),
                    count=len(self.states),
                    page=self.page + 1,
                    pages=pages,
                )
            )
        self.query_one("#round-rows", VerticalScroll).scroll_home(animate=False)

    def _fields(self) -> list[Widget]:
        """Every widget that takes keys on this screen, for waiting until they have handled them."""
        return [*self._heading_fields(), *(w for row in self.row_widgets() for w in row.chain())]

    def _heading_fields(self) -> list[Widget]:
        """The date, and the reason where the office records on the unit's behalf."""
        return [self.query_one("#round-date"), *self.query("#round-reason")]

    async def _read_all(self) -> None:
        """Once every field has handled the keys typed before now, what they hold into the states."""
        await handled(self._fields())
        for row in self.shown():
            row.read()

    async def _turn_to(self, page: int) -> None:
        await self._read_all()
        self.page = page
        self._bind_page()

    # -- moving on: in the app's order of keys --
    def _chain(self, enter: bool) -> list[Widget]:
        return [*self._heading_fields(), *(w for row in self.shown() for w in row.chain(enter))]

    async def action_next_field(self) -> None:
        """Enter: the next field of the row, then the next row's percent, then the next page."""
        await self._move(1, enter=True)

    async def action_tab(self, step: int) -> None:
        await self._move(step, enter=False)

    async def _move(self, step: int, enter: bool) -> None:
        if isinstance(self.focused, StatusList):
            # Text typed on the list ahead of this key goes to the note once the list takes it:
            # move on from where that text puts the focus, not from the list.
            await handled([self.focused])
        chain = self._chain(enter)
        focused = self.focused
        if focused not in chain:
            if focused is None and not enter and chain:
                self.set_focus(chain[0])
                return
            raise SkipAction()  # Enter on the status opens its list; keys of the open list are its own
        index = chain.index(focused) + step
        pages = (len(self.states) + PAGE - 1) // PAGE
        if index >= len(chain):
            if self.page + 1 < pages:
                await self._turn_to(self.page + 1)
                self.set_focus(self.shown()[0].text("percent"))
            elif enter:
                self._say(_("That was the last row: Ctrl+S records the filled rows."))
        elif index == 0 and step < 0 and self.page > 0:
            await self._turn_to(self.page - 1)
            self.set_focus(self.shown()[-1].text("note"))
        elif index >= 0:
            self.set_focus(chain[index])

    async def action_page(self, step: int) -> None:
        pages = (len(self.states) + PAGE - 1) // PAGE
        page = min(max(self.page + step, 0), max(pages - 1, 0))
        if page != self.page:
            await self._turn_to(page)
            self.set_focus(self.shown()[0].text("percent"))

    @on(Input.Changed)
    @on(Select.Changed)
    def typed_again(self) -> None:
        self.discarding = False  # a question about discarding answers what was typed before

    # -- saving --
    def _say(self, message: str, style: str = "") -> None:
        self.query_one("#round-status", Static).update(Text(message, style=style))

    async def action_save(self) -> None:
        if self.saving:
            self._say(_("Still recording the rows: wait for it to finish."), "bold yellow")
            return
        await self._read_all()
        try:
            day = typed_day(self.query_one("#round-date", Input).value, self.plan.year)
        except DubanError as problem:
            self._say(problem.message, "bold red")
            return
        reason = ""
        if self.needs_reason:
            try:
                reason = clean(self.query_one("#round-reason", Input).value, _("the reason")).strip()
            except DubanError as problem:
                self._say(problem.message, "bold red")
                return
            if not reason:
                self._say(
                    _(
                        "Recording for {unit}: write the reason, the paper or form the reports came from "
                        "(the shared repository refuses them without one)."
                    ).format(unit=self.unit),
                    "bold red",
                )
                self.set_focus(self.query_one("#round-reason", Input))
                return
        self.saving = True
        self._say(_("Reading the rows…"))
        self.save(day.isoformat(), reason)

    @work(thread=True, exclusive=True, group="round-save")
    def save(self, date: str, reason: str = "") -> None:
        """Read every filled row against the task as it is now, then record them one commit each."""
        app = duban_app(self)
        try:
            self._save(date, reason)
        finally:
            app.call_from_thread(setattr, self, "saving", False)

    def _save(self, date: str, reason: str) -> None:
        # Deferred: loads duban.record.recording (4 duban modules in all) only when this runs
        from duban.record.recording import record_progress

        app = duban_app(self)
        filled = [(state, state.typed()) for state in self.states if any(state.typed())]
        entries: list[tuple[RowState, tuple[str, str, str | None, str], RoundEntry]] = []
        problems: list[tuple[RowState, str]] = []
        warnings: list[str] = []
        for state, typed in filled:
            try:
                task = app.repo.resolve(state.task.ref)  # as it is now: another clone may have reported
            except DubanError as problem:
                problems.append((state, problem.message))
                continue
            found = row_entry(state, self.unit, self.plan, task)
            if isinstance(found, str):
                problems.append((state, found))
            elif found is not None:
                entries.append((state, typed, found))
                report = NewReport(
                    dt.date.fromisoformat(date),
                    found.percent,
                    note=found.note,
                    unit=self.unit,
                    value=found.value,
                    status=found.status,
                )
                warnings.extend(f"{task.id}: {warning}" for warning in report_warnings(task, report))
        if problems:
            # Nothing is recorded until every filled row reads: a clerk fixes the marked rows
            # and saves once, rather than finding half the round saved.
            app.call_from_thread(self._unreadable, problems)
            return
        app.call_from_thread(self._unmark_fixed, set())
        if not entries:
            done = sum(1 for state in self.states if state.result is not None and not state.refused)
            app.call_from_thread(
                self._say,
                _(
                    "Nothing new to record: {done} rows are recorded (✓); fill the percent, status or note of a row."
                ).format(done=done)
                if done
                else _("Nothing to record: fill the percent, status or note of a row."),
            )
            return
        asked = [entry for _state, _typed, entry in entries]
        if warnings and self.warned != asked:
            self.warned = asked
            app.call_from_thread(
                self._say,
                "⚠ "
                + _("{warnings}. Press Ctrl+S again to save anyway.").format(
                    warnings=_("; ").join(warnings[:6]) + (glyph("ellipsis") if len(warnings) > 6 else "")
                ),
                "bold yellow",
            )
            return
        self.warned = None
        app.call_from_thread(self._say, _("Recording {count} reports…").format(count=len(entries)))
        done = failed = 0
        for state, typed, entry in entries:
            try:
                recorded = record_progress(
                    app.repo,
                    entry.ref,
                    entry.percent,
                    note=entry.note,
                    status=entry.status,
                    date=date,
                    by=self.unit,
                    value=entry.value,
                    trailers=(("Reason", reason),) if reason else (),
                )
            except DubanError as problem:
                failed += 1
                # (not for what the round typed: its problems are the round's, not a file's)
                where = problem.where if problem.where and not isinstance(problem, InvalidEdit) else ""
                message = (
                    (f"{where}: " if where else "") + problem.message + (f" ({problem.hint})" if problem.hint else "")
                )
                app.call_from_thread(self._show, state, Text(glyph("cross") + " " + message, style="bold red"), True)
                continue
            done += 1
            # Textual runs the coroutine and waits for it; mypy cannot solve the result type of
            # call_from_thread's `T | Awaitable[T]` for a coroutine (it picks Never).
            app.call_from_thread(self._saved, state, typed, entry, recorded.sha)  # type: ignore[arg-type]
        self.recorded += done
        summary = _("Recorded {done} reports, one commit each; {failed} refused.").format(done=done, failed=failed)
        app.call_from_thread(self._say, summary, "bold green" if not failed else "bold yellow")

    def _row_of(self, state: RowState) -> RoundRow | None:
        return next((row for row in self.shown() if row.state is state), None)

    def _show(self, state: RowState, text: Text | None, refused: bool) -> None:
        state.result, state.refused = text, refused
        row = self._row_of(state)
        if row is not None:
            row.show_result(text)

    def _unmark_fixed(self, still_wrong: set[int]) -> None:
        """Rows refused before and not now (fixed or emptied since) lose their ✗; a ✓ of an earlier save stays."""
        for state in self.states:
            if state.refused and id(state) not in still_wrong:
                self._show(state, None, False)

    def _unreadable(self, problems: list[tuple[RowState, str]]) -> None:
        self._unmark_fixed({id(state) for state, _message in problems})
        for state, message in problems:
            self._show(state, Text(glyph("cross") + " " + message, style="bold red"), True)
        first = self.states.index(problems[0][0])
        refs = "、".join(state.task.id for state, _message in problems[:8]) + (
            glyph("ellipsis") if len(problems) > 8 else ""
        )
        self._say(
            _("Some rows cannot be read; nothing was recorded.")
            + " "
            + _("Fix the rows marked ✗ and save again.")
            + f" ({refs})",
            "bold red",
        )
        if first // PAGE != self.page:
            self.run_worker(self._show_page_of(first), group="round-page")

    async def _show_page_of(self, index: int) -> None:
        await self._turn_to(index // PAGE)
        self.set_focus(self.row_widgets()[index % PAGE].text("percent"))

    async def _saved(
        self, state: RowState, typed: tuple[str, str, str | None, str], entry: RoundEntry, sha: str
    ) -> None:
        """A row recorded: it says what went on record and starts again from that report. What
        was typed on it since the save began stays."""
        await self._read_all()
        shown = (
            f"{entry.percent:g}%"
            + (f"  {entry.value:g}" if entry.value is not None else "")
            + (f"  {_(entry.status)}" if entry.status else "")
            + (f"  {entry.note}" if entry.note else "")
        )
        try:
            state.task = duban_app(self).repo.resolve(state.task.ref)
        except DubanError:
            pass  # the commit is made; the row keeps what it had
        if state.typed() == typed:
            state.clear()
        state.result, state.refused = Text(glyph("tick") + " " + sha[:10] + "  " + shown, style="green"), False
        row = self._row_of(state)
        if row is not None:
            row.bind(state, self.unit, self.plan)

    # -- another unit, closing --
    def action_change_unit(self) -> None:
        # Deferred: loads duban.tui.screens.units (5 duban modules in all; textual) only when this runs
        from duban.tui.screens.units import UnitPicker

        def chosen(unit: str | None) -> None:
            if unit:
                duban_app(self).set_my_unit(unit)
                self.dismiss(self.recorded)
                # Once the round is gone: the screen under it opens the new unit's round.
                self.app.call_later(self.app.run_action, "screen.round")

        self.app.push_screen(
            UnitPicker(self.plan_id, self.selection, title=_("My unit: choose the unit whose tasks you report")), chosen
        )

    def unsaved(self) -> Iterator[RowState]:
        return (state for state in self.states if any(state.typed()))

    async def action_close(self) -> None:
        """Esc: close; with rows filled and not saved, the first Esc asks. Typed while the rows
        are being recorded, it waits for that to end (the app takes no key meanwhile): an Esc
        right after Ctrl+S closed the round as if discarding rows that were then recorded, with
        no word of it, and the screen under it was not reloaded for them."""
        self.holding_keys = True
        try:
            for worker in [w for w in self.workers if w.group == "round-save" and w.node is self]:
                with contextlib.suppress(WorkerError):  # (cancelled, or failed: the app says so)
                    await worker.wait()
        finally:
            self.holding_keys = False
        await self._read_all()
        if not self.discarding and any(True for _state in self.unsaved()):
            self.discarding = True
            self._say(_("Press Esc again to discard what you typed."), "bold yellow")
            return
        self.dismiss(self.recorded)
