"""The core knows nothing of its interfaces: importing it loads neither Click nor Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import duban

# Every module of the core, subpackages included (the importer's too); the interfaces are
# installed as duban.cli and duban.tui and are the only ones allowed Click, Textual and Rich.
INTERFACES = ("duban.cli", "duban.tui", "duban.schema", "duban.__main__")
CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(duban.__path__, prefix="duban.") if not m.name.startswith(INTERFACES)
)


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {name.split(".")[0] for name in out.split()}


def test_core_module_list_is_not_empty() -> None:
    assert {"duban.model", "duban.validate.validation", "duban.store.yamlio", "duban.store.repository"} <= set(
        CORE_MODULES
    )
    assert "duban.importing.tables" in CORE_MODULES  # subpackages are walked too


def test_core_imports_neither_click_nor_textual_nor_rich() -> None:
    loaded = _loaded_after("\n".join(f"import {name}" for name in CORE_MODULES))
    assert not loaded & {"click", "textual", "rich"}


def test_validating_does_not_import_interfaces(tmp_path) -> None:
    from tests.support import copy_sample

    root = copy_sample(tmp_path / "repo")
    loaded = _loaded_after(
        f"from duban.validate.validation import validate\nvalidate(root=__import__('pathlib').Path({str(root)!r}))"
    )
    assert not loaded & {"click", "textual", "rich"}


def test_help_does_not_import_textual() -> None:
    code = (
        "from duban.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
    )
    loaded = _loaded_after(code)
    assert "click" in loaded  # the check itself works
    assert "textual" not in loaded
