"""Fixtures of the core's tests that more than one folder or module uses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from duban.i18n import set_language


@pytest.fixture
def chinese() -> Iterator[None]:
    """The core's words in Chinese for the test, English again after it."""
    set_language("zh")
    yield
    set_language("en")
