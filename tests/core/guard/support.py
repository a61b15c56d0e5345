"""What the guard tests share: the access file and task of the shared repository, and ssh keys to sign with."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ACCESS = """\
# yaml-language-server: $schema=schema/access.schema.json
accounts:
  duchake: {role: office, name: 督查科}
  jrb-wang: {role: unit, unit: 金融办}
  swy-li: {role: unit, unit: 商务委}
  wjw-chen: {role: unit, unit: 卫计委}
"""
TASK1 = "plans/2019-changning/tasks/1.yaml"  # lead 金融办, 商务委, …


def _ssh_key(folder: Path, name: str) -> tuple[Path, str]:
    path = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)], check=True)
    return path, (folder / f"{name}.pub").read_text().strip()


def _signing(monkeypatch: pytest.MonkeyPatch, key: Path | None) -> None:
    settings = [("gpg.format", "ssh"), ("commit.gpgsign", "true"), ("user.signingkey", str(key))] if key else []
    monkeypatch.setenv("GIT_CONFIG_COUNT", str(len(settings)))
    for index, (name, value) in enumerate(settings):
        monkeypatch.setenv(f"GIT_CONFIG_KEY_{index}", name)
        monkeypatch.setenv(f"GIT_CONFIG_VALUE_{index}", value)
