"""Every test in this folder drives the terminal UI through Textual's Pilot: each is marked `tui`,
so the fast lane (`python3 dev.py test --fast`) leaves them to the full run that CI makes."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # pytest passes every collected test to every conftest's hook: only this folder's are marked
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.tui)
