"""dev.py, the README's set-up script: `dev.py duban` works where the user stands."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support import PROJECT


def test_dev_duban_runs_in_the_callers_folder(sample_repo: Path) -> None:
    """An office repository elsewhere must be the one read (and written), not this checkout's
    bundled plans."""
    listed = subprocess.run([sys.executable, str(PROJECT / "dev.py"), "duban", "plans"], cwd=sample_repo,
                            capture_output=True, text=True, timeout=600)
    assert listed.returncode == 0, listed.stderr
    shown = {line.split()[0] for line in listed.stdout.splitlines()[2:] if line.strip()}
    assert shown == {"2008-baoshan", "2019-changning"}  # the sample's two plans, not the five bundled ones
