"""Fixtures of the forms tests: a repository of Changning with May's reports, committed once per
module and copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.core.forms.support import _env, make_may_repo


@pytest.fixture(scope="module")
def may_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_may_repo(tmp_path_factory.mktemp("forms") / "may")


@pytest.fixture
def may_repo(may_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "office"
    shutil.copytree(may_template, copy, symlinks=True)
    _env(monkeypatch, "2019-06-01")
    return copy
