"""What the site's tests share: real headless Chromium (tests/site_browser.py), one a module."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    from tests.site_browser import Browser, chromium_missing

    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    opened = Browser(tmp_path_factory.mktemp("chromium"))
    yield opened
    opened.close()
