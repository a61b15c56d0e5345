"""Fixtures of the reference tests: the repository every case starts from, made once per module."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.reference.support import YEAR, clock_env
from tests.support import GIT_ENV


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`duban init` once; every case starts from a copy."""
    from duban.record.scaffold import init_repository

    root = tmp_path_factory.mktemp("reference") / "office"
    saved = dict(os.environ)
    try:
        os.environ.update(GIT_ENV)
        clock_env(dt.date(YEAR - 1, 12, 1), 9)
        init_repository(root)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return root
