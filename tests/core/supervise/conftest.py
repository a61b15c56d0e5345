"""Fixtures of the supervision tests: the printing tools, installed once a session where missing."""

from __future__ import annotations

import pytest

from tests.core.supervise.support import _install


@pytest.fixture(scope="session")
def tools() -> None:
    reason = _install()
    if reason:
        pytest.skip(reason)
