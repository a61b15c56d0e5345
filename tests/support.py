"""What tests share besides fixtures: the project's folders, the sample repository, git with
the test author, commit dates. Import from here (conftest.py holds only fixtures)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "repo"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


# sh that sets $SUB to the git command of a fake git's command line, past the `-c name=value`
# options duban puts first (core.quotepath=off): for a `git` on PATH that acts on one command.
SUBCOMMAND = (
    'SUB=; skip=; for a in "$@"; do if [ -n "$skip" ]; then skip=; elif [ "$a" = -c ]; then skip=1; '
    "else SUB=$a; break; fi; done"
)


def copy_sample(dest: Path) -> Path:
    """The sample plan repository (plans/ and schema/) copied to `dest`."""
    shutil.copytree(SAMPLE, dest)
    shutil.copytree(PROJECT / "schema", dest / "schema", ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return dest


@contextmanager
def template_env(home: Path) -> Iterator[pytest.MonkeyPatch]:
    """The environment `_isolated_env` gives a test, for a fixture that outlives one test."""
    with pytest.MonkeyPatch.context() as patch:
        for variable in ("DUBAN_REPO", "DUBAN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "COLUMNS", "LINES"):
            patch.delenv(variable, raising=False)
        patch.setenv("LANG", "C.UTF-8")
        home.mkdir()
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
        for key, value in GIT_ENV.items():
            patch.setenv(key, value)
        yield patch


def copy_template(template: Path, dest: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a template repository (git history, index and work tree) that is also the current
    directory: a copy is a tenth of the time of the git commands that built it."""
    shutil.copytree(template, dest, symlinks=True)
    # the copied index holds the template's inodes and ctimes: refreshed, as a commit here leaves it
    git(dest, "update-index", "-q", "--really-refresh")
    monkeypatch.chdir(dest)
    return dest


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=True
    )
    return result.stdout


def at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, f"{when}T10:00:00+08:00")


def office_and_unit(tmp_path: Path, duban: Any) -> tuple[Path, Path, Path, Any]:
    """An office's clone with the sample plans pushed by its first `duban sync` to a bare
    remote, and a unit's clone of that remote: (office, unit, remote, the first sync's result).
    `duban(cwd, *args)` runs the command in `cwd`."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    office = tmp_path / "office"
    assert duban(tmp_path, "init", str(office)).exit_code == 0
    git(office, "branch", "-M", "main")
    shutil.copytree(SAMPLE / "plans", office / "plans", dirs_exist_ok=True)
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "sample plans")
    git(office, "remote", "add", "origin", str(remote))
    first = duban(office, "sync")
    unit = tmp_path / "unit"
    git(tmp_path, "clone", "-q", str(remote), str(unit))
    return office, unit, remote, first


def copy_office_and_unit(template: Path, dest: Path) -> tuple[Path, Path, Path]:
    """A copy of the office's clone, the unit's clone and their bare remote that `office_and_unit`
    made in `template`, each clone's remote pointed at the copied remote: (office, unit, remote)."""
    for name in ("remote.git", "office", "unit"):
        shutil.copytree(template / name, dest / name, symlinks=True)
    for clone in ("office", "unit"):
        config = dest / clone / ".git" / "config"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace(f"{template}{os.sep}", f"{dest}{os.sep}"), encoding="utf-8")
    return dest / "office", dest / "unit", dest / "remote.git"
