"""What tests share besides fixtures: the project's folders, the sample repository, git with
the test author, commit dates. Import from here (conftest.py holds only fixtures)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

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
