"""No test module imports from another test module: what tests share lives in a support module
(tests/support.py, tests/tui/support.py, tests/core/forms/support.py, ...) or, for fixtures, in
the conftest.py of the folder that shares them. Imported from a test module, a helper drags that
module's tests along (collected twice, its fixtures registered again by the import), and moving or
renaming the test file breaks modules that never said they depended on it."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support import PROJECT


def is_test_module(name: str) -> bool:
    """Whether a dotted module name names a test module (its last part starts with test_)."""
    return name.rpartition(".")[2].startswith("test_")


def imports_of_test_modules(folder: Path) -> list[tuple[str, int, str]]:
    """Each import of a test module in `folder`'s Python files, at the top or inside a function,
    absolute or relative, as (file, line, module)."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""] + [f"{node.module or ''}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if is_test_module(module):
                    found.append((path.relative_to(folder).as_posix(), node.lineno, module.lstrip(".")))
                    break
    return found


def test_no_test_module_imports_from_another() -> None:
    imports = imports_of_test_modules(PROJECT / "tests")
    assert not imports, "move what is shared to a support module or a conftest.py:\n" + "\n".join(
        f"tests/{file}:{line} imports {module}" for file, line, module in imports
    )


def test_an_import_of_a_test_module_is_found(tmp_path: Path) -> None:
    (tmp_path / "tui").mkdir()
    (tmp_path / "tui" / "test_a.py").write_text(
        "from tests.tui.support import settle\n"  # a support module: allowed
        "from tests.tui.test_crash_proof import make_repo\n"
        "import tests.core.forms.test_forms\n"
        "from . import test_b\n"
        "from .test_c import helper\n"
        "def test_x():\n"
        "    from tests.cli.test_chinese import english_words\n",
        encoding="utf-8",
    )
    assert imports_of_test_modules(tmp_path) == [
        ("tui/test_a.py", 2, "tests.tui.test_crash_proof"),
        ("tui/test_a.py", 3, "tests.core.forms.test_forms"),
        ("tui/test_a.py", 4, "test_b"),
        ("tui/test_a.py", 5, "test_c"),
        ("tui/test_a.py", 7, "tests.cli.test_chinese"),
    ]
