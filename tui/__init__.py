"""duban's terminal UI (installed as duban.tui): a Textual app over the same core as the CLI."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

_loaded_language: str | None = None


# Modules are reloaded after the ones they import from, so a screen picks up the widgets (and
# their translated key descriptions) of the new language, not the old ones; the forms' base
# (task_form) before the forms.
_LAYERS = ("duban.tui.access", "duban.tui.widgets.", "duban.tui.editing", "duban.tui.dialogs.task_form",
           "duban.tui.dialogs.", "duban.tui.screens.")


def _reload_order(name: str) -> tuple[int, str]:
    layer = next((i for i, prefix in enumerate(_LAYERS) if name.startswith(prefix)), len(_LAYERS))
    return layer, name


def make_app(root: Path, plan_id: str | None = None, language: str | None = None,
             as_of: str | None = None) -> Any:
    """The app in `language` (zh, en, or None for the locale's).

    Key binding descriptions are translated when a screen module is imported, so the
    language is set first; a process that switches language reloads the screen modules.
    """
    global _loaded_language
    from duban.i18n import set_language

    chosen = set_language(language)
    if _loaded_language is not None and _loaded_language != chosen:
        for name in sorted((n for n in sys.modules if n.startswith("duban.tui.")), key=_reload_order):
            importlib.reload(sys.modules[name])
    _loaded_language = chosen
    from duban.tui.app import DubanApp

    return DubanApp(root, plan_id, chosen, as_of)
