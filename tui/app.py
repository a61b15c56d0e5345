"""DubanApp: opens on a repository, picks a plan, and hosts the main screen and its dialogs."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from duban.i18n import _, set_language
from duban.repository import Repository


class DubanApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "duban 督办"
    BINDINGS = [Binding("q", "quit", _("Quit"), priority=False), Binding("question_mark", "help", _("Help"))]

    def __init__(self, root: Path, plan_id: str | None = None, language: str | None = None,
                 as_of: str | None = None) -> None:
        # Build it with duban.tui.make_app, which sets the language before the screens load.
        self.language = set_language(language)
        super().__init__()
        self.repo = Repository(root)
        self.start_plan = plan_id
        self.last_unit: str | None = None  # the reporting unit, remembered between reports
        self.as_of = as_of  # show plans as of this date (None: today)
        self.title = _("duban: supervise the work plan")

    def on_unmount(self) -> None:
        import gc

        gc.unfreeze()  # see MainScreen._settle_memory: what was long-lived may now be garbage

    def on_mount(self) -> None:
        from duban.tui.screens.main import MainScreen
        from duban.tui.screens.plan_picker import PlanPicker

        plans = self.repo.plan_ids()
        if self.start_plan or len(plans) == 1:
            self.push_screen(MainScreen(self.start_plan or plans[0]))
        else:
            self.push_screen(PlanPicker())

    def open_plan(self, plan_id: str) -> None:
        from duban.tui.screens.main import MainScreen

        self.push_screen(MainScreen(plan_id))

    def action_help(self) -> None:
        from duban.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(_("Help: every key binding"), _("Show the key bindings"), self.action_help)
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
