"""dev.py, the README's set-up script: `dev.py duban` works where the user stands, and
`dev.py test --fast` leaves the slow and the TUI's tests to the full run."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import PROJECT


@pytest.mark.slow
def test_dev_duban_runs_in_the_callers_folder(sample_repo: Path) -> None:
    """An office repository elsewhere must be the one read (and written), not this checkout's
    bundled plans."""
    listed = subprocess.run(
        [sys.executable, str(PROJECT / "dev.py"), "duban", "plans"],
        cwd=sample_repo,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert listed.returncode == 0, listed.stderr
    shown = {line.split()[0] for line in listed.stdout.splitlines()[2:] if line.strip()}
    assert shown == {"2008-baoshan", "2019-changning"}  # the sample's two plans, not the five bundled ones


def _collected(*args: str) -> set[str]:
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert listed.returncode == 0, listed.stdout[-2000:] + listed.stderr
    return {line for line in listed.stdout.splitlines() if "::" in line}


@pytest.mark.slow
def test_the_fast_lane_leaves_the_tui_and_the_slow_tests_to_the_full_run() -> None:
    spec = importlib.util.spec_from_file_location("dev", PROJECT / "dev.py")
    assert spec is not None and spec.loader is not None
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    # a TUI test file (marked by its folder's conftest), a file marked slow, and one that is neither
    files = ("tests/tui/test_undo_key.py", "tests/cli/test_precommit.py", "tests/test_support.py")
    everything, fast = _collected(*files), _collected(*files, *dev.FAST_LANE)
    tui = {test for test in everything if test.startswith(files[0])}
    slow = {test for test in everything if test.startswith(files[1])}
    assert tui and slow
    assert fast == everything - tui - slow
