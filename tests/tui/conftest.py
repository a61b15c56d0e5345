"""Every test in this folder drives the terminal UI through Textual's Pilot: each is marked `tui`,
so the fast lane (`python3 dev.py test --fast`) leaves them to the full run that CI makes. The
repositories most of them start from are made here: Baoshan's 214 tasks, and Changning with a
clerk's reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.round_support import reported_repo
from tests.tui.support import make_repo

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # pytest passes every collected test to every conftest's hook: only this folder's are marked
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.tui)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Changning with a clerk's reports (round_support.reported_repo), made once per module; a
    module that needs more in it (test_reason.py) makes its own."""
    return reported_repo(tmp_path_factory.mktemp("reported") / "repo")


@pytest.fixture
def baoshan(tmp_path: Path) -> Path:
    """A repository of the bundled Baoshan plan (214 tasks), one commit."""
    return make_repo(tmp_path / "repo", "2008-baoshan")
