#!/usr/bin/env python3
"""Set up duban in ./.venv and run it: the two commands the README gives.

    python3 dev.py open [ARGS...]   open duban's terminal UI on the bundled plans
    python3 dev.py test             run the checks (ruff, mypy, import contracts), then every
                                    test, in parallel: what CI runs
    python3 dev.py test --fast      the checks, then the fast lane: every test but those
                                    marked slow or tui (under two minutes on two cores)
    python3 dev.py test ARGS...     only pytest with those ARGS (add -n auto for parallel)
    python3 dev.py lock             rewrite requirements/lock.txt from the current .venv
    python3 dev.py wheelhouse DIR [--platform windows-x86_64|linux-x86_64|linux-aarch64] [--python 3.11]
                                    gather duban and its locked dependencies as wheels in DIR, for
                                    `pip install --no-index --find-links DIR duban` with no network
    python3 dev.py duban ARGS...    run any duban command from the venv, in the current
                                    folder (it finds its repository as `duban` does)

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
# Every version CI and a new machine install, so each clean checkout tests what the snapshots
# were drawn with; `python3 dev.py lock` rewrites it after a deliberate upgrade.
LOCK = ROOT / "requirements" / "lock.txt"
# The static checks `dev.py test` runs before pytest; each must exit 0.
CHECKS = (
    ("ruff", ["ruff", "check", "--no-cache", "--quiet", "."]),
    ("ruff format", ["ruff", "format", "--check", "--no-cache", "--quiet", "."]),
    ("mypy", ["mypy"]),
    ("import contracts", ["lint-imports", "--no-cache"]),
)
# pytest-xdist, one worker a core; a worker that finishes early takes tests from a busy one.
PARALLEL = ("-n", "auto", "--dist", "worksteal")
FAST_LANE = ("-m", "not slow and not tui")


def _say(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself may be run by an older python3
        sys.exit("dev.py: duban needs Python 3.11 or newer")
    if not (BIN / "python").exists():
        _say(f"creating {VENV.name}/ (first run only)")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + _lock_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    _say("installing duban and its test tools into .venv (when pyproject.toml or the lock changes)")
    constraints = ["-c", str(LOCK)] if LOCK.exists() else []
    subprocess.run(
        [
            str(BIN / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *constraints,
            "-e",
            f"{ROOT}[test]",
        ],
        check=True,
    )
    STAMP.write_text(wanted + "\n")


def _lock_bytes() -> bytes:
    return LOCK.read_bytes() if LOCK.exists() else b""


def write_lock() -> int:
    frozen = subprocess.run(
        [str(BIN / "python"), "-m", "pip", "freeze", "--exclude-editable", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    LOCK.parent.mkdir(exist_ok=True)
    LOCK.write_text(
        "# Exact versions dev.py installs (pip constraints); rewrite with `python3 dev.py lock`.\n" + frozen,
        encoding="utf-8",
    )
    _say(f"wrote {LOCK.relative_to(ROOT)}")
    return 0


def run_checks(env: dict[str, str]) -> int:
    for name, args in CHECKS:
        _say(f"check: {name}")
        code = subprocess.call([str(BIN / args[0]), *args[1:]], cwd=ROOT, env=env)
        if code != 0:
            _say(f"check failed: {name} (exit {code}); nothing else was run")
            return code
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"open", "test", "duban", "lock", "wheelhouse"}:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    try:
        ensure_venv()
    except subprocess.CalledProcessError as error:
        _say(f"installing failed (exit {error.returncode}); see pip's message above")
        return 1
    # `open` and the tests use the bundled plans; `duban` works where the user stands, so an
    # office repository elsewhere is never mistaken for this checkout (or written into it).
    env = (
        dict(os.environ) if command == "duban" else dict(os.environ, DUBAN_REPO=os.environ.get("DUBAN_REPO", str(ROOT)))
    )
    if command == "lock":
        return write_lock()
    if command == "wheelhouse":
        return subprocess.call([str(BIN / "python"), str(ROOT / "scripts" / "wheelhouse.py"), *rest])
    lane: tuple[str, ...] | None = None  # the whole suite or the fast lane, after the checks
    if command == "test" and rest in ([], ["--fast"]):
        lane = (*PARALLEL, *(FAST_LANE if rest else ()))
        failed = run_checks(env)
        if failed:
            return failed
    if command == "open":
        args = [str(BIN / "duban"), "tui", *rest]
    elif command == "test":
        args = [str(BIN / "python"), "-m", "pytest", *(lane if lane is not None else rest)]
    else:
        args = [str(BIN / "duban"), *rest]
    return subprocess.call(args, cwd=Path.cwd() if command == "duban" else ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
