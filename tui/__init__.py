"""duban's terminal UI (installed as duban.tui): a Textual app over the same core as the CLI."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

_loaded_language: tuple[str, bool] | None = None  # and whether in ASCII


def _reload_order(names: list[str]) -> list[str]:
    """`names` (loaded modules), each after the ones it takes a class, function or module from,
    so a screen is rebuilt on the widgets (and the translated key descriptions) of the new
    language, and a class on its base as reloaded: by name, main.py came before task_screen.py
    and MainScreen stayed on the TaskScreen of before, deaf to the new AreaTree.Chosen."""
    # Deferred: loads graphlib only when this runs
    from graphlib import TopologicalSorter

    wanted = set(names)

    def takes_from(name: str) -> set[str]:
        homes = {
            value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
            for value in vars(sys.modules[name]).values()
            if isinstance(value, ModuleType) or callable(value)
        }  # classes and functions
        return {home for home in homes if home in wanted and home != name}

    return list(TopologicalSorter({name: takes_from(name) for name in sorted(names)}).static_order())


def make_app(
    root: Path,
    plan_id: str | None = None,
    language: str | None = None,
    as_of: str | None = None,
    ascii: bool | None = None,
) -> Any:
    """The app in `language` (zh, en, or None for the locale's), drawn in ASCII when `ascii`
    (None: as duban draws now, duban/text/glyphs.py: --ascii, DUBAN_ASCII, a legacy console).

    Key binding descriptions are translated when a screen module is imported, so the
    language is set first; a process that switches language or glyphs reloads the screen modules.
    """
    global _loaded_language
    # Deferred: loads duban.i18n only when this runs
    from duban.i18n import set_language
    from duban.text.glyphs import ascii_chosen, use_ascii

    if ascii is not None:
        use_ascii(ascii)
    chosen = (set_language(language), ascii_chosen())
    if _loaded_language is not None and _loaded_language != chosen:
        for name in _reload_order([n for n in sys.modules if n.startswith("duban.tui.")]):
            importlib.reload(sys.modules[name])
    _loaded_language = chosen
    # Deferred: loads duban.tui.app (14 duban modules in all; rich, textual) only when this runs
    from duban.tui.app import DubanApp

    return DubanApp(root, plan_id, chosen[0], as_of)
