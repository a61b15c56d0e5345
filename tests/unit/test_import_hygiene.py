"""The core knows nothing of its interfaces: importing it loads neither Click nor Textual."""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import duban

CORE_MODULES = sorted(
    f"duban.{m.name}" for m in pkgutil.iter_modules(duban.__path__)
    if m.name not in {"cli", "tui", "schema", "__main__"}
)


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return {name.split(".")[0] for name in out.split()}


def test_core_module_list_is_not_empty() -> None:
    assert {"duban.model", "duban.validation", "duban.yamlio", "duban.repository"} <= set(CORE_MODULES)


def test_core_imports_neither_click_nor_textual() -> None:
    loaded = _loaded_after("\n".join(f"import {name}" for name in CORE_MODULES))
    assert "click" not in loaded
    assert "textual" not in loaded


def test_validating_does_not_import_interfaces(tmp_path) -> None:  # noqa: ANN001
    from tests.conftest import copy_sample

    root = copy_sample(tmp_path / "repo")
    loaded = _loaded_after(f"from duban.validation import validate\nvalidate(root=__import__('pathlib').Path({str(root)!r}))")
    assert not loaded & {"click", "textual", "rich"}


def test_help_does_not_import_textual() -> None:
    code = ("from duban.cli.main import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n")
    loaded = _loaded_after(code)
    assert "click" in loaded  # the check itself works
    assert "textual" not in loaded
