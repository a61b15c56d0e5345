"""DubanApp: opens on a repository, picks a plan, and hosts the main screen and its dialogs.

An unexpected error never leaves a traceback on the terminal: it is written to a log file,
the app closes, and `duban tui` prints one line and exits 3 (see cli/commands/tui.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import tempfile
import traceback
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from duban.i18n import _, set_language
from duban.store.layout import git_folder
from duban.store.repository import Repository

MY_UNIT_FILE = "duban-my-unit"  # in .git/: the unit this clone reports for, never committed


_DIRECTION_CONTROLS = {code: None for code in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _without_direction_controls(driver: type) -> type:
    class Driver(driver):
        def write(self, data: str) -> None:
            super().write(data.translate(_DIRECTION_CONTROLS))

    Driver.__name__ = Driver.__qualname__ = driver.__name__
    return Driver


class DubanApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "duban 督办"
    BINDINGS = [
        Binding("q", "quit", _("Quit"), priority=False),
        Binding("question_mark", "help", _("Help"), key_display="?"),
        # Textual's own would say "palette" in every language.
        Binding("ctrl+p", "command_palette", _("Commands"), show=False, priority=True),
    ]

    def __init__(
        self, root: Path, plan_id: str | None = None, language: str | None = None, as_of: str | None = None
    ) -> None:
        # Build it with duban.tui.make_app, which sets the language before the screens load.
        self.language = set_language(language)
        # Deferred: loads duban.tui.whole_cells only when this runs
        from duban.tui.whole_cells import keep_wide_characters_whole

        keep_wide_characters_whole()  # Textual issue 6357: 命令 read `  令` where widgets meet (T10)
        # Deferred with the line above: the glyphs and the legacy console's pieces are chosen here
        from duban.text.glyphs import ascii_chosen
        from duban.tui.legacy_console import ASCII_CSS, choose_scrollbars

        self.ascii = ascii_chosen()  # --ascii, DUBAN_ASCII or a legacy console: one-cell characters only
        choose_scrollbars(self.ascii)
        super().__init__(css_path=[self.CSS_PATH, ASCII_CSS] if self.ascii else None)
        self.repo = Repository(root)
        self.start_plan = plan_id
        self.as_of = as_of  # show plans as of this date (None: today)
        self.unsaved_edits: dict[str, tuple[str, str, str]] = {}  # ref -> (rejected text, its problems, base)
        self.crash_log: str | None = None  # where the traceback of an unexpected error went
        self.crash_kind: str | None = None
        self.terminated = False  # closed by SIGTERM
        self.title = _("duban: supervise the work plan")

    def get_css_variables(self) -> dict[str, str]:
        """Textual's variables and duban's border types by role ($frame, $line, $field), in
        ASCII when the app draws in ASCII (tui/legacy_console.py)."""
        # Deferred: Textual asks for the variables before __init__ has run
        from duban.tui.legacy_console import css_variables

        return {**super().get_css_variables(), **css_variables(getattr(self, "ascii", False))}

    def get_key_display(self, binding: Binding) -> str:
        """A key as the footer shows it: Textual's ⏎ ↑ ↓ as names (Enter, Up) when the app draws
        in ASCII."""
        shown = super().get_key_display(binding)
        if self.ascii and not shown.isascii():
            # Deferred: the screens import the app's module (through tui.access)
            from duban.tui.screens.help import key_name

            return key_name(binding.key)
        return shown

    def get_driver_class(self) -> type:
        """Textual's driver for this terminal, with text-direction controls taken out of what it
        writes (N14): the screens show them written out (task_table.visible), and one that a
        screen missed can still not reorder a title on the terminal. Textual itself writes none."""
        return _without_direction_controls(super().get_driver_class())

    # -- an unexpected error: log file, clean terminal, exit 3 --
    def _handle_exception(self, error: Exception) -> None:
        self._return_code = 3
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        with tempfile.NamedTemporaryFile(
            "w", prefix="duban-crash-", suffix=".log", delete=False, encoding="utf-8"
        ) as log:
            traceback.print_exception(type(error), error, error.__traceback__, file=log)
        self.crash_log, self.crash_kind = log.name, type(error).__name__
        self._close_messages_no_wait()

    def on_unmount(self) -> None:
        # Deferred: loads duban.memory only when this runs
        from duban import memory

        self._forget_signals()
        memory.unsettle()  # see TaskScreen._settle_memory: what was long-lived may now be garbage

    # -- SIGTERM: leave the terminal as it was, as on q (audit T21) --
    def _catch_signals(self) -> None:
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self._terminated)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or a platform without loop signal handlers
        else:
            self._signals_caught = True

    def _forget_signals(self) -> None:
        if getattr(self, "_signals_caught", False):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
            self._signals_caught = False

    def _terminated(self) -> None:
        """`kill`: close as on q, so the driver leaves the alternate screen, turns mouse
        reporting off and shows the cursor; `duban tui` then exits 143, as killed by SIGTERM."""
        self.terminated = True
        self.exit(return_code=128 + signal.SIGTERM)

    def action_command_palette(self) -> None:
        """Ctrl+P: Textual's palette, with its search box in duban's language."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's English hint, in duban's language."""
        self.notify(_("Press q to quit duban."), title=_("Quit?"), markup=False)

    def on_mount(self) -> None:
        # Deferred: loads duban.tui.screens.main and 1 more (29 duban modules in all; textual) only when this runs
        from duban.tui.screens.main import MainScreen
        from duban.tui.screens.plan_picker import PlanPicker

        self._catch_signals()

        plans = self.repo.plan_ids()
        if self.start_plan or len(plans) == 1:
            self.push_screen(MainScreen(self.start_plan or plans[0]))
        else:
            self.push_screen(PlanPicker())

    def open_plan(self, plan_id: str) -> None:
        # Deferred: loads duban.tui.screens.main (28 duban modules in all; textual) only when this runs
        from duban.tui.screens.main import MainScreen

        self.push_screen(MainScreen(plan_id))

    def switch_plan(self, current: str | None = None) -> None:
        """The plan picker over the plan `current`, without quitting: Esc goes back to it as it
        was (filter, row), another plan replaces it."""
        # Deferred: loads duban.tui.screens.plan_picker (5 duban modules in all; textual) only when this runs
        from duban.tui.screens.plan_picker import PlanPicker

        self.push_screen(PlanPicker(current))

    def replace_plan(self, plan_id: str) -> None:
        """From the picker over a plan: that plan's screen gives way to `plan_id`'s."""
        # Deferred: loads duban.tui.screens.main (28 duban modules in all; textual) only when this runs
        from duban.tui.screens.main import MainScreen

        self.pop_screen()  # the picker
        self.switch_screen(MainScreen(plan_id))

    # -- "my unit", remembered per repository --
    def _my_unit_path(self) -> Path | None:
        git_dir = git_folder(self.repo.root)
        return git_dir / MY_UNIT_FILE if git_dir is not None else None

    def my_unit(self) -> str | None:
        path = self._my_unit_path()
        try:
            return path.read_text(encoding="utf-8").strip() or None if path else None
        except OSError:
            return None

    def set_my_unit(self, unit: str) -> None:
        path = self._my_unit_path()
        if path is not None:
            path.write_text(unit + "\n", encoding="utf-8")

    def action_help(self) -> None:
        # Deferred: loads duban.tui.screens.help (6 duban modules in all; textual) only when this runs
        from duban.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's own (Theme, Quit, Keys, Maximize, Screenshot) speak English only: duban's
        # words instead, and only what a clerk needs.
        yield SystemCommand(_("Quit"), _("Close duban"), self.action_quit)
        yield SystemCommand(_("Help: every key binding"), _("Show the key bindings"), self.action_help)
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
