"""A process that makes apps in two languages (the tests do) reloads duban.tui's modules: each
must be reloaded after those it takes from, or a screen keeps the class it was built on
before. main.py sorted before task_screen.py, so MainScreen stayed on the old TaskScreen, whose
handler of AreaTree.Chosen waited for the old class's message: choosing an area did nothing."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

from duban.tui import make_app
from tests.tui.support import make_repo


def stale_bases() -> list[str]:
    """Each duban.tui class built on a duban.tui class its module no longer holds."""
    stale = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("duban.tui.") or module is None:
            continue
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != name:
                continue
            for base in cls.__bases__:
                home = sys.modules.get(base.__module__)
                if base.__module__.startswith("duban.tui.") and getattr(home, base.__qualname__, base) is not base:
                    stale.append(f"{name}.{cls.__qualname__} on an old {base.__module__}.{base.__qualname__}")
    return stale


def test_every_screen_is_built_on_the_classes_of_the_language_now(tmp_path: Path) -> None:
    import duban.tui

    repo = make_repo(tmp_path / "repo", "2019-changning")
    for language in ("zh", "en", "zh"):
        make_app(repo, "2019-changning", language, "2019-06-30")
        for module in pkgutil.walk_packages(duban.tui.__path__, "duban.tui."):  # all of them, as a run imports them
            importlib.import_module(module.name)
        assert not stale_bases(), language
