"""The code-layout table of docs/architecture.md names exactly the folders there are: every
top-level folder of the repository, every folder at duban/'s top (its packages and the catalog)
and every package deeper in duban/, one row each. A folder added, moved or removed fails here
until the table says what lives in it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from tests.support import PROJECT

ARCHITECTURE = PROJECT / "docs" / "architecture.md"
HEADING = "## Code layout"


def table_folders(text: str) -> list[str]:
    """The folders the first column of the table under HEADING names (`duban/store/`)."""
    _, found, section = text.partition(HEADING + "\n")
    assert found, f"{ARCHITECTURE} has no {HEADING!r} section"
    section = re.split(r"^#{1,2} ", section, maxsplit=1, flags=re.MULTILINE)[0]
    return re.findall(r"^\| `([^`]+/)` \|", section, flags=re.MULTILINE)


def repository_files(root: Path) -> list[PurePosixPath]:
    """Every file git keeps or would keep (tracked, or new and not ignored), so that build
    folders, caches and .venv are not taken for the project's folders."""
    listed = subprocess.run(
        ["git", "-c", "core.quotepath=off", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout
    return [PurePosixPath(name) for name in listed.decode("utf-8").split("\0") if name]


def existing_folders(root: Path) -> set[str]:
    """The folders the table must name. A link (duban/cli -> ../cli) is a file to git, so the
    folders it stands for are named once, where they live."""
    folders: set[str] = set()
    for path in repository_files(root):
        parts = path.parts
        if len(parts) > 1:
            folders.add(f"{parts[0]}/")
        if len(parts) > 2 and parts[0] == "duban":
            folders.add(f"duban/{parts[1]}/")
        if parts[0] == "duban" and path.name == "__init__.py" and len(parts) > 2:
            folders.add(f"{path.parent}/")
    return {folder for folder in folders if (root / folder).is_dir() and not (root / folder.rstrip("/")).is_symlink()}


def test_the_layout_table_names_every_folder_once() -> None:
    named = table_folders(ARCHITECTURE.read_text(encoding="utf-8"))
    assert sorted(folder for folder in set(named) if named.count(folder) > 1) == []
    existing = existing_folders(PROJECT)
    assert sorted(existing - set(named)) == [], "folders the table does not name"
    assert sorted(set(named) - existing) == [], "the table names folders that do not exist"


def test_a_new_package_is_a_folder_the_table_must_name(tmp_path: Path) -> None:
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", str(tmp_path)], check=True)
    for name in (
        "README.md",
        "duban/__init__.py",
        "duban/store/cache/__init__.py",
        "duban/locale/zh_CN/x.po",
        "scripts/x.py",
        ".ci/run",
        "build/ignored.py",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    (tmp_path / "duban" / "cli").symlink_to("../scripts")
    assert existing_folders(tmp_path) == {
        "duban/",
        "duban/store/",
        "duban/store/cache/",
        "duban/locale/",
        "scripts/",
        ".ci/",
    }


@pytest.mark.parametrize(
    ("text", "folders"),
    [
        (
            f"{HEADING}\n\n| folder | what |\n|---|---|\n| `duban/` | core |\n| `cli/` | the CLI |\n\n## Next\n| `x/` | no |\n",
            ["duban/", "cli/"],
        ),
        (f"# A\n| `y/` | not in the section |\n{HEADING}\n| `tests/` | tests |\n", ["tests/"]),
    ],
)
def test_the_table_is_read_from_its_section_only(text: str, folders: list[str]) -> None:
    assert table_folders(text) == folders
