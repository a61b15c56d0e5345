"""What tests share besides fixtures: the project's folders, the sample repository, git with
the test author, commit dates. Import from here (conftest.py holds only fixtures)."""
from __future__ import annotations

import os
import shutil
import subprocess
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
SUBCOMMAND = 'SUB=; skip=; for a in "$@"; do if [ -n "$skip" ]; then skip=; elif [ "$a" = -c ]; then skip=1; ' \
             'else SUB=$a; break; fi; done'


def copy_sample(dest: Path) -> Path:
    """The sample plan repository (plans/ and schema/) copied to `dest`."""
    shutil.copytree(SAMPLE, dest)
    shutil.copytree(PROJECT / "schema", dest / "schema",
                    ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return dest


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, **GIT_ENV}, check=True)
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
