#!/usr/bin/env python3
"""Set up duban in ./.venv and run it: the two commands the README gives.

    python3 dev.py open [ARGS...]   open duban's terminal UI on the bundled plans
    python3 dev.py test [ARGS...]   run the test suite (ARGS go to pytest)
    python3 dev.py duban ARGS...    run any duban command from the venv

Only Python 3.11+ and git are needed; everything else comes from PyPI into
./.venv, and is reinstalled only when pyproject.toml changes.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".duban-install-stamp"


def _say(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):
        sys.exit("dev.py: duban needs Python 3.11 or newer")
    if not (BIN / "python").exists():
        _say(f"creating {VENV.name}/ (first run only)")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    _say("installing duban and its test tools into .venv (when pyproject.toml changes)")
    subprocess.run(
        [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-e", f"{ROOT}[test]"],
        check=True,
    )
    STAMP.write_text(wanted + "\n")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"open", "test", "duban"}:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    try:
        ensure_venv()
    except subprocess.CalledProcessError as error:
        _say(f"installing failed (exit {error.returncode}); see pip's message above")
        return 1
    env = dict(os.environ, DUBAN_REPO=os.environ.get("DUBAN_REPO", str(ROOT)))
    if command == "open":
        args = [str(BIN / "duban"), "tui", *rest]
    elif command == "test":
        args = [str(BIN / "python"), "-m", "pytest", *rest]
    else:
        args = [str(BIN / "duban"), *rest]
    return subprocess.call(args, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
