"""Fixtures the CLI tests share: an office and a unit cloned from one bare remote, built once per
session and copied for each test (sync, undo after sync and sync recovery use them)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from duban.cli.main import cli
from tests.support import copy_office_and_unit, office_and_unit, template_env

FIRST_SYNC = "origin/main: nothing to pull, pushed 2 commits"


@pytest.fixture(scope="session")
def office_and_unit_template(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The folder holding `office_and_unit`'s clones and remote, built once per session for each
    commit time ("" for the time of building), with the first sync checked."""
    built: dict[str, Path] = {}

    def template(when: str = "") -> Path:
        if when not in built:
            base = tmp_path_factory.mktemp("office_and_unit")
            with template_env(base / "home") as patch:
                for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
                    if when:
                        patch.setenv(name, when)

                def duban(cwd: Path, *args: str) -> Result:
                    patch.chdir(cwd)
                    return CliRunner().invoke(cli, list(args), catch_exceptions=False)

                office, _unit, _remote, first = office_and_unit(base, duban)
            assert first.exit_code == 0 and first.stdout.strip() == FIRST_SYNC, first.output
            shutil.rmtree(office / ".git" / "duban-cache", ignore_errors=True)  # each test starts cold
            built[when] = base
        return built[when]

    return template


@pytest.fixture
def clones(office_and_unit_template: Callable[[str], Path], tmp_path: Path) -> tuple[Path, Path]:
    """The office's clone and a unit's clone of one bare remote, after the office's first sync."""
    office, unit, _remote = copy_office_and_unit(office_and_unit_template(""), tmp_path)
    return office, unit
