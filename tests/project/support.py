"""What the catalog tests share: the Chinese catalog and a compiler for it."""

from __future__ import annotations

import importlib.util

from tests.support import PROJECT

PO = PROJECT / "duban/locale/zh_CN/LC_MESSAGES/duban.po"


def _compiler():
    spec = importlib.util.spec_from_file_location("compile_catalog", PROJECT / "scripts/compile_catalog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module
