#!/usr/bin/env python3
"""Print the pictures of the office's documents in docs/guide/supervision.md: the first page of the .docx circular
and of the .xlsx ledger (LibreOffice) and of the HTML circular (Chromium), from the clerk's
June 2019 on the Changning plan (tests/office_fixtures.py), as PNGs in docs/images/.

    .venv/bin/python scripts/office_pages.py     # needs soffice, chromium and pdftoppm
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from duban.cli.main import cli  # noqa: E402
from tests.office_fixtures import make_clerk_repo  # noqa: E402

OUT = ROOT / "docs" / "images"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        repo = make_clerk_repo(work / "clerk")
        outputs = {
            "circular-docx": ("circular", "--month", "2019-06", "--format", "docx", "-o", str(work / "c.docx")),
            "ledger-xlsx": (
                "export",
                "--plan",
                "2019-changning",
                "--format",
                "xlsx",
                "--as-of",
                "2019-06-30",
                "-o",
                str(work / "l.xlsx"),
            ),
            "circular-html": ("circular", "--month", "2019-06", "--format", "html", "-o", str(work / "c.html")),
        }
        for args in outputs.values():
            result = CliRunner().invoke(cli, ["--repo", str(repo), *args])
            if result.exit_code:
                print(result.output, file=sys.stderr)
                return 1
        profile = (work / "lo").as_uri()
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(work / "c.docx"),
                str(work / "l.xlsx"),
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--user-data-dir={work / 'chrome'}",
                f"--print-to-pdf={work / 'h.pdf'}",
                (work / "c.html").as_uri(),
            ],
            check=True,
            capture_output=True,
        )
        for name, pdf, dpi in (
            ("circular-docx", "c.pdf", 60),
            ("ledger-xlsx", "l.pdf", 48),
            ("circular-html", "h.pdf", 60),
        ):
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    str(dpi),
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(work / pdf),
                    str(OUT / name),
                ],
                check=True,
            )
            print(OUT / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
