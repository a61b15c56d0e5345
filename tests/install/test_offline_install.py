"""An office's machine with no network: `python3 dev.py wheelhouse DIR` gathers duban and its
locked dependencies, and a fresh virtual environment installs from DIR alone (pip --isolated
--no-index: no index, no configuration, no find-links but DIR), then validates a bundled
plan and speaks Chinese."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.support import PROJECT

pytestmark = pytest.mark.slow


def _run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheelhouse")
    built = _run(sys.executable, str(PROJECT / "scripts" / "wheelhouse.py"), str(folder))
    assert built.returncode == 0, built.stderr[-3000:]
    return folder


def test_a_fresh_environment_installs_duban_from_the_wheelhouse_alone(wheelhouse: Path, tmp_path: Path) -> None:
    names = sorted(p.name for p in wheelhouse.glob("*.whl"))
    assert any(name.startswith("duban-") for name in names) and any(name.startswith("textual-") for name in names)
    lock = (PROJECT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    textual = next(name for name in names if name.startswith("textual-")).split("-")[1]
    assert f"textual=={textual}" in lock  # the locked version, the one the snapshots were drawn with
    target = tmp_path / "offline-env"
    venv.EnvBuilder(with_pip=True).create(target)
    bin_dir = target / ("Scripts" if os.name == "nt" else "bin")
    # No index, no pip configuration (this machine's find-links and mirrors): DIR or nothing.
    env = {name: value for name, value in os.environ.items() if not name.startswith("PIP_")}
    installed = _run(
        str(bin_dir / "python"),
        "-m",
        "pip",
        "install",
        "--isolated",
        "--no-index",
        "--disable-pip-version-check",
        "--find-links",
        str(wheelhouse),
        "duban",
        env=env,
    )
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    office = tmp_path / "office"
    shutil.copytree(PROJECT / "plans" / "2019-changning", office / "plans" / "2019-changning")
    shutil.copytree(PROJECT / "schema", office / "schema", ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    duban = str(bin_dir / "duban")
    checked = _run(duban, "validate", cwd=office, env={**env, "DUBAN_LANG": "zh"})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    listed = _run(duban, "list", "--plan", "2019-changning", "lead:金融办", cwd=office, env={**env, "DUBAN_LANG": "zh"})
    assert listed.returncode == 0 and "稳增长" in listed.stdout, listed.stdout + listed.stderr
    helped = _run(duban, "--help", env={**env, "DUBAN_LANG": "zh"})
    assert "用法" in helped.stdout or "命令" in helped.stdout, helped.stdout
