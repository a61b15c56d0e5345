"""What the printing tests share: the documents converted to PDF by LibreOffice or printed by
Chromium (installed where missing), and the PDF read back as pages of placed words (pdftotext -bbox)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from duban.cli.main import cli

PACKAGES = ("libreoffice-writer", "libreoffice-calc", "chromium", "fonts-noto-cjk", "poppler-utils")
TOOLS = ("soffice", "chromium", "pdftotext", "pdfinfo")


def _install() -> str | None:
    """None when every tool is there (installing them if this is root with apt-get), else why not."""
    if all(shutil.which(t) for t in TOOLS):
        return None
    command = "apt-get update && apt-get install -y " + " ".join(PACKAGES)
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return f"LibreOffice, Chromium or poppler is missing and cannot be installed here (as root: {command})"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=900)
    done = subprocess.run(["apt-get", "install", "-y", "-q", *PACKAGES], env=env, capture_output=True, timeout=1800)
    if done.returncode != 0 or not all(shutil.which(t) for t in TOOLS):
        return f"installing {' '.join(PACKAGES)} failed: {done.stderr.decode(errors='replace')[-300:]}"
    return None


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)


def pages(pdf: Path) -> list[Page]:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        words = [
            Word(w[4], float(w[0]), float(w[1]), float(w[2]))
            for w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', match[3]
            )
        ]
        found.append(Page(float(match[1]), float(match[2]), words))
    return found


def soffice(path: Path) -> Path:
    profile = path.parent / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(path.parent),
            str(path),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return path.with_suffix(".pdf")


def chromium(path: Path) -> Path:
    pdf = path.with_suffix(".html.pdf")
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={path.parent / 'chrome'}",
            f"--print-to-pdf={pdf}",
            path.as_uri(),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return pdf


def write(repo: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["--repo", str(repo), *args, "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out
