#!/usr/bin/env python3
"""Draw the user guide's pictures of the terminal UI (docs/images/*-zh.svg) from the real app:
`.venv/bin/python scripts/guide_images.py`. The round is 金融办's June 2019 on the bundled
Changning plan, drawn at 100×30 in Chinese, as tests/tui/round_support builds it."""

from __future__ import annotations

import asyncio
import html
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from duban.tui import make_app  # noqa: E402
from tests.tui.round_support import AS_OF, PLAN, copy_repo, reported_repo  # noqa: E402

IMAGES = ROOT / "docs" / "images"


async def draw() -> None:
    with tempfile.TemporaryDirectory(prefix="duban-guide-") as folder:
        repo = copy_repo(reported_repo(Path(folder) / "template"), Path(folder) / "repo", "金融办")
        app = make_app(repo, PLAN, "zh", AS_OF)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("m")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("5", "0")
            await pilot.pause()
            svg = app.export_screenshot()
    (IMAGES / "round-zh.svg").write_text(wide_text_fitted(svg), encoding="utf-8")
    print(f"wrote {IMAGES / 'round-zh.svg'}")


def wide_text_fitted(svg: str) -> str:
    """Rich's SVG gives each run of text a textLength of one cell per character, so Chinese
    (two cells a character) is squeezed onto itself; the length is set from the run's cells."""
    from rich.cells import cell_len

    def fitted(match: re.Match[str]) -> str:
        length, text = float(match.group(2)), html.unescape(match.group(4))
        cell = length / max(len(text), 1)
        return f"{match.group(1)}{cell * cell_len(text):.1f}{match.group(3)}{match.group(4)}</text>"

    return re.sub(r'(<text[^>]*textLength=")([0-9.]+)("[^>]*>)([^<]*)</text>', fitted, svg)


if __name__ == "__main__":
    asyncio.run(draw())
